// Package auth obtains Entra ID access tokens for the Defender plugin with
// MSAL Go: client secret, certificate (PEM or PFX), workload identity
// (federated token file), managed identity, and a delegated user signed in
// earlier by Login and kept in a private token cache file. It also maps a
// cloud and API choice to sign-in host, API host and token scope.
//
// Errors are single lines that name the credential kind, tenant and client
// id and Entra's AADSTS code; they never carry a secret or a token.
package auth
