package auth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// publicSource serves a delegated sign-in made earlier by Login: it finds
// the user's account in the persistent cache and acquires tokens silently,
// redeeming the refresh token when the access token is due.
type publicSource struct {
	mu       sync.Mutex
	id       ident
	client   public.Client
	scopes   []string
	username string
	path     string
	label    string // path as errors quote it
}

func newPublicSource(c Config) (*publicSource, error) {
	id := newIdent(User, c)
	client, err := newPublicClient(c)
	if err != nil {
		return nil, err
	}
	return &publicSource{id: id, client: client, scopes: []string{c.Scope}, username: c.Username, path: c.TokenCachePath, label: c.pathLabel(c.TokenCachePath)}, nil
}

// newPublicClient builds the public client shared by the token source and
// Login, with the connection's cache file.
func newPublicClient(c Config) (public.Client, error) {
	auth, overridden, err := authority(c)
	if err != nil {
		return public.Client{}, err
	}
	opts := []public.Option{public.WithAuthority(auth), public.WithCache(newFileCache(c.TokenCachePath))}
	if overridden {
		opts = append(opts, public.WithInstanceDiscovery(false))
	}
	if c.HTTPClient != nil {
		opts = append(opts, public.WithHTTPClient(c.HTTPClient))
	}
	client, err := public.New(c.ClientID, opts...)
	if err != nil {
		return public.Client{}, newIdent(User, c).fail(err)
	}
	return client, nil
}

// Token acquires a token silently. fresh asks for a token issued from now
// on, which makes MSAL redeem the refresh token instead of returning the
// cached access token.
func (s *publicSource) Token(ctx context.Context, fresh bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	account, err := s.account(ctx)
	if err != nil {
		return "", err
	}
	opts := []public.AcquireSilentOption{public.WithSilentAccount(account)}
	if fresh {
		opts = append(opts, public.WithClaims(freshClaims()))
	}
	res, err := s.client.AcquireTokenSilent(ctx, s.scopes, opts...)
	if err != nil {
		return "", s.id.fail(err)
	}
	return res.AccessToken, nil
}

// account finds the configured user in the cache file.
func (s *publicSource) account(ctx context.Context) (public.Account, error) {
	if _, err := os.Stat(s.path); errors.Is(err, fs.ErrNotExist) {
		return public.Account{}, s.id.loginRequired(fmt.Sprintf("no token cache at %s", s.label))
	}
	accounts, err := s.client.Accounts(ctx)
	if err != nil {
		return public.Account{}, s.id.fail(err)
	}
	for _, a := range accounts {
		if strings.EqualFold(a.PreferredUsername, s.username) {
			return a, nil
		}
	}
	return public.Account{}, s.id.loginRequired(fmt.Sprintf("%s has not signed in (token cache %s)", s.username, s.label))
}
