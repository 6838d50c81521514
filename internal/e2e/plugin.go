// Package e2e runs the built plugin binary the way Steampipe does: it
// starts the binary through hashicorp/go-plugin with the SDK's handshake,
// drives it over the SDK's gRPC client (SetAllConnectionConfigs,
// GetSchema, Execute) and collects the rows. It also computes, with
// Postgres semantics, the rows a scan should return from the simulator's
// data, so tests can compare the plugin with the truth.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	sdkgrpc "github.com/turbot/steampipe-plugin-sdk/v5/grpc"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/shared"
)

// pluginName is the name Steampipe uses for a locally built plugin.
const pluginName = "local/defender"

// Build compiles the plugin binary from the module at root into dir and
// returns its path.
func Build(root, dir string) (string, error) {
	bin := filepath.Join(dir, "defender.plugin")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// Plugin is a running plugin process.
type Plugin struct {
	client *goplugin.Client
	pc     *sdkgrpc.PluginClient

	mu      sync.Mutex
	log     bytes.Buffer
	schemas map[string]*proto.Schema // by connection, as GetSchema returned it
}

// Start launches the plugin binary with the extra environment env.
func Start(bin string, env ...string) (*Plugin, error) {
	p := &Plugin{}
	cmd := exec.Command(bin)
	cmd.Env = mergeEnv(os.Environ(), env)
	p.client = goplugin.NewClient(&goplugin.ClientConfig{
		// The child gets exactly cmd.Env: go-plugin would otherwise append
		// the host's environment after it, and a host SSL_CERT_FILE would
		// win over the simulator's CA.
		SkipHostEnv:      true,
		HandshakeConfig:  shared.Handshake,
		Plugins:          map[string]goplugin.Plugin{pluginName: &shared.WrapperPlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger: hclog.New(&hclog.LoggerOptions{
			Name: "plugin", Output: lockedWriter{p}, Level: hclog.Trace,
		}),
		Stderr: lockedWriter{p},
	})
	if _, err := p.client.Start(); err != nil {
		p.client.Kill()
		return nil, fmt.Errorf("start plugin: %w", err)
	}
	pc, err := sdkgrpc.NewPluginClient(p.client, pluginName)
	if err != nil {
		p.client.Kill()
		return nil, err
	}
	p.pc = pc
	return p, nil
}

// mergeEnv returns base with the KEY=value pairs of extra replacing any
// entries of the same keys.
func mergeEnv(base, extra []string) []string {
	override := map[string]bool{}
	for _, kv := range extra {
		override[strings.SplitN(kv, "=", 2)[0]] = true
	}
	var out []string
	for _, kv := range base {
		if !override[strings.SplitN(kv, "=", 2)[0]] {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

type lockedWriter struct{ p *Plugin }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.log.Write(b)
}

// Log returns everything the plugin has logged so far.
func (p *Plugin) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Close stops the plugin process.
func (p *Plugin) Close() { p.client.Kill() }

// Connection is one connection block: its name and HCL body, or, for an
// aggregator, the names of its children.
type Connection struct {
	Name     string
	Config   string
	Children []string
}

// SetConnections sends every connection's config, as the Steampipe CLI
// does at start, and fails if the plugin rejected any.
func (p *Plugin) SetConnections(conns ...Connection) error {
	req := &proto.SetAllConnectionConfigsRequest{MaxCacheSizeMb: -1}
	for _, c := range conns {
		cc := &proto.ConnectionConfig{
			Connection: c.Name, Plugin: pluginName, PluginShortName: "defender",
			PluginInstance: pluginName, Config: c.Config,
		}
		if len(c.Children) > 0 {
			cc.Type, cc.ChildConnections = "aggregator", c.Children
		}
		req.Configs = append(req.Configs, cc)
	}
	res, err := p.pc.SetAllConnectionConfigs(req)
	if err != nil {
		return err
	}
	for name, msg := range res.FailedConnections {
		return fmt.Errorf("connection %s failed: %s", name, msg)
	}
	if _, err := p.pc.SetCacheOptions(&proto.SetCacheOptionsRequest{Enabled: false}); err != nil {
		return err
	}
	_, err = p.pc.SetRateLimiters(&proto.SetRateLimitersRequest{})
	return err
}

// EnableCache turns the SDK's query cache on, as Steampipe does by
// default; scans then need CacheOn to use it.
func (p *Plugin) EnableCache() error {
	_, err := p.pc.SetCacheOptions(&proto.SetCacheOptionsRequest{Enabled: true, Ttl: 300, MaxSizeMb: 64})
	return err
}

// SetRateLimiters overrides the plugin's rate limiters, as a user's
// limiter blocks in a plugin config do.
func (p *Plugin) SetRateLimiters(defs ...*proto.RateLimiterDefinition) error {
	_, err := p.pc.SetRateLimiters(&proto.SetRateLimitersRequest{Definitions: defs})
	return err
}

// Schema returns the plugin's schema for a connection.
func (p *Plugin) Schema(connection string) (*proto.Schema, error) {
	return p.pc.GetSchema(connection)
}

// Scan is one FDW scan: the table, the columns it reads, its quals, its
// limit (-1 for none) and the sort it asks for.
type Scan struct {
	Table       string
	Connections []string // one, or an aggregator's children
	Columns     []string
	Quals       []Qual
	Limit       int64
	Sort        []*proto.SortColumn
	CacheOn     bool
}

// Execute runs a scan and returns its rows as Go values: string, int64,
// float64, bool, time.Time, JSON (normalised) or nil, keeping only the
// scan's columns as the FDW does.
func (p *Plugin) Execute(ctx context.Context, s Scan) ([]Row, error) {
	var rows []Row
	err := p.Stream(ctx, s, func(r *proto.Row) error {
		row, err := fromProto(r)
		if err != nil {
			return err
		}
		rows = append(rows, row.project(s.Columns))
		return nil
	})
	return rows, err
}

// Stream runs a scan as the FDW and Postgres would and hands each row to
// each as it arrives, so large scans need not be held in memory. The FDW
// passes the scan's LIMIT to the plugin only when it may (see fdwLimit).
// Postgres rechecks every qual on every row the plugin returns (the SQL
// condition, Qual.Actual where the FDW garbled it) and drops the rows that
// fail, then stops reading after LIMIT rows and ends the scan; so does
// Stream.
func (p *Plugin) Stream(ctx context.Context, s Scan, each func(*proto.Row) error) error {
	limit, err := p.fdwLimit(s)
	if err != nil {
		return err
	}
	read := int64(0)
	// Postgres reads only the columns the quals test; so does the recheck.
	tested := &proto.Row{Columns: map[string]*proto.Column{}}
	err = p.execute(ctx, s, limit, func(r *proto.Row) error {
		if len(s.Quals) > 0 {
			for _, q := range s.Quals {
				tested.Columns[q.Column] = r.Columns[q.Column]
			}
			row, err := fromProto(tested)
			if err != nil {
				return err
			}
			for _, q := range s.Quals {
				if ok, err := holds(q.sql(), row[q.Column]); err != nil || !ok {
					return err
				}
			}
		}
		if s.Limit >= 0 && read >= s.Limit {
			return errEnough
		}
		read++
		return each(r)
	})
	if errors.Is(err, errEnough) {
		err = nil
	}
	return err
}

// errEnough ends a scan once Postgres has read LIMIT rows.
var errEnough = errors.New("limit reached")

// execute sends one Execute request with the given limit (-1 for none).
func (p *Plugin) execute(ctx context.Context, s Scan, limit int64, each func(*proto.Row) error) error {
	quals := map[string]*proto.Quals{}
	for _, q := range s.Quals {
		pq, err := q.proto()
		if err != nil {
			return err
		}
		if quals[q.Column] == nil {
			quals[q.Column] = &proto.Quals{}
		}
		quals[q.Column].Quals = append(quals[q.Column].Quals, pq)
	}
	qc := proto.NewQueryContext(s.Columns, quals, limit, s.Sort)
	data := map[string]*proto.ExecuteConnectionData{}
	for _, c := range s.Connections {
		data[c] = &proto.ExecuteConnectionData{Limit: nullableLimit(limit), CacheEnabled: s.CacheOn, CacheTtl: 300}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, _, stop, err := p.pc.Execute(&proto.ExecuteRequest{
		Table: s.Table, QueryContext: qc, Connection: s.Connections[0],
		CallId: sdkgrpc.BuildCallId(), ExecuteConnectionData: data,
	})
	if err != nil {
		return err
	}
	defer stop()
	done := make(chan error, 1)
	go func() {
		for {
			r, err := stream.Recv()
			switch {
			case errors.Is(err, io.EOF):
				done <- nil
				return
			case err != nil:
				done <- err
				return
			case r.Row == nil:
				continue
			}
			if err := each(r.Row); err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		if err != nil && p.pc.Exited() {
			return fmt.Errorf("%w (the plugin process has exited)", err)
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// nullableLimit is a scan's limit as the FDW sends it: nil for none.
func nullableLimit(limit int64) *proto.NullableInt {
	if limit < 0 {
		return nil
	}
	return &proto.NullableInt{Value: limit}
}

// DefaultTimeout bounds one scan in tests.
const DefaultTimeout = 2 * time.Minute
