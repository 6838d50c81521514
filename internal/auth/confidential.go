package auth

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
)

// confidentialSource serves the app-only kinds: client secret, certificate
// and workload identity.
type confidentialSource struct {
	mu     sync.Mutex
	id     ident
	build  func() (confidential.Client, error)
	client confidential.Client
	scopes []string
}

func newConfidentialSource(kind Kind, c Config) (*confidentialSource, error) {
	id := newIdent(kind, c)
	cred, err := credential(kind, c)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", id.prefix(), id.redact(err.Error()))
	}
	auth, overridden, err := authority(c)
	if err != nil {
		return nil, err
	}
	opts := []confidential.Option{
		// MSAL_FORCE_REGION would send requests to <region>.<host>.
		confidential.WithAzureRegion("DisableMsalForceRegion"),
	}
	if overridden {
		opts = append(opts, confidential.WithInstanceDiscovery(false))
	}
	if c.HTTPClient != nil {
		opts = append(opts, confidential.WithHTTPClient(c.HTTPClient))
	}
	s := &confidentialSource{
		id:     id,
		build:  func() (confidential.Client, error) { return confidential.New(auth, c.ClientID, cred, opts...) },
		scopes: []string{c.Scope},
	}
	if s.client, err = s.build(); err != nil {
		return nil, id.fail(err)
	}
	return s, nil
}

func credential(kind Kind, c Config) (confidential.Credential, error) {
	switch kind {
	case ClientSecret:
		return confidential.NewCredFromSecret(c.ClientSecret)
	case Certificate:
		return loadCertificate(c.CertificatePath, c.pathLabel(c.CertificatePath), c.CertificatePassword)
	case WorkloadIdentity:
		path, label := c.FederatedTokenFile, c.pathLabel(c.FederatedTokenFile)
		return confidential.NewCredFromAssertionCallback(func(context.Context, confidential.AssertionRequestOptions) (string, error) {
			// Read on every request: the token file is rotated under us.
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("federated_token_file %s cannot be read: %w", label, unwrapPath(err))
			}
			return strings.TrimSpace(string(b)), nil
		}), nil
	}
	return confidential.Credential{}, fmt.Errorf("credential kind %s is not a confidential client", kind)
}

// Token returns the cached app token or requests one. MSAL has no option
// to bypass its cache without a claims challenge from Entra, so fresh
// builds a new client, whose in-memory cache is empty.
func (s *confidentialSource) Token(ctx context.Context, fresh bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fresh {
		c, err := s.build()
		if err != nil {
			return "", s.id.fail(err)
		}
		s.client = c
	}
	res, err := s.client.AcquireTokenByCredential(ctx, s.scopes)
	if err != nil {
		return "", s.id.fail(err)
	}
	return res.AccessToken, nil
}
