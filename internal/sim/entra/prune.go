package entra

import "time"

// deviceCodeGrace keeps an expired device code long enough for a late poll
// to be told expired_token rather than invalid_grant.
const deviceCodeGrace = time.Hour

// pruneLocked drops expired device codes, authorization codes and refresh
// tokens so that a long-running simulator does not accumulate them. The
// caller holds e.mu.
func (e *Entra) pruneLocked() {
	now := e.cfg.Now()
	for k, g := range e.devices {
		if now.After(g.expires.Add(deviceCodeGrace)) {
			delete(e.devices, k)
		}
	}
	for k, g := range e.codes {
		if now.After(g.expires) {
			delete(e.codes, k)
		}
	}
	for k, g := range e.refresh {
		if now.After(g.expires) {
			delete(e.refresh, k)
		}
	}
}
