package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/odatafilter"
)

// Permissions of the Graph security endpoints (application role or
// delegated scope; the ReadWrite variants are accepted too).
const (
	PermIncidents = "SecurityIncident.Read.All"
	PermAlerts    = "SecurityAlert.Read.All"
	PermScores    = "SecurityEvents.Read.All"
)

// SecurityPageSize is how many entities a list page holds when the
// request has no $top; it is small so that clients page.
const SecurityPageSize = 20

// portal is the base of the web links in the security data.
const portal = "https://security.microsoft.com"

// fieldKind is how a filterable property compares.
type fieldKind int

const (
	textField fieldKind = iota
	enumField
	timeField
)

// secField is one property $filter accepts.
type secField struct {
	kind    fieldKind
	members []string // for enumField
}

// secCollection is one Graph security collection.
type secCollection struct {
	name       string // path segment under /v1.0/security/
	entityType string
	permission string
	fields     map[string]secField
	maxTop     int
	expand     bool // $expand=alerts is allowed
	list       func(*secStore) []*secEntity
}

var (
	timeF = secField{kind: timeField}
	textF = secField{kind: textField}
)

func enumF(members []string) secField { return secField{kind: enumField, members: members} }

// incidentFields and alertFields are the properties Graph documents as
// filterable.
var (
	incidentFields = map[string]secField{
		"assignedTo": textF, "classification": enumF(classifications), "createdDateTime": timeF,
		"determination": enumF(determinations), "lastUpdateDateTime": timeF, "severity": enumF(severities),
		"status": enumF(incidentStatuses),
	}
	alertFields = map[string]secField{
		"assignedTo": textF, "classification": enumF(classifications), "createdDateTime": timeF,
		"determination": enumF(determinations), "lastUpdateDateTime": timeF, "severity": enumF(severities),
		"status": enumF(alertStatuses), "serviceSource": enumF(serviceSources),
	}
)

var secCollections = []*secCollection{
	{name: "incidents", entityType: "microsoft.graph.security.incident", permission: PermIncidents, fields: incidentFields,
		maxTop: 50, expand: true, list: func(s *secStore) []*secEntity { return s.incidents }},
	{name: "alerts_v2", entityType: "microsoft.graph.security.alert", permission: PermAlerts, fields: alertFields,
		maxTop: 2000, list: func(s *secStore) []*secEntity { return s.alerts }},
	{name: "secureScores", entityType: "microsoft.graph.secureScore", permission: PermScores,
		maxTop: 100, list: func(s *secStore) []*secEntity { return s.scores }},
	{name: "secureScoreControlProfiles", entityType: "microsoft.graph.secureScoreControlProfile", permission: PermScores,
		maxTop: 100, list: func(s *secStore) []*secEntity { return s.profiles }},
}

// securityRoute finds the collection and entity id of a path under
// /v1.0/security/, matching names case-insensitively.
func securityRoute(path string) (*secCollection, string, bool) {
	if !hasPrefixFold(path, "/v1.0/security/") {
		return nil, "", false
	}
	name, id, _ := strings.Cut(path[len("/v1.0/security/"):], "/")
	for _, c := range secCollections {
		if strings.EqualFold(c.name, name) {
			return c, id, true
		}
	}
	return nil, "", false
}

// store builds the security data on first use.
func (s *Server) store() *secStore {
	s.secOnce.Do(func() { s.sec = buildSecurity(s.data, s.cfg.Tenant, portal) })
	return s.sec
}

// security serves a list or a get on a Graph security collection.
func (s *Server) security(w http.ResponseWriter, r *http.Request, c *secCollection, id string) {
	x := s.newExchange(w, r, graphAPI)
	x.perm = c.permission
	defer x.record(0, 0)
	x.call.Params = r.URL.Query()
	if !x.delay(s.faults.currentLatency()) {
		return
	}
	if st := s.faults.takeFailure(); st != 0 {
		x.call.Fault = "fail"
		if st == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
			x.fail(st, codeTooMany, codeTooMany, "Too many requests to the security API; retry in 1 second.")
			return
		}
		x.fail(st, codeUnknown, codeInternal, "")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		x.fail(http.StatusMethodNotAllowed, codeMethod, codeMethod, "Use GET to read "+c.name+".")
		return
	}
	claims, ok := x.authorize()
	if !ok {
		return
	}
	x.call.ClientID, x.call.Tenant = claims.ClientID, claims.Tenant
	q, err := parseSecQuery(r.URL.Query(), c, id != "")
	if err != nil {
		x.fail(http.StatusBadRequest, codeBadRequest, codeBadRequest, err.Error())
		return
	}
	st := s.store()
	if id != "" {
		id, _ = url.PathUnescape(id)
		for _, e := range c.list(st) {
			if e.id == id {
				body := x.entityBody(e, q.expand, st)
				body["@odata.context"] = s.url + "/v1.0/$metadata#security/" + c.name + "/$entity"
				x.call.Rows = 1
				x.writeJSON(body)
				return
			}
		}
		x.fail(http.StatusNotFound, codeNotFound, codeNotFound, fmt.Sprintf("The %s with id '%s' was not found.", c.entityType, id))
		return
	}
	var matched []*secEntity
	for _, e := range c.list(st) {
		if q.filter == nil || odatafilter.Eval(q.filter, func(p string) odatafilter.Value { return e.filter[p] }) {
			matched = append(matched, e)
		}
	}
	size := SecurityPageSize
	if q.top >= 0 {
		size = q.top
	}
	page := matched[min(q.skip, len(matched)):]
	more := len(page) > size
	page = page[:min(size, len(page))]
	values := make([]any, len(page))
	for i, e := range page {
		values[i] = x.entityBody(e, q.expand, st)
	}
	body := map[string]any{"@odata.context": s.url + "/v1.0/$metadata#security/" + c.name, "value": values}
	if q.count {
		body["@odata.count"] = len(matched)
	}
	if more && size > 0 {
		next := r.URL.Query()
		next.Set("$skip", strconv.Itoa(q.skip+size))
		body["@odata.nextLink"] = s.url + r.URL.Path + "?" + next.Encode()
	}
	x.call.Rows = len(page)
	x.writeJSON(body)
}

// entityBody is the entity's JSON, with its alerts when expanded.
func (x *exchange) entityBody(e *secEntity, expand bool, st *secStore) map[string]any {
	out := make(map[string]any, len(e.body)+1)
	for k, v := range e.body {
		out[k] = v
	}
	if expand {
		alerts := []any{}
		for _, a := range st.alertsOf[e.id] {
			alerts = append(alerts, a.body)
		}
		out["alerts"] = alerts
	}
	return out
}

func (x *exchange) writeJSON(body map[string]any) {
	raw, err := json.Marshal(body)
	if err != nil {
		x.fail(http.StatusInternalServerError, codeUnknown, codeInternal, "")
		return
	}
	x.write(http.StatusOK, graphContentType, raw)
}

// secQuery is a request's validated query options.
type secQuery struct {
	filter odatafilter.Expr
	top    int // -1: not given
	skip   int
	count  bool
	expand bool
}

// parseSecQuery validates the OData query options as Graph does for the
// collection, with Graph's wording for what it rejects.
func parseSecQuery(v url.Values, c *secCollection, get bool) (secQuery, error) {
	q := secQuery{top: -1}
	for name, vals := range v {
		if !strings.HasPrefix(name, "$") {
			continue
		}
		if len(vals) != 1 {
			return q, reject("Query option '%s' was specified more than once, but it must be specified at most once.", name)
		}
		val := vals[0]
		switch name {
		case "$expand":
			if !c.expand || val != "alerts" {
				return q, reject("Parsing OData Select and Expand failed: Could not find a property named '%s' on type '%s'.", val, c.entityType)
			}
			q.expand = true
		case "$filter", "$top", "$skip", "$count":
			if get {
				return q, reject("Query option '%s' is not allowed when reading a single %s.", name, c.entityType)
			}
		default:
			return q, reject("Query option '%s' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.", name)
		}
		switch name {
		case "$filter":
			e, err := parseFilter(val, c)
			if err != nil {
				return q, err
			}
			q.filter = e
		case "$top":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return q, reject("Invalid value '%s' for $top query option found. The $top query option requires a non-negative integer value.", val)
			}
			if n > c.maxTop {
				return q, reject("The limit of '%d' for Top query has been exceeded. The value from the incoming request is '%d'.", c.maxTop, n)
			}
			q.top = n
		case "$skip":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return q, reject("Invalid value '%s' for $skip query option found. The $skip query option requires a non-negative integer value.", val)
			}
			q.skip = n
		case "$count":
			switch val {
			case "true":
				q.count = true
			case "false":
			default:
				return q, reject("'%s' is not a valid count option.", val)
			}
		}
	}
	return q, nil
}

// parseFilter parses $filter and checks every comparison against the
// collection's filterable properties, their operators and literal types.
func parseFilter(src string, c *secCollection) (odatafilter.Expr, error) {
	e, err := odatafilter.Parse(src)
	if err != nil {
		return nil, reject("Invalid filter clause: %v", err)
	}
	err = odatafilter.Walk(e, func(prop, op string, values []odatafilter.Value) error {
		f, ok := c.fields[prop]
		if !ok {
			return reject("Invalid filter clause: filtering on '%s' is not supported for %s.", prop, c.entityType)
		}
		if f.kind == timeField && op == "in" {
			return reject("Invalid filter clause: the 'in' operator is not supported on '%s'.", prop)
		}
		if f.kind != timeField && op != "eq" && op != "ne" && op != "in" {
			return reject("Invalid filter clause: the operator '%s' is not supported on '%s'.", op, prop)
		}
		for _, v := range values {
			switch x := v.(type) {
			case nil:
				if op != "eq" && op != "ne" {
					return reject("Invalid filter clause: null cannot be compared with '%s'.", op)
				}
			case string:
				if f.kind == timeField {
					return reject("Invalid filter clause: a string cannot be compared with the DateTimeOffset property '%s'.", prop)
				}
				if f.kind == enumField && !slices.Contains(f.members, x) {
					return reject("The string '%s' is not a valid enumeration type constant.", x)
				}
			case time.Time:
				if f.kind != timeField {
					return reject("Invalid filter clause: a DateTimeOffset cannot be compared with '%s'.", prop)
				}
			default:
				return reject("Invalid filter clause: the literal %v does not match the type of '%s'.", x, prop)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// rejection is a 400 answer's message, worded as Graph words it.
type rejection string

func (r rejection) Error() string { return string(r) }

// reject formats a rejection.
func reject(format string, args ...any) error { return rejection(fmt.Sprintf(format, args...)) }
