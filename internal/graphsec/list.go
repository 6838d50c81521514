package graphsec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// List reads req's collection page by page and calls emit for each
// entity, in the service's order. It follows @odata.nextLink until the
// last page, or until emit returns ErrStop (then it returns nil); any
// other emit error is returned. A page that breaks off or is malformed is
// fetched again and its entities already emitted are skipped, so none is
// emitted twice. Stats are returned even with an error.
func (c *Client) List(ctx context.Context, req Request, emit func(Item) error) (Stats, error) {
	var stats Stats
	next := c.collectionURL(req)
	for next != "" {
		a := &attempt{req: req, url: next, stats: &stats}
		link, err := c.page(ctx, a, emit)
		if errors.Is(err, ErrStop) {
			return stats, nil
		}
		if err != nil {
			return stats, err
		}
		if link != "" && !c.sameOrigin(link) {
			return stats, &Error{Collection: req.Collection, URL: next, summary: "the next page link points at another host",
				Message: link, hint: "Check api_endpoint or graph_endpoint"}
		}
		next = link
	}
	return stats, nil
}

// page reads one page, retrying it when its body breaks off, and returns
// its nextLink. Config.Observe hears of the request; under WithDryRun
// nothing is sent and the page is empty.
func (c *Client) page(ctx context.Context, a *attempt, emit func(Item) error) (_ string, err error) {
	if c.dryRun(ctx, a.url) {
		return "", nil
	}
	started, before, waited := c.now(), *a.stats, a.waited
	defer func() { c.observe(ctx, a, started, before, waited, err) }()
	done := 0 // entities of this page already emitted
	for {
		body, err := c.open(ctx, a)
		if errors.Is(err, errNotFound) {
			return "", &Error{Collection: a.req.Collection, Status: 404, URL: a.url, summary: "the collection was not found",
				hint: "Check that the endpoint is a Microsoft Graph service root"}
		}
		if err != nil {
			return "", err
		}
		n := 0
		link, err := decodePage(body, func(it Item) error {
			n++
			if n <= done {
				return nil
			}
			done = n
			a.stats.Items++
			return emit(it)
		})
		body.Close()
		var de *decodeError
		switch {
		case err == nil:
			a.stats.Pages++
			c.log.Info("graph security page", "url", a.url, "items", n, "next", link != "")
			return link, nil
		case errors.Is(err, ErrStop):
			a.stats.Pages++
			return "", err
		case ctx.Err() != nil:
			return "", context.Cause(ctx)
		case errors.As(err, &de):
			e := &Error{Collection: a.req.Collection, Status: 200, URL: a.url,
				summary: fmt.Sprintf("the page broke off after %d entities", n), err: de.err}
			if err := c.retry(ctx, a, e, 0); err != nil {
				return "", err
			}
		default:
			return "", err
		}
	}
}

// decodeError is a page body that cannot be read or decoded.
type decodeError struct{ err error }

func (e *decodeError) Error() string { return e.err.Error() }

// decodePage streams the entities of one page's "value" array to each and
// returns the page's @odata.nextLink, in whatever order the two come.
// Errors from each are returned as they are; read and syntax errors come
// back as *decodeError.
func decodePage(r io.Reader, each func(Item) error) (string, error) {
	dec := json.NewDecoder(r)
	bad := func(err error) error { return &decodeError{err} }
	if err := expectDelim(dec, '{'); err != nil {
		return "", bad(err)
	}
	var link string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", bad(err)
		}
		key, _ := tok.(string)
		switch key {
		case "value":
			if err := expectDelim(dec, '['); err != nil {
				return "", bad(err)
			}
			for dec.More() {
				var it Item
				if err := dec.Decode(&it); err != nil {
					return "", bad(err)
				}
				if err := each(it); err != nil {
					return "", err
				}
			}
			if err := expectDelim(dec, ']'); err != nil {
				return "", bad(err)
			}
		case "@odata.nextLink":
			if err := dec.Decode(&link); err != nil {
				return "", bad(err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return "", bad(err)
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return "", bad(err)
	}
	return link, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", want, tok)
	}
	return nil
}

// Get reads one entity of req's collection by id (with req.Expand). It
// returns nil and no error when the entity does not exist, and under
// WithDryRun.
func (c *Client) Get(ctx context.Context, req Request, id string) (_ Item, stats Stats, err error) {
	a := &attempt{req: req, url: c.entityURL(req, id), stats: &stats}
	if c.dryRun(ctx, a.url) {
		return nil, stats, nil
	}
	started, waited := c.now(), a.waited
	defer func() { c.observe(ctx, a, started, Stats{}, waited, err) }()
	for {
		body, err := c.open(ctx, a)
		if errors.Is(err, errNotFound) {
			return nil, stats, nil
		}
		if err != nil {
			return nil, stats, err
		}
		var it Item
		err = json.NewDecoder(body).Decode(&it)
		body.Close()
		if err == nil {
			stats.Items = 1
			return it, stats, nil
		}
		if ctx.Err() != nil {
			return nil, stats, context.Cause(ctx)
		}
		e := &Error{Collection: req.Collection, Status: 200, URL: a.url, summary: "the response is not a JSON entity", err: err}
		if err := c.retry(ctx, a, e, 0); err != nil {
			return nil, stats, err
		}
	}
}
