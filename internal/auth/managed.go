package auth

import (
	"context"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
)

// managedSource serves a system-assigned managed identity, or a
// user-assigned one when ClientID is set. MSAL detects the platform (App
// Service, Azure ML, Cloud Shell, Arc, Service Fabric, IMDS) from the
// environment.
type managedSource struct {
	mu       sync.Mutex
	id       ident
	client   managedidentity.Client
	resource string
}

func newManagedSource(c Config) (*managedSource, error) {
	id := newIdent(ManagedIdentity, c)
	mid := managedidentity.SystemAssigned()
	if c.ClientID != "" {
		mid = managedidentity.UserAssignedClientID(c.ClientID)
	}
	var opts []managedidentity.ClientOption
	if c.HTTPClient != nil {
		opts = append(opts, managedidentity.WithHTTPClient(c.HTTPClient))
	}
	client, err := managedidentity.New(mid, opts...)
	if err != nil {
		return nil, id.fail(err)
	}
	return &managedSource{id: id, client: client, resource: c.Scope}, nil
}

// Token returns the cached identity token or requests one. MSAL caches
// managed identity tokens per process, so fresh passes a claims request,
// the only way to skip that cache.
func (s *managedSource) Token(ctx context.Context, fresh bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var opts []managedidentity.AcquireTokenOption
	if fresh {
		opts = append(opts, managedidentity.WithClaims(freshClaims()))
	}
	res, err := s.client.AcquireToken(ctx, s.resource, opts...)
	if err != nil {
		return "", s.id.fail(err)
	}
	return res.AccessToken, nil
}
