// Command defender-sim serves a simulated Microsoft Defender XDR tenant on
// the loopback interface: Entra ID token endpoints, the Graph and MDE
// advanced hunting APIs and synthetic data, over HTTPS with a generated CA.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "defender-sim:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("defender-sim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	dir := fs.String("dir", "", "directory for ca.pem (default: a temporary directory)")
	seed := fs.Int64("seed", 1, "seed of the synthetic data")
	rows := fs.Int("rows", 0, "rows per event table (0: the data set's default)")
	rate := fs.Int("rate-limit", sim.DefaultRateLimit, "hunting calls per minute per tenant (0: unlimited)")
	rowCap := fs.Int("row-cap", sim.DefaultRowCap, "most rows one query returns")
	latency := fs.Duration("latency", 0, "delay added to every hunting response")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	s, err := sim.Start(sim.Config{
		Addr:   *addr,
		Dir:    *dir,
		Data:   dataset.Options{Seed: *seed, Rows: *rows},
		RowCap: *rowCap,
	})
	if err != nil {
		return err
	}
	s.Faults().SetRateLimit(*rate)
	s.Faults().SetLatency(*latency)

	fmt.Fprintf(out, "Defender simulator listening on %s (tenant %s)\n", s.URL(), s.Tenant())
	fmt.Fprintf(out, "CA certificate: %s\n\n", s.CAFile())
	fmt.Fprintf(out, "export SSL_CERT_FILE=%s\n\n", s.CAFile())
	fmt.Fprintf(out, "Steampipe connection (paste into ~/.steampipe/config/defender.spc):\n\n%s\n", s.ConnectionConfig("defender_sim"))
	fmt.Fprintf(out, "Delegated sign-in: client_id %q (public client), username %q.\n", sim.DemoPublicClientID, sim.DemoUser)
	fmt.Fprintln(out, "Press Ctrl+C to stop.")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return s.Close()
}
