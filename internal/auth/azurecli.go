package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Azure CLI credential settings.
const (
	// cliTimeout bounds one az invocation, as azidentity does.
	cliTimeout = 10 * time.Second
	// cliMargin is how long before its expiry a CLI token is replaced.
	cliMargin = 5 * time.Minute
)

// azureCLISource serves the user signed in to the Azure CLI: it runs
// az account get-access-token, as azidentity's AzureCLICredential does,
// and keeps the token until shortly before it expires.
type azureCLISource struct {
	mu       sync.Mutex
	id       ident
	resource string
	tenant   string
	token    string
	expires  time.Time
	now      func() time.Time
}

func newAzureCLISource(c Config) *azureCLISource {
	return &azureCLISource{
		id: newIdent(AzureCLI, c), resource: strings.TrimSuffix(c.Scope, "/.default"), tenant: c.TenantID, now: time.Now,
	}
}

// Token returns the cached CLI token or asks az for one. fresh always asks.
func (s *azureCLISource) Token(ctx context.Context, fresh bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !fresh && s.token != "" && s.expires.Sub(s.now()) > cliMargin {
		return s.token, nil
	}
	tok, exp, err := s.run(ctx)
	if err != nil {
		return "", err
	}
	s.token, s.expires = tok, exp
	return tok, nil
}

// run invokes az and parses its answer.
func (s *azureCLISource) run(ctx context.Context) (string, time.Time, error) {
	az, err := exec.LookPath("az")
	if err != nil {
		return "", time.Time{}, s.fail("the Azure CLI (az) is not installed or not on PATH; install the Azure CLI and run `az login`, or configure a credential in the connection", nil)
	}
	args := []string{"account", "get-access-token", "--output", "json", "--resource", s.resource}
	if s.tenant != "" {
		args = append(args, "--tenant", s.tenant)
	}
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, az, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", time.Time{}, s.fail(fmt.Sprintf("az account get-access-token did not answer within %s", cliTimeout), ctx.Err())
		}
		return "", time.Time{}, s.fail(cliFailure(stderr.String(), s.tenant), nil)
	}
	return s.parse(stdout.Bytes())
}

// cliFailure explains a failed az invocation from its standard error.
func cliFailure(stderr, tenant string) string {
	msg := firstLine(strings.TrimPrefix(strings.TrimSpace(stderr), "ERROR: "))
	if strings.Contains(stderr, "az login") || strings.Contains(stderr, "az account set") {
		login := "az login"
		if tenant != "" {
			login += " --tenant " + tenant
		}
		return fmt.Sprintf("the Azure CLI is not signed in (%s); run `%s`, or configure a credential in the connection", msg, login)
	}
	if msg == "" {
		msg = "no error message"
	}
	return "az account get-access-token failed: " + msg
}

// cliToken is the JSON az account get-access-token prints. expires_on
// (epoch seconds) appeared in CLI 2.54; older versions print only
// expiresOn, a local time.
type cliToken struct {
	AccessToken string          `json:"accessToken"`
	ExpiresOn   string          `json:"expiresOn"`
	ExpiresOnTS json.RawMessage `json:"expires_on"`
}

func (s *azureCLISource) parse(out []byte) (string, time.Time, error) {
	var t cliToken
	if err := json.Unmarshal(out, &t); err != nil || t.AccessToken == "" {
		return "", time.Time{}, s.fail("az account get-access-token printed no access token", nil)
	}
	exp, err := cliExpiry(t)
	if err != nil {
		return "", time.Time{}, s.fail("az account get-access-token printed an expiry that cannot be read: "+err.Error(), nil)
	}
	return t.AccessToken, exp, nil
}

// cliExpiry prefers expires_on (a number or a numeric string) and falls
// back to expiresOn, "2006-01-02 15:04:05.999999" in local time.
func cliExpiry(t cliToken) (time.Time, error) {
	if raw := strings.Trim(string(t.ExpiresOnTS), `"`); raw != "" && raw != "null" {
		sec, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("expires_on %q is not a number of seconds", raw)
		}
		return time.Unix(sec, 0), nil
	}
	if t.ExpiresOn == "" {
		return time.Time{}, errors.New("neither expires_on nor expiresOn is set")
	}
	exp, err := time.ParseInLocation("2006-01-02 15:04:05.999999", t.ExpiresOn, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiresOn %q is not a local time", t.ExpiresOn)
	}
	return exp, nil
}

// fail builds an error naming the CLI credential; reason never holds a
// token, and redact removes anything token-shaped az may have printed.
func (s *azureCLISource) fail(reason string, cause error) *Error {
	return &Error{Kind: AzureCLI, TenantID: s.id.tenant, msg: s.id.redact(s.id.prefix() + ": " + reason), cause: cause}
}
