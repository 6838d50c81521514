package auth

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// Login signs the configured user in and saves the result to
// TokenCachePath (mode 0600), where a TokenSource in the plugin process
// finds it. The default is the device code flow, whose instructions (URL
// and code) are printed to out; browser=true opens the system browser, or
// c.OpenURL, for the authorization code flow with PKCE.
func Login(ctx context.Context, c Config, browser bool, out io.Writer) error {
	kind, err := c.Kind()
	if err != nil {
		return err
	}
	if kind != User {
		return fmt.Errorf("login signs a user in, but this connection uses the %s credential; set %s instead", kind, userSetting)
	}
	if c.Scope == "" {
		return fmt.Errorf("no token scope: resolve the cloud's endpoints first")
	}
	id := newIdent(User, c)
	client, err := newPublicClient(c)
	if err != nil {
		return err
	}
	scopes := []string{c.Scope}
	var res public.AuthResult
	if browser {
		opts := []public.AcquireInteractiveOption{public.WithLoginHint(c.Username)}
		if c.OpenURL != nil {
			opts = append(opts, public.WithOpenURL(c.OpenURL))
		}
		fmt.Fprintf(out, "Opening a browser to sign in as %s.\n", c.Username)
		res, err = client.AcquireTokenInteractive(ctx, scopes, opts...)
	} else {
		var dc public.DeviceCode
		dc, err = client.AcquireTokenByDeviceCode(ctx, scopes)
		if err == nil {
			fmt.Fprintln(out, dc.Result.Message)
			res, err = dc.AuthenticationResult(ctx)
		}
	}
	if err != nil {
		return id.fail(err)
	}
	if got := res.Account.PreferredUsername; !strings.EqualFold(got, c.Username) {
		// Keep the cache free of an account no connection will use.
		if rerr := client.RemoveAccount(ctx, res.Account); rerr != nil {
			return fmt.Errorf("signed in as %s, not %s, and removing that account from %s failed: %w", got, c.Username, c.TokenCachePath, rerr)
		}
		return fmt.Errorf("signed in as %s, but the connection's username is %s: sign in as %s or change username", got, c.Username, c.Username)
	}
	fmt.Fprintf(out, "Signed in as %s; token cache saved to %s.\n", res.Account.PreferredUsername, c.TokenCachePath)
	return nil
}
