package hunting_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// simEnv is a running simulator and a way to get tokens from it.
type simEnv struct {
	t  *testing.T
	s  *sim.Server
	hc *http.Client
}

func startSim(t *testing.T) *simEnv {
	t.Helper()
	s, err := sim.Start(sim.Config{Data: dataset.Options{Seed: 3, Rows: 300}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Faults().SetRateLimit(0)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CAPool()}}
	t.Cleanup(tr.CloseIdleConnections)
	return &simEnv{t: t, s: s, hc: &http.Client{Transport: tr}}
}

// client signs in to the simulator's Entra endpoint with the demo app's
// secret, for the API's audience.
func (e *simEnv) client(api hunting.API, cfg hunting.Config) *hunting.Client {
	e.t.Helper()
	resource := map[hunting.API]string{hunting.Graph: "https://graph.microsoft.com", hunting.MDE: "https://api.securitycenter.microsoft.com"}[api]
	cfg.API, cfg.Endpoint, cfg.HTTPClient = api, e.s.URL(), e.hc
	cfg.Token = func(ctx context.Context, _ bool) (string, error) {
		resp, err := e.hc.PostForm(e.s.URL()+"/"+e.s.Tenant()+"/oauth2/v2.0/token", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {e.s.ClientID()},
			"client_secret": {e.s.ClientSecret()}, "scope": {resource + "/.default"},
		})
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
			return "", fmt.Errorf("token endpoint: status %d", resp.StatusCode)
		}
		return tok.AccessToken, nil
	}
	c, err := hunting.New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// renderKQL builds the query the plugin would send for a time-ordered
// scan of table.
func renderKQL(table string, order hunting.Order) func(hunting.Slice, int64) (string, error) {
	lit := func(t time.Time) string { return "datetime(" + t.UTC().Format("2006-01-02T15:04:05.0000000") + "Z)" }
	return func(s hunting.Slice, take int64) (string, error) {
		q := table
		if b := s.Lower; b != nil {
			op := ">"
			if b.Inclusive {
				op = ">="
			}
			q += " | where Timestamp " + op + " " + lit(b.Time)
		}
		if b := s.Upper; b != nil {
			op := "<"
			if b.Inclusive {
				op = "<="
			}
			q += " | where Timestamp " + op + " " + lit(b.Time)
		}
		q += " | sort by Timestamp " + order.String()
		if take > 0 {
			q += fmt.Sprintf(" | take %d", take)
		}
		return q, nil
	}
}

// canonical renders rows as sorted JSON strings, for comparing multisets.
func canonical(t *testing.T, rows []hunting.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	slices.Sort(out)
	return out
}

func gather(t *testing.T, c *hunting.Client, req hunting.Request) ([]hunting.Row, hunting.Stats) {
	t.Helper()
	var rows []hunting.Row
	st, err := c.Run(context.Background(), req, func(r hunting.Row) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return rows, st
}

func TestSimulatorPagingMatchesOneShot(t *testing.T) {
	e := startSim(t)
	const table = "DeviceProcessEvents"
	var all []hunting.Row
	if _, err := e.client(hunting.Graph, hunting.Config{}).RunKQL(context.Background(), table, "",
		func(r hunting.Row) error { all = append(all, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(all) < 100 {
		t.Fatalf("only %d rows in %s", len(all), table)
	}
	want := canonical(t, all)

	for _, api := range []hunting.API{hunting.Graph, hunting.MDE} {
		for _, order := range []hunting.Order{hunting.Asc, hunting.Desc} {
			t.Run(api.String()+"/"+order.String(), func(t *testing.T) {
				e.s.Faults().SetRowCap(25)
				defer e.s.Faults().SetRowCap(0)
				c := e.client(api, hunting.Config{RowCap: 25})
				rows, st := gather(t, c, hunting.Request{Render: renderKQL(table, order), TimeColumn: "Timestamp", Order: order})
				if got := canonical(t, rows); !slices.Equal(got, want) {
					t.Fatalf("paged result has %d rows, one-shot %d, and they differ", len(got), len(want))
				}
				if st.Splits < len(all)/25-1 {
					t.Errorf("only %d continuations for %d rows at a cap of 25", st.Splits, len(all))
				}
			})
		}
	}

	t.Run("faults", func(t *testing.T) {
		f := e.s.Faults()
		f.SetRowCap(40)
		defer f.SetRowCap(0)
		f.FailNext(503, 1)
		f.ResetNext(1)
		f.MalformedNext(1)
		c := e.client(hunting.Graph, hunting.Config{RowCap: 40})
		rows, st := gather(t, c, hunting.Request{Render: renderKQL(table, hunting.Asc), TimeColumn: "Timestamp", Order: hunting.Asc})
		if got := canonical(t, rows); !slices.Equal(got, want) {
			t.Fatalf("result after faults has %d rows, want %d, or differs", len(got), len(want))
		}
		if st.Retries < 3 {
			t.Errorf("retries %d, want at least 3", st.Retries)
		}
	})

	t.Run("result size split", func(t *testing.T) {
		f := e.s.Faults()
		f.SetMaxResultBytes(40 << 10)
		defer f.SetMaxResultBytes(0)
		c := e.client(hunting.Graph, hunting.Config{})
		rows, st := gather(t, c, hunting.Request{Render: renderKQL(table, hunting.Desc), TimeColumn: "Timestamp", Order: hunting.Desc})
		if got := canonical(t, rows); !slices.Equal(got, want) {
			t.Fatalf("split result has %d rows, want %d, or differs", len(got), len(want))
		}
		if st.Splits == 0 {
			t.Error("the result was never split")
		}
	})

	t.Run("limit", func(t *testing.T) {
		e.s.Faults().SetRowCap(25)
		defer e.s.Faults().SetRowCap(0)
		c := e.client(hunting.Graph, hunting.Config{RowCap: 25})
		rows, st := gather(t, c, hunting.Request{Render: renderKQL(table, hunting.Asc), TimeColumn: "Timestamp", Order: hunting.Asc, Limit: 60})
		if len(rows) != 60 || st.Rows != 60 {
			t.Fatalf("%d rows", len(rows))
		}
	})
}

func TestSimulatorQuotaErrors(t *testing.T) {
	e := startSim(t)
	c := e.client(hunting.Graph, hunting.Config{MaxThrottleWait: time.Second})
	until := time.Now().UTC().Add(10 * time.Minute).Truncate(time.Second)
	e.s.Faults().ExhaustCPU(until)
	_, err := c.RunKQL(context.Background(), "DeviceEvents | take 1", "", func(hunting.Row) error { return nil })
	// The simulator rounds the wait up to whole seconds; allow for the
	// second that passes while the request is in flight.
	if err == nil || !strings.Contains(err.Error(), "CPU quota") {
		t.Fatalf("err = %v", err)
	}
	var herr *hunting.Error
	if !strings.Contains(err.Error(), "work again at") || !errors.As(err, &herr) || herr.RetryAt.Sub(until).Abs() > 2*time.Second {
		t.Errorf("err = %v, want a time near %s", err, until.Format(time.RFC3339))
	}
	e.s.Faults().ResetQuotas()
	e.s.Faults().SetRateLimit(1)
	if _, err := c.RunKQL(context.Background(), "DeviceEvents | take 1", "", func(hunting.Row) error { return nil }); err != nil {
		t.Fatal(err)
	}
	_, err = c.RunKQL(context.Background(), "DeviceEvents | take 1", "", func(hunting.Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "HTTP 429") || !strings.Contains(err.Error(), "work again at") {
		t.Fatalf("err = %v", err)
	}
}
