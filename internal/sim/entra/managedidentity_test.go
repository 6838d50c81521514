package entra

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
)

// MSAL caches managed identity tokens process-wide by identity and
// resource, so every test here asks for a resource of its own.

// appServiceEnv points MSAL's App Service source at the fixture.
func (f *fixture) appServiceEnv(t *testing.T, header string) {
	t.Setenv("IDENTITY_ENDPOINT", f.srv.URL+"/msi/token")
	t.Setenv("IDENTITY_HEADER", header)
	t.Setenv("IDENTITY_SERVER_THUMBPRINT", "")
	t.Setenv("MSI_ENDPOINT", "")
	t.Setenv("IMDS_ENDPOINT", "")
}

func (f *fixture) managedIdentity(t *testing.T, id managedidentity.ID, opts ...managedidentity.ClientOption) managedidentity.Client {
	t.Helper()
	c, err := managedidentity.New(id, append([]managedidentity.ClientOption{managedidentity.WithHTTPClient(f.client)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestManagedIdentitySystemAssigned(t *testing.T) {
	f := newFixture(t, nil)
	f.appServiceEnv(t, f.e.IdentityHeader())
	if src, _ := managedidentity.GetSource(); src != managedidentity.AppService {
		t.Fatalf("MSAL detected %s, want AppService", src)
	}
	c := f.managedIdentity(t, managedidentity.SystemAssigned())
	res, err := c.AcquireToken(context.Background(), "https://graph.microsoft.com/sys/.default")
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, res.AccessToken, systemMI, "https://graph.microsoft.com/sys", "ThreatHunting.Read.All")
	if d := time.Until(res.ExpiresOn); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("token expires in %s, want about 1h", d)
	}
	if n := f.count(func(c Call) bool {
		return c.Endpoint == EndpointAppServiceMI && c.Status == 200 && c.ClientID == systemMI
	}); n != 1 {
		t.Errorf("%d successful MI calls, want 1", n)
	}
}

func TestManagedIdentityUserAssigned(t *testing.T) {
	f := newFixture(t, nil)
	f.appServiceEnv(t, f.e.IdentityHeader())
	res, err := f.managedIdentity(t, managedidentity.UserAssignedClientID(userMI)).
		AcquireToken(context.Background(), mde+"/ua-client")
	if err != nil {
		t.Fatal(err)
	}
	// The role is qualified with the MDE resource, which this resource is not.
	f.wantAppClaims(t, res.AccessToken, userMI, mde+"/ua-client")

	res, err = f.managedIdentity(t, managedidentity.UserAssignedResourceID(f.e.cfg.Apps[5].ResourceID)).
		AcquireToken(context.Background(), mde)
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, res.AccessToken, userMI, mde, "AdvancedQuery.Read.All")

	_, err = f.managedIdentity(t, managedidentity.UserAssignedClientID(secretApp), managedidentity.WithRetryPolicyDisabled()).
		AcquireToken(context.Background(), mde+"/not-an-identity")
	if err == nil {
		t.Error("an app that is not a managed identity got an MI token")
	}
}

func TestManagedIdentityWrongHeader(t *testing.T) {
	f := newFixture(t, nil)
	f.appServiceEnv(t, "guessed-header")
	_, err := f.managedIdentity(t, managedidentity.SystemAssigned(), managedidentity.WithRetryPolicyDisabled()).
		AcquireToken(context.Background(), graph+"/wrong-header")
	if err == nil {
		t.Fatal("a wrong X-IDENTITY-HEADER was accepted")
	}
	status, _ := msalStatus(t, err)
	if status != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", status)
	}
}

// MSAL's IMDS source always targets 169.254.169.254; the fixture's transport
// rewrites that address to the test server before anything is sent.
func TestManagedIdentityIMDS(t *testing.T) {
	f := newFixture(t, nil)
	for _, k := range []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT"} {
		t.Setenv(k, "")
	}
	if src, _ := managedidentity.GetSource(); src != managedidentity.DefaultToIMDS {
		t.Skipf("MSAL detected %s on this machine, not IMDS", src)
	}
	res, err := f.managedIdentity(t, managedidentity.UserAssignedObjectID(objectIDOf(&f.e.cfg.Apps[5])), managedidentity.WithRetryPolicyDisabled()).
		AcquireToken(context.Background(), mde+"/imds")
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, res.AccessToken, userMI, mde+"/imds")

	resp, err := f.client.Get(f.srv.URL + "/metadata/identity/oauth2/token?" + url.Values{
		"api-version": {"2018-02-01"}, "resource": {graph}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body := decodeBody(t, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("without Metadata: true got %d %v, want 400 invalid_request", resp.StatusCode, body)
	}
}
