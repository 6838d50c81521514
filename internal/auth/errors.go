package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

// ErrLoginRequired matches (errors.Is) an Error that only an interactive
// sign-in can fix: no cached account, or a refresh token Entra rejected.
var ErrLoginRequired = errors.New("sign-in required")

// Error is a failed token acquisition, reduced to one readable line. It
// never carries the request, a secret or a token.
type Error struct {
	Kind     Kind
	TenantID string
	ClientID string
	// StatusCode is the identity endpoint's HTTP status, 0 without a response.
	StatusCode int
	// Code is the OAuth error code, e.g. invalid_client.
	Code string
	// Description is the first line of Entra's error_description, which
	// starts with the AADSTS code.
	Description string
	// LoginRequired is set when the user has to run the login command.
	LoginRequired bool

	msg   string
	cause error
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns a local cause (network, context, file). It is never
// MSAL's HTTP error, whose request holds the credential, nor a decoding
// error quoting a token response.
func (e *Error) Unwrap() error { return e.cause }

// Is makes errors.Is(err, ErrLoginRequired) true for login-required errors.
func (e *Error) Is(target error) bool { return target == ErrLoginRequired && e.LoginRequired }

// ident is what error messages say about a source, plus the values that
// must never appear in them.
type ident struct {
	kind         Kind
	tenant       string
	client       string
	loginCommand string
	secrets      []string
}

func newIdent(kind Kind, c Config) ident {
	return ident{
		kind: kind, tenant: c.TenantID, client: c.ClientID, loginCommand: c.LoginCommand,
		secrets: []string{c.ClientSecret, c.CertificatePassword},
	}
}

func (id ident) prefix() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s credential", id.kind)
	if id.tenant != "" {
		fmt.Fprintf(&b, " for tenant %q", id.tenant)
	}
	if id.client != "" {
		fmt.Fprintf(&b, " client %q", id.client)
	}
	return b.String()
}

func (id ident) loginHint() string {
	if id.loginCommand != "" {
		return "run `" + id.loginCommand + "` to sign in again"
	}
	return "run the plugin's login command for this connection to sign in again"
}

// redact removes credentials from s: the configured secrets, anything
// MSAL quotes after "raw message was" (it quotes whole token responses
// it cannot decode), JWTs, and the values of token-bearing JSON fields.
func (id ident) redact(s string) string {
	if i := strings.Index(s, " raw message was"); i >= 0 {
		s = s[:i] + " (response withheld)"
	}
	for _, secret := range id.secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	s = jwtPattern.ReplaceAllString(s, "[token]")
	return secretField.ReplaceAllString(s, `"$1":"[redacted]"`)
}

var (
	jwtPattern  = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	secretField = regexp.MustCompile(`"((?:access|refresh|id)_token|client_secret|client_assertion|assertion|device_code|code|secret)"\s*:\s*"[^"]*"`)
)

// loginRequired builds the error for a missing or unusable sign-in.
func (id ident) loginRequired(reason string) *Error {
	return &Error{
		Kind: id.kind, TenantID: id.tenant, ClientID: id.client, LoginRequired: true,
		msg: id.redact(id.prefix() + ": " + reason + "; " + id.loginHint()),
	}
}

// needsLogin lists the OAuth errors a new interactive sign-in resolves.
var needsLogin = map[string]bool{
	"invalid_grant": true, "interaction_required": true, "consent_required": true, "login_required": true,
}

// fail converts an MSAL error into an *Error. For the user kind, errors
// that a new sign-in fixes are marked LoginRequired.
func (id ident) fail(err error) error {
	e := &Error{Kind: id.kind, TenantID: id.tenant, ClientID: id.client}
	var call msalerrors.CallErr
	if !errors.As(err, &call) {
		var bad msalerrors.InvalidJsonErr
		if !errors.As(err, &bad) && !strings.Contains(err.Error(), " raw message was") {
			e.cause = err // MSAL quotes whole token responses in the others
		}
		e.LoginRequired = id.kind == User && err.Error() == "no token found"
		reason := strings.Join(strings.Fields(err.Error()), " ") // MSAL's texts span lines
		if e.LoginRequired {
			reason = "the token cache holds no refresh token"
		}
		e.msg = id.redact(id.prefix() + ": " + reason)
		if e.LoginRequired {
			e.msg += "; " + id.loginHint()
		}
		return e
	}
	if call.Resp != nil {
		e.StatusCode = call.Resp.StatusCode
	}
	e.Code, e.Description = describeBody(callBody(call))
	e.LoginRequired = id.kind == User && needsLogin[e.Code]
	var b strings.Builder
	b.WriteString(id.prefix())
	endpoint := "Entra ID"
	if id.kind == ManagedIdentity {
		endpoint = "the managed identity endpoint"
	}
	fmt.Fprintf(&b, ": %s answered HTTP %d", endpoint, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if e.LoginRequired {
		b.WriteString("; " + id.loginHint())
	}
	e.msg = id.redact(b.String())
	return e
}

// callBody returns the response body of a failed call. MSAL keeps Entra's
// body re-readable; for managed identity it is only in the error text,
// after the first line.
func callBody(call msalerrors.CallErr) []byte {
	if call.Resp != nil && call.Resp.Body != nil {
		if b, err := io.ReadAll(call.Resp.Body); err == nil && len(b) > 0 {
			return b
		}
	}
	if call.Err != nil {
		if _, after, ok := strings.Cut(call.Err.Error(), "\n"); ok {
			return []byte(after)
		}
	}
	return nil
}

// describeBody extracts an error code and a one-line description from an
// OAuth error body, an App Service style {"error":{"code","message"}} or
// {"message"} body, or plain text.
func describeBody(body []byte) (code, description string) {
	var v struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		Codes       []int           `json:"error_codes"`
		Message     string          `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil {
		return "", firstLine(string(body))
	}
	var nested struct{ Code, Message string }
	if json.Unmarshal(v.Error, &code) != nil && json.Unmarshal(v.Error, &nested) == nil {
		code, v.Description = nested.Code, nested.Message
	}
	description = firstLine(v.Description)
	if description == "" {
		description = firstLine(v.Message)
	}
	if len(v.Codes) > 0 && !strings.HasPrefix(description, "AADSTS") {
		description = strings.TrimSuffix(fmt.Sprintf("AADSTS%d: %s", v.Codes[0], description), ": ")
	}
	return code, description
}

// firstLine trims s to its first line, without Entra's trailing trace and
// correlation ids, and to at most 300 bytes.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, " Trace ID:"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
