// Package hunting is the client for Defender's advanced hunting APIs: the
// Microsoft Graph security/runHuntingQuery action (the default) and the
// legacy Defender for Endpoint api/advancedqueries/run endpoint.
//
// It sends KQL that its caller renders, decodes each response as a stream
// so memory does not grow with the row count, and makes results complete:
// a response that hits Defender's row cap is continued with keyset paging
// on the table's time column, and a response that exceeds the result size
// is split into smaller time windows. Throttling (HTTP 429), expired
// tokens and transient server failures are handled here, because the
// Steampipe SDK's own list retry cannot resume a stream.
//
// The package knows nothing about SQL; see Request for the contract with
// the caller. Its retry pieces (RetryAfter, Backoff, Permanent) and its
// reading of Graph's error envelope (ParseErrorBody) are exported for the
// Graph security client, which follows the same rules.
package hunting
