package sim

import (
	"io"
	"log"
	"net/http"
	"strings"
)

// apiKind tells the two hunting APIs apart.
type apiKind int

const (
	graphAPI apiKind = iota
	mdeAPI
)

func (k apiKind) String() string {
	if k == graphAPI {
		return "graph"
	}
	return "mde"
}

// routes sends the hunting paths to the hunting handlers, the Graph
// security collections to their handler, other Graph and
// MDE paths to a 404 in the API's envelope, and everything else to Entra.
// Paths are matched case-insensitively, as both services do.
func (s *Server) routes() http.Handler {
	ent := s.entra.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.EqualFold(p, "/v1.0/security/runHuntingQuery"),
			strings.EqualFold(p, "/beta/security/runHuntingQuery"):
			s.hunt(w, r, graphAPI)
		case strings.EqualFold(p, "/api/advancedqueries/run"):
			s.hunt(w, r, mdeAPI)
		case isSecurity(p):
			c, id, _ := securityRoute(p)
			s.security(w, r, c, id)
		case hasPrefixFold(p, "/v1.0/"), hasPrefixFold(p, "/beta/"):
			s.newExchange(w, r, graphAPI).fail(http.StatusNotFound, codeNotFound, codeNotFound,
				"The simulator serves only POST /v1.0/security/runHuntingQuery, /beta/security/runHuntingQuery and GET /v1.0/security/incidents, alerts_v2, secureScores and secureScoreControlProfiles.")
		case hasPrefixFold(p, "/api/"):
			s.newExchange(w, r, mdeAPI).fail(http.StatusNotFound, codeNotFound, codeNotFound,
				"The simulator serves only POST /api/advancedqueries/run.")
		default:
			ent.ServeHTTP(w, r)
		}
	})
}

// isSecurity reports whether p is a Graph security collection or entity.
func isSecurity(p string) bool {
	_, _, ok := securityRoute(p)
	return ok
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// quietLog discards the HTTP server's own log lines (TLS handshake noise
// from clients that do not trust the CA); they could otherwise echo
// request details.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
