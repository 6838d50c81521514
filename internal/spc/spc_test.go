package spc

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const prodSPC = `# production tenant
plugin "defender" {
  memory_max_mb = 512
}

options "database" {
  port = 9193
}

connection "defender_prod" {
  plugin    = "defender"
  tenant_id = "11111111-1111-1111-1111-111111111111"
  client_id = "app-one"
  # a comment between attributes
  client_secret = "s3cret"
  options "connection" {
    cache = true
  }
}

connection "aws" {
  plugin = "aws"
  regions = ["eu-west-1"]
}
`

const devSPC = `connection "defender_dev" {
  plugin = "turbot/defender@latest"
  tenant_id = "dev-tenant"
  username = "alice@contoso.example"
  api = "mde"
  cloud = "eu"
}

connection "defender_empty" {
  plugin = "local/defender"
}

connection "defender_all" {
  type        = "aggregator"
  plugin      = "turbot/defender@latest"
  connections = ["defender_d*", "missing"]
}
`

func TestLoadMultipleFiles(t *testing.T) {
	dir := t.TempDir()
	p1 := write(t, dir, "a.spc", prodSPC)
	p2 := write(t, dir, "b.spc", devSPC)
	files, err := Glob(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(files, []string{p1, p2}) {
		t.Fatalf("Glob = %v", files)
	}
	conns, err := Load(files...)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range conns {
		names = append(names, c.Name)
	}
	want := []string{"defender_prod", "aws", "defender_dev", "defender_empty", "defender_all"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}

	prod := conns[0]
	if prod.Plugin != "defender" || prod.Type != "" || prod.File != p1 || prod.Line != 10 {
		t.Errorf("prod = %+v", prod)
	}
	wantBody := "tenant_id = \"11111111-1111-1111-1111-111111111111\"\n" +
		"client_id = \"app-one\"\n" +
		"client_secret = \"s3cret\"\n"
	if prod.Body != wantBody {
		t.Errorf("prod body = %q, want %q", prod.Body, wantBody)
	}
	if conns[3].Body != "" {
		t.Errorf("empty connection body = %q", conns[3].Body)
	}

	agg := conns[4]
	if agg.Type != "aggregator" || !reflect.DeepEqual(agg.Connections, []string{"defender_d*", "missing"}) || agg.Body != "" {
		t.Errorf("aggregator = %+v", agg)
	}
	var members []string
	for _, m := range agg.Members(conns) {
		members = append(members, m.Name)
	}
	if !reflect.DeepEqual(members, []string{"defender_dev"}) {
		t.Errorf("members = %v", members)
	}
}

// The body must be valid HCL whose attributes decode to the values written.
func TestBodyReparses(t *testing.T) {
	dir := t.TempDir()
	conns, err := Load(write(t, dir, "b.spc", devSPC))
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig([]byte(conns[0].Body), "body", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	attrs := f.Body.(*hclsyntax.Body).Attributes
	got := map[string]string{}
	for name, a := range attrs {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() {
			t.Fatal(d)
		}
		got[name] = v.AsString()
	}
	want := map[string]string{"tenant_id": "dev-tenant", "username": "alice@contoso.example", "api": "mde", "cloud": "eu"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("reparsed body = %v, want %v", got, want)
	}
}

func TestIsDefender(t *testing.T) {
	cases := map[string]bool{
		"defender":            true,
		"local/defender":      true,
		"turbot/defender":     true,
		"turbot/defender@0.1": true,
		"hub.steampipe.io/plugins/x/defender@latest": true,
		"defenderx":           false,
		"aws":                 false,
		"turbot/microsoft365": false,
		"local/defender-old":  false,
	}
	for plugin, want := range cases {
		if got := (Connection{Plugin: plugin}).IsDefender(); got != want {
			t.Errorf("IsDefender(%q) = %v, want %v", plugin, got, want)
		}
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	conns, err := Load(write(t, dir, "a.spc", prodSPC), write(t, dir, "b.spc", devSPC))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Find(conns, "defender_dev")
	if err != nil || c.Name != "defender_dev" {
		t.Fatalf("Find = %+v, %v", c, err)
	}
	_, err = Find(conns, "nope")
	if err == nil || !strings.Contains(err.Error(), `no connection "nope"`) ||
		!strings.Contains(err.Error(), "defender_prod, defender_dev, defender_empty, defender_all") {
		t.Errorf("missing connection error = %v", err)
	}
	_, err = Find(conns, "aws")
	if err == nil || !strings.Contains(err.Error(), `uses plugin "aws"`) || !strings.Contains(err.Error(), "a.spc:21") {
		t.Errorf("wrong plugin error = %v", err)
	}
	_, err = Find(nil, "defender")
	if err == nil || !strings.Contains(err.Error(), "no defender connections") {
		t.Errorf("empty config error = %v", err)
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"syntax", "connection \"a\" {\n  plugin = \"defender\"\n  tenant_id = \n}\n", "bad.spc:3"},
		{"unclosed", "connection \"a\" {\n  plugin = \"defender\"\n", "bad.spc:"},
		{"no label", "\n\nconnection {\n  plugin = \"defender\"\n}\n", "bad.spc:3: a connection block needs exactly one name label"},
		{"no plugin", "connection \"a\" {\n  tenant_id = \"t\"\n}\n", `bad.spc:1: connection "a" has no plugin attribute`},
		{"plugin not string", "connection \"a\" {\n  plugin = 3\n}\n", "bad.spc:2,3-13: plugin must be a string"},
		{"bad type", "connection \"a\" {\n  plugin = \"defender\"\n  type = \"union\"\n}\n", `has type "union"`},
		{"connections not list", "connection \"a\" {\n  plugin = \"defender\"\n  type = \"aggregator\"\n  connections = \"x\"\n}\n", "bad.spc:4,3-20: connections must be a list of strings"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, t.TempDir(), "bad.spc", tc.text)
			_, err := Load(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDuplicateAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	p1 := write(t, dir, "a.spc", "connection \"d\" {\n  plugin = \"defender\"\n}\n")
	p2 := write(t, dir, "b.spc", "\nconnection \"d\" {\n  plugin = \"defender\"\n}\n")
	_, err := Load(p1, p2)
	if err == nil || !strings.Contains(err.Error(), p2+":2") || !strings.Contains(err.Error(), p1+":1") {
		t.Fatalf("err = %v", err)
	}
}

func TestMissingFileAndDir(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "none.spc")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	files, err := Glob(filepath.Join(t.TempDir(), "absent"))
	if err != nil || len(files) != 0 {
		t.Errorf("Glob(absent) = %v, %v", files, err)
	}
}

func TestDir(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if got := Dir(getenv, "/home/u"); got != "/home/u/.steampipe/config" {
		t.Errorf("Dir = %q", got)
	}
	env["STEAMPIPE_INSTALL_DIR"] = "/opt/sp"
	if got := Dir(getenv, "/home/u"); got != "/opt/sp/config" {
		t.Errorf("Dir with STEAMPIPE_INSTALL_DIR = %q", got)
	}
}
