// Package apiclient holds what the advanced hunting client
// (internal/hunting) and the Graph security client (internal/graphsec)
// share: checking the configured endpoint, and the shape of their one-line
// errors.
package apiclient
