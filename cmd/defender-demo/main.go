// Command defender-demo (make demo) starts the Defender simulator
// in-process with a small synthetic tenant, points the SQL bridge at it
// and runs five example hunts, printing each statement and its result.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/spc"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab/sqlout"
)

// hunt is one example: a title and its SQL.
type hunt struct {
	title string
	sql   string
}

var hunts = []hunt{
	{"Latest encoded PowerShell commands", `
select timestamp, device_name, account_name,
       substr(process_command_line, 1, 70) as command_line
from defender_device_process_events
where process_command_line like '%-enc%' or process_command_line like '%-EncodedCommand%'
order by timestamp desc
limit 5`},
	{"Devices talking to a rare remote IP (seen from at most two devices)", `
select remote_ip, count(distinct device_id) as devices, count(*) as connections,
       group_concat(distinct device_name) as device_names
from defender_device_network_events
where remote_ip is not null and remote_ip_type = 'Public'
group by remote_ip
having count(distinct device_id) <= 2
order by connections desc, remote_ip
limit 8`},
	{"Phishing emails whose links were clicked", `
select e.timestamp, e.recipient_email_address, e.subject, u.url, count(*) as clicks
from defender_email_events e
join defender_url_click_events u on u.network_message_id = e.network_message_id
where e.threat_types like '%Phish%'
group by e.network_message_id, u.url
order by e.timestamp desc
limit 8`},
	{"Failed sign-ins by user", `
select account_upn, count(*) as failures, count(distinct ip_address) as ips,
       max(timestamp) as last_failure
from defender_entra_id_sign_in_events
where error_code <> 0
group by account_upn
order by failures desc, account_upn
limit 8`},
	{"Devices with a critical CVE", `
select i.device_name, i.os_platform, count(distinct v.cve_id) as critical_cves,
       group_concat(distinct v.cve_id) as cves
from defender_device_tvm_software_vulnerabilities v
join (select distinct device_id, device_name, os_platform from defender_device_info) i
  on i.device_id = v.device_id
where v.vulnerability_severity_level = 'Critical'
group by i.device_name, i.os_platform
order by critical_cves desc, i.device_name
limit 8`},
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "defender-demo:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	start := time.Now()
	dir, err := os.MkdirTemp("", "defender-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := sim.Start(sim.Config{Dir: dir, Data: dataset.Options{Seed: 42, Rows: 300}})
	if err != nil {
		return err
	}
	defer srv.Close()
	// The plugin trusts the simulator's CA through SSL_CERT_FILE, which Go
	// reads once, before the first TLS handshake.
	os.Setenv("SSL_CERT_FILE", srv.CAFile())
	if os.Getenv("STEAMPIPE_LOG_LEVEL") == "" {
		os.Setenv("STEAMPIPE_LOG_LEVEL", "ERROR")
	}
	conn, err := demoConnection(srv, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Simulated Defender tenant %s at %s\n", srv.Tenant(), srv.URL())
	fmt.Fprintf(w, "Connection (as in ~/.steampipe/config/defender.spc):\n%s\n", redact(srv.ConnectionConfig(conn.Name), srv.ClientSecret()))
	ctx := context.Background()
	db, err := sqlvtab.Open(ctx, sqlvtab.Options{
		PluginFunc:  defender.Plugin,
		PluginName:  "defender",
		Filters:     defender.FilterOperators,
		Connections: []sqlvtab.Connection{{Name: conn.Name, Config: conn.Body}},
	})
	if err != nil {
		return err
	}
	defer db.Close()
	for i, h := range hunts {
		if err := runHunt(ctx, w, db, srv, i+1, h); err != nil {
			return fmt.Errorf("hunt %d (%s): %w", i+1, h.title, err)
		}
	}
	fmt.Fprintf(w, "Done in %s. Try your own: go run ./cmd/defender-sql --config PATH\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// demoConnection writes the simulator's connection block to a .spc file
// and reads it back, as defender-sql does with a user's config.
func demoConnection(srv *sim.Server, dir string) (spc.Connection, error) {
	path := filepath.Join(dir, "defender.spc")
	if err := os.WriteFile(path, []byte(srv.ConnectionConfig("defender_demo")), 0o600); err != nil {
		return spc.Connection{}, err
	}
	conns, err := spc.Load(path)
	if err != nil {
		return spc.Connection{}, err
	}
	return spc.Find(conns, "defender_demo")
}

// redact hides the client secret in the printed connection block.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "<secret>")
}

func runHunt(ctx context.Context, w io.Writer, db *sqlvtab.DB, srv *sim.Server, n int, h hunt) error {
	fmt.Fprintf(w, "== %d. %s\n%s\n\n", n, h.title, strings.TrimSpace(h.sql))
	srv.ResetCalls()
	t0 := time.Now()
	cols, rows, err := db.QueryAll(ctx, h.sql)
	if err != nil {
		return err
	}
	if err := sqlout.Write(w, sqlout.Table, cols, rows); err != nil {
		return err
	}
	calls := srv.Calls()
	fmt.Fprintf(w, "%d row(s), %d hunting API call(s), %s\n", len(rows), len(calls), time.Since(t0).Round(time.Millisecond))
	for _, c := range calls {
		fmt.Fprintf(w, "  KQL: %s\n", c.Query)
	}
	fmt.Fprintln(w)
	return nil
}
