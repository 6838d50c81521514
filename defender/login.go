package defender

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/auth"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/spc"
)

// Login is the plugin binary's login command: it signs a user in for a
// connection that uses delegated auth and stores the token cache that the
// plugin then reads. args are the words after "login".
func Login(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	fs.SetOutput(out)
	home, _ := os.UserHomeDir()
	name := fs.String("connection", "", "the connection to sign in for (default: the only defender connection)")
	dir := fs.String("config", spc.Dir(os.Getenv, home), "a .spc file or a directory of them")
	browser := fs.Bool("browser", false, "sign in in a browser (the command named by $BROWSER, or the system browser) instead of with a device code")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files := []string{*dir}
	if st, err := os.Stat(*dir); err == nil && st.IsDir() {
		var gerr error
		if files, gerr = spc.Glob(*dir); gerr != nil {
			return gerr
		}
	}
	conns, err := spc.Load(files...)
	if err != nil {
		return err
	}
	c, err := pickConnection(conns, *name)
	if err != nil {
		return err
	}
	cfg, err := decodeConfig(c)
	if err != nil {
		return err
	}
	s, err := cfg.resolve(c.Name, os.Getenv)
	if err != nil {
		return err
	}
	s.auth.OpenURL = browserCommand(os.Getenv)
	if err := auth.Login(ctx, s.auth, *browser, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "Signed in. Tokens for connection %q are cached in %s.\n", c.Name, s.auth.TokenCachePath)
	return nil
}

// pickConnection finds the named connection, or the only defender
// connection when no name is given.
func pickConnection(conns []spc.Connection, name string) (spc.Connection, error) {
	if name != "" {
		return spc.Find(conns, name)
	}
	var found []spc.Connection
	for _, c := range conns {
		if c.IsDefender() && c.Type == "" {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return spc.Connection{}, errors.New("no defender connection found; add one to ~/.steampipe/config/defender.spc or pass --config")
	case 1:
		return found[0], nil
	}
	return spc.Connection{}, fmt.Errorf("%d defender connections found; choose one with --connection", len(found))
}

// decodeConfig decodes a connection's HCL body as the SDK does.
func decodeConfig(c spc.Connection) (Config, error) {
	var cfg Config
	f, diags := hclparse.NewParser().ParseHCL([]byte(c.Body), c.File)
	if diags.HasErrors() {
		return cfg, fmt.Errorf("connection %q: %s", c.Name, diags.Error())
	}
	if diags := gohcl.DecodeBody(f.Body, nil, &cfg); diags.HasErrors() {
		return cfg, fmt.Errorf("connection %q: %s", c.Name, diags.Error())
	}
	return cfg, nil
}

// browserCommand returns an opener that runs the command named by
// $BROWSER with the sign-in URL, as many command-line tools do, for hosts
// without a desktop browser; nil leaves MSAL to open the system browser.
func browserCommand(getenv func(string) string) func(string) error {
	name := strings.TrimSpace(getenv("BROWSER"))
	if name == "" {
		return nil
	}
	return func(url string) error {
		cmd := exec.Command(name, url)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("starting the browser named by BROWSER: %w", err)
		}
		go cmd.Wait() // a browser may outlive the sign-in
		return nil
	}
}
