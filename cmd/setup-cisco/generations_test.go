package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestGenerationsWritePath runs the whole write path (phone add, then a
// write run) against each FreePBX generation's schema
// (internal/testdb/generations), and once more on a server with
// lower_case_table_names=1, and checks the port every line is given.
func TestGenerationsWritePath(t *testing.T) {
	base := testdb.BaseDSN(t)
	// generation -> extension -> proxyN_port the phone must get
	want := map[string]map[string]string{
		"freepbx2":  {"201": "5062", "202": "5062"},
		"freepbx13": {"1301": "5160", "1302": "5060"},
		"freepbx14": {"1401": "5070", "1402": "5070"},
		"freepbx16": {"1601": "5160", "1602": "5060"},
	}
	run := func(t *testing.T, base string) {
		for _, g := range testdb.Generations {
			t.Run(g, func(t *testing.T) {
				db, cleanup, err := testdb.CreateWith(base, testdb.Generation(g))
				if err != nil {
					t.Fatal(err)
				}
				defer cleanup()
				dir := reachableTempDir(t)
				root := filepath.Join(dir, "tftp")
				if err := os.MkdirAll(root, 0o755); err != nil {
					t.Fatal(err)
				}
				conf := filepath.Join(dir, "site.conf")
				os.WriteFile(conf, []byte("proxy_address = 192.0.2.10\ntemplates = "+dir+"/templates\n"), 0o644)
				var exts []string
				for e := range want[g] {
					exts = append(exts, e)
				}
				if len(exts) > 1 && exts[0] > exts[1] {
					exts[0], exts[1] = exts[1], exts[0]
				}
				cli := func(args ...string) (int, string) {
					var out, errb bytes.Buffer
					code := Main(append([]string{"--db-dsn", db.DSN}, args...), &out, &errb)
					return code, out.String() + errb.String()
				}
				if code, out := cli("phone", "add", "00112233AA01", strings.Join(exts, ","), "--model", "7960"); code != 0 {
					t.Fatalf("phone add: exit %d: %s", code, out)
				}
				if code, out := cli("-c", conf, "-r", root); code != 0 {
					t.Fatalf("write run: exit %d: %s", code, out)
				}
				cnf, err := os.ReadFile(filepath.Join(root, "SIP00112233AA01.cnf"))
				if err != nil {
					t.Fatal(err)
				}
				for i, e := range exts {
					n := string(rune('1' + i))
					if !regexp.MustCompile(`(?m)^line` + n + `_name: "` + e + `"$`).Match(cnf) {
						t.Errorf("line %s is not %s:\n%s", n, e, cnf)
					}
					if !regexp.MustCompile(`(?m)^proxy` + n + `_port: "` + want[g][e] + `"$`).Match(cnf) {
						t.Errorf("extension %s: want proxy%s_port %s:\n%s", e, n, want[g][e], cnf)
					}
				}
				// A second run changes nothing.
				if code, out := cli("-c", conf, "-r", root, "-v"); code != 0 || !strings.Contains(out, " 0 file(s) changed") {
					t.Errorf("second run: exit %d: %s", code, out)
				}
			})
		}
	}
	t.Run("shared server", func(t *testing.T) { run(t, base) })
	t.Run("lower_case_table_names=1", func(t *testing.T) { run(t, testdb.Server(t, "--lower-case-table-names=1")) })
}
