package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// b12Site is a FreePBX database (schema: one of testdb's generations, or
// testdb.Schema, plus extra SQL) with a TFTP root and a settings file
// (proxy_address 192.0.2.10 plus site). cli runs setup-cisco against it
// with --db-dsn, -c and -r and returns the exit code and stdout+stderr.
type b12Site struct {
	t    *testing.T
	db   *testdb.DB
	root string
	conf string
}

func newB12Site(t *testing.T, schema, extra, site string) *b12Site {
	t.Helper()
	db, cleanup, err := testdb.CreateWith(testdb.BaseDSN(t), schema+"\n"+extra)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	dir := reachableTempDir(t)
	s := &b12Site{t: t, db: db, root: filepath.Join(dir, "tftp"), conf: filepath.Join(dir, "site.conf")}
	os.MkdirAll(s.root, 0o755)
	os.WriteFile(s.conf, []byte("proxy_address = 192.0.2.10\n"+site+"templates = "+dir+"/templates\n"), 0o644)
	return s
}

// cli runs setup-cisco with --db-dsn (no -c/-r: phone commands).
func (s *b12Site) cli(args ...string) (int, string) {
	var out, errb bytes.Buffer
	code := Main(append([]string{"--db-dsn", s.db.DSN}, args...), &out, &errb)
	return code, out.String() + errb.String()
}

// run is a write run (extra options appended).
func (s *b12Site) run(args ...string) (int, string) {
	return s.cli(append([]string{"-c", s.conf, "-r", s.root}, args...)...)
}

func (s *b12Site) file(name string) string {
	b, _ := os.ReadFile(filepath.Join(s.root, name))
	return string(b)
}

func (s *b12Site) mustCLI(args ...string) string {
	s.t.Helper()
	code, out := s.cli(args...)
	if code != 0 {
		s.t.Fatalf("setup-cisco %v: exit %d: %s", args, code, out)
	}
	return out
}
