package entra

import (
	"fmt"
	"strings"
	"time"
)

// MintUserToken issues a delegated access token for the user upn signed
// in through the app clientID, for resource, carrying the delegated
// permissions the app holds for it: the token a tool with its own sign-in
// (the Azure CLI) would hold. issuer is the simulator's base URL. It is a
// test helper, and records no call.
func (e *Entra) MintUserToken(issuer, clientID, upn, resource string) (string, time.Time, error) {
	app := e.app(clientID)
	if app == nil {
		return "", time.Time{}, fmt.Errorf("entra: unknown client id %s", clientID)
	}
	u := e.user(app.Tenant, upn)
	if u == nil {
		return "", time.Time{}, fmt.Errorf("entra: no user %s in tenant %s", upn, app.Tenant)
	}
	resource = strings.TrimSuffix(resource, "/")
	scp := granted(app.DelegatedScopes, resource)
	return e.userToken(strings.TrimSuffix(issuer, "/"), app, u, resource, scp), e.cfg.Now().Add(e.cfg.TokenTTL), nil
}
