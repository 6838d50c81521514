package auth

import (
	"fmt"
	"net/http"
	"strings"
)

// Config holds a connection's credential settings after HCL decoding.
// Empty strings mean "not set".
type Config struct {
	TenantID            string
	ClientID            string
	ClientSecret        string
	CertificatePath     string
	CertificatePassword string
	Username            string
	TokenCachePath      string
	FederatedTokenFile  string
	UseManagedIdentity  bool
	// DisableAzureCLI turns off the Azure CLI credential, which is used
	// when no other credential is configured.
	DisableAzureCLI bool

	// AuthorityHost is the Entra ID host, https://host[:port]. When it is
	// set, MSAL's instance discovery is off; when empty the global cloud's
	// host is used with discovery on.
	AuthorityHost string
	// Scope is the token scope, normally Endpoints.Scope.
	Scope string
	// LoginCommand is the command a user runs to sign in again, quoted in
	// errors of the user kind, e.g. "/path/to/plugin login --connection x".
	LoginCommand string

	// HTTPClient replaces MSAL's default client (tests). Nil uses the
	// default transport, which honours SSL_CERT_FILE and proxies.
	HTTPClient *http.Client
	// OpenURL replaces the system browser in an interactive Login (tests).
	OpenURL func(url string) error

	// written maps each path ExpandPaths changed to the path as written.
	written map[string]string
}

// Environment variables ApplyEnv reads.
const (
	EnvTenantID            = "AZURE_TENANT_ID"
	EnvClientID            = "AZURE_CLIENT_ID"
	EnvClientSecret        = "AZURE_CLIENT_SECRET"
	EnvCertificatePath     = "AZURE_CLIENT_CERTIFICATE_PATH"
	EnvCertificatePassword = "AZURE_CLIENT_CERTIFICATE_PASSWORD"
	EnvUsername            = "AZURE_USERNAME"
	EnvFederatedTokenFile  = "AZURE_FEDERATED_TOKEN_FILE"
	EnvAuthorityHost       = "AZURE_AUTHORITY_HOST"
)

// ApplyEnv fills empty fields from the AZURE_* variables; a value from the
// connection always wins. The credential fields (secret, certificate and
// its password, username, federated token file) are taken from the
// environment only when the connection sets none of them and does not ask
// for a managed identity, so a credential chosen in the connection is never
// mixed with another one lying in the environment.
func (c *Config) ApplyEnv(getenv func(string) string) {
	fill := func(dst *string, env string) {
		if *dst == "" {
			*dst = strings.TrimSpace(getenv(env))
		}
	}
	fill(&c.TenantID, EnvTenantID)
	fill(&c.ClientID, EnvClientID)
	fill(&c.AuthorityHost, EnvAuthorityHost)
	if c.UseManagedIdentity || c.ClientSecret != "" || c.CertificatePath != "" || c.CertificatePassword != "" ||
		c.Username != "" || c.FederatedTokenFile != "" {
		return
	}
	fill(&c.ClientSecret, EnvClientSecret)
	fill(&c.CertificatePath, EnvCertificatePath)
	fill(&c.CertificatePassword, EnvCertificatePassword)
	fill(&c.Username, EnvUsername)
	fill(&c.FederatedTokenFile, EnvFederatedTokenFile)
}

// ApplyEndpoints fills an empty AuthorityHost and Scope from e. Call it
// after ApplyEnv so that AZURE_AUTHORITY_HOST keeps precedence.
func (c *Config) ApplyEndpoints(e Endpoints) {
	if c.AuthorityHost == "" {
		c.AuthorityHost = e.AuthorityHost
	}
	if c.Scope == "" {
		c.Scope = e.Scope
	}
}

// Kind names a credential type.
type Kind string

// The credential kinds.
const (
	ClientSecret     Kind = "client_secret"
	Certificate      Kind = "certificate"
	User             Kind = "user"
	ManagedIdentity  Kind = "managed_identity"
	WorkloadIdentity Kind = "workload_identity"
	AzureCLI         Kind = "azure_cli"
)

// setting is a connection field with its environment variable.
type setting struct{ field, env string }

func (s setting) String() string {
	if s.env == "" {
		return s.field
	}
	return s.field + " (or " + s.env + ")"
}

var (
	tenantSetting   = setting{"tenant_id", EnvTenantID}
	clientSetting   = setting{"client_id", EnvClientID}
	secretSetting   = setting{"client_secret", EnvClientSecret}
	certSetting     = setting{"certificate_path", EnvCertificatePath}
	passwordSetting = setting{"certificate_password", EnvCertificatePassword}
	userSetting     = setting{"username", EnvUsername}
	fedSetting      = setting{"federated_token_file", EnvFederatedTokenFile}
	miSetting       = setting{"use_managed_identity = true", ""}
	cacheSetting    = setting{"token_cache_path", ""}
	cliSetting      = setting{"use_azure_cli = false", ""}
)

// Kind returns the one credential kind the settings select. With none
// configured, in the connection or the environment, it is the Azure CLI's
// signed-in user, unless DisableAzureCLI is set. No credential, two
// credentials, or a credential missing its tenant or client id is an error
// naming the connection fields and environment variables involved.
func (c Config) Kind() (Kind, error) {
	type choice struct {
		kind Kind
		set  bool
		s    setting
	}
	choices := []choice{
		{ClientSecret, c.ClientSecret != "", secretSetting},
		{Certificate, c.CertificatePath != "", certSetting},
		{User, c.Username != "", userSetting},
		{WorkloadIdentity, c.FederatedTokenFile != "", fedSetting},
		{ManagedIdentity, c.UseManagedIdentity, miSetting},
	}
	var chosen []choice
	for _, ch := range choices {
		if ch.set {
			chosen = append(chosen, ch)
		}
	}
	switch len(chosen) {
	case 0:
		if c.CertificatePassword != "" {
			return "", fmt.Errorf("%s is set but %s is not; set the certificate path too", passwordSetting, certSetting)
		}
		if !c.DisableAzureCLI {
			return AzureCLI, nil
		}
		return "", fmt.Errorf("no credential is configured and %s: set one of %s, %s, %s, %s (then run the login command), or %s, or remove %s to use the Azure CLI's sign-in",
			cliSetting, secretSetting, certSetting, fedSetting, userSetting, miSetting, cliSetting)
	case 1:
	default:
		names := make([]string, len(chosen))
		for i, ch := range chosen {
			names[i] = ch.s.String()
		}
		list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
		return "", fmt.Errorf("conflicting credentials: %s are set together; keep exactly one, removing the others from the connection or unsetting them in the environment", list)
	}
	kind := chosen[0].kind
	if c.CertificatePassword != "" && kind != Certificate {
		return "", fmt.Errorf("%s is set but the credential is %s, not a certificate; remove the password or use %s", passwordSetting, chosen[0].s, certSetting)
	}
	if kind == ManagedIdentity {
		return kind, nil
	}
	var missing []string
	if c.TenantID == "" {
		missing = append(missing, tenantSetting.String())
	}
	if c.ClientID == "" {
		missing = append(missing, clientSetting.String())
	}
	if kind == User && c.TokenCachePath == "" {
		missing = append(missing, cacheSetting.String())
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("%s is set, so %s must be set too", chosen[0].s, strings.Join(missing, " and "))
	}
	return kind, nil
}
