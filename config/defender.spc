# Microsoft Defender XDR advanced hunting for Steampipe.
#
# Each connection is one Entra tenant. At most one kind of credential may
# be configured: a client secret, a certificate, a signed-in user, a managed
# identity or a federated (workload identity) token. With none, in the
# connection or the environment, the plugin uses the account signed in to
# the Azure CLI (`az login`). Every argument below falls back to the
# environment variable named beside it. In path arguments a leading ~ and
# $VAR are expanded.

connection "defender" {
  plugin = "local/defender"

  # The Entra tenant (directory) ID. Env: AZURE_TENANT_ID
  # tenant_id = "00000000-0000-0000-0000-000000000000"

  # The application (client) ID of the app registration. Env: AZURE_CLIENT_ID
  # client_id = "00000000-0000-0000-0000-000000000000"

  # --- Application with a client secret ---
  # Env: AZURE_CLIENT_SECRET
  # client_secret = "~secret~value~"

  # --- Application with a certificate ---
  # A PEM file holding the certificate and its RSA private key, or a
  # PFX/PKCS#12 file. Env: AZURE_CLIENT_CERTIFICATE_PATH
  # certificate_path = "~/certs/defender-hunting.pfx"
  # Password of the PFX file or of a legacy encrypted PEM key.
  # Env: AZURE_CLIENT_CERTIFICATE_PASSWORD
  # certificate_password = "pfx-password"

  # --- Signed-in user (delegated permissions) ---
  # Sign in once with:
  #   ~/.steampipe/plugins/local/defender/defender.plugin login --connection defender
  # (device code by default; add --browser for an interactive browser login,
  # which opens the command named by $BROWSER, or the system browser).
  # The plugin then refreshes tokens silently. Env: AZURE_USERNAME
  # username = "analyst@contoso.example"
  # Where the login stores its token cache: a plain file with mode 0600, not
  # the OS keychain (the default is
  # ~/.steampipe/internal/defender/<connection>.tokencache.json). Processes
  # lock it (<file>.lock) and merge their writes, so connections may share one.
  # token_cache_path = "~/.steampipe/internal/defender/defender.tokencache.json"

  # --- Managed identity (Azure VM, App Service, Container Apps, AKS) ---
  # System-assigned by default; set client_id for a user-assigned identity.
  # use_managed_identity = true

  # --- Workload identity federation (AKS, GitHub Actions OIDC) ---
  # A file holding the federated token; re-read on every token request.
  # Env: AZURE_FEDERATED_TOKEN_FILE
  # federated_token_file = "/var/run/secrets/azure/tokens/azure-identity-token"

  # --- Azure CLI ---
  # With no credential above, tokens come from `az account get-access-token`
  # for the account signed in with `az login` (and tenant_id, when set).
  # That user needs the delegated permission. Set false to turn this off.
  # use_azure_cli = true

  # Which API to query:
  #   "graph" (default): Microsoft Graph security/runHuntingQuery;
  #                      grant the ThreatHunting.Read.All permission.
  #   "mde":   the legacy Defender for Endpoint advanced queries API, which
  #            Microsoft began retiring in January 2026 (message center
  #            MC1220762; each such connection logs a warning);
  #            grant AdvancedQuery.Read.All on WindowsDefenderATP.
  # api = "graph"

  # Which cloud: "global" (default), "gcc", "gcc-high" or "dod". With
  # api = "mde", the regional hosts "us", "eu", "uk", "au", "swa", "ina"
  # and "aea" are accepted too. Advanced hunting is not offered in the
  # China cloud.
  # cloud = "global"

  # Overrides for private endpoints, proxies and the local simulator.
  # Overriding authority_host turns off Entra instance discovery.
  # Env for authority_host: AZURE_AUTHORITY_HOST
  # authority_host = "https://login.microsoftonline.com"
  # api_endpoint   = "https://graph.microsoft.com"
  # The Graph root of defender_incident, defender_alert and the secure
  # score tables; by default the cloud's Graph (with api = "graph", the
  # api_endpoint above). They use the same credential with a Graph token.
  # graph_endpoint = "https://graph.microsoft.com"

  # How long a query may wait when Defender throttles the tenant before it
  # fails and says when queries will work again.
  # max_throttle_wait = "5m"
}

# Query every tenant at once (for example an MSSP's customers). The
# tenant_id column says which tenant each row came from, and
# `where tenant_id = '...'` queries only that tenant.
#
# connection "defender_all" {
#   plugin      = "local/defender"
#   type        = "aggregator"
#   connections = ["defender_*"]
# }

# Defender allows about 45 hunting calls a minute per tenant, and the MDE
# API also 1,500 an hour (limiter "defender_mde_hourly", which applies only
# to connections with api = "mde"). The plugin keeps each connection within
# that; override a limiter like this:
#
# plugin "local/defender" {
#   limiter "defender_hunting" {
#     bucket_size = 45
#     fill_rate   = 0.75
#     scope       = ["connection"]
#     where       = "service = 'hunting'"
#   }
# }
