package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/render"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// pureRun runs the model, plan and apply stages on plain values, as Run
// does after reading: no database.
func pureRun(t *testing.T, root string, site siteconf.Site, pbx freepbx.Data, inv inventory.Inventory, dry bool) (Report, error) {
	t.Helper()
	site.TFTPRoot = root
	tmpl, err := render.Load("")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := syncdir.Open(root, syncdir.Options{DryRun: dry})
	if err != nil {
		t.Fatal(err)
	}
	st, err := inventory.Store(inv, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := &inputs{site: site, tmpl: tmpl, proxy: "192.0.2.10", pbx: pbx, inv: st, dir: dir, dry: dry}
	defer in.close()
	rep := Report{Root: root, Site: site}
	m, err := buildModel(in, Options{DryRun: dry}, &rep)
	if err != nil {
		return rep, err
	}
	if err := makePlan(in, m, &rep); err != nil {
		return rep, err
	}
	rep.Result, err = dir.Commit()
	return rep, err
}

// The plan's decisions, step by step on one TFTP root, table-driven and
// without MariaDB: which phones change, the generation, what is written.
func TestPlanSteps(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn",
		"P0S3-08-6-00.loads", "P0S3-08-6-00.sb2", "P003-08-6-00.bin", "P003-08-6-00.sbn"} {
		os.WriteFile(filepath.Join(root, f), []byte("fake"), 0o644)
	}
	site := siteconf.Defaults()
	exts := map[string]freepbx.Extension{
		"1001": {ID: "1001", Tech: "sip", Name: "Alice", Secret: "pw1"},
		"1002": {ID: "1002", Tech: "pjsip", Name: "Bob", Secret: "pw2"},
	}
	pbx := freepbx.Data{Extensions: freepbx.ExtensionsOf(exts)}
	const a, b = macaddr.MAC("0000000000A1"), macaddr.MAC("0000000000A2")
	inv := inventory.Inventory{Phones: []inventory.Phone{
		{MAC: a, Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
		{MAC: b, Model: "7940", Lines: []inventory.Line{{N: 1, Ext: "1002"}}},
	}}
	cnf := func(m macaddr.MAC) string { return filepath.Join(root, "SIP"+string(m)+".cnf") }
	steps := []struct {
		name    string
		change  func()
		dry     bool
		changed string // the phones that get the next generation
		gen     string
		files   int // files added, changed or removed
		check   func(t *testing.T, rep Report)
	}{
		{name: "first run", changed: "0000000000A1 0000000000A2", gen: "2", files: 10},
		{name: "nothing new", changed: "", gen: "2", files: 0, check: func(t *testing.T, rep Report) {
			if rep.Result.Unchanged != 10 {
				t.Errorf("unchanged %d", rep.Result.Unchanged)
			}
		}},
		{name: "one extension renamed", change: func() {
			e := exts["1002"]
			e.Name = "Robert"
			exts["1002"] = e
			pbx.Extensions = freepbx.ExtensionsOf(exts)
		}, changed: "0000000000A2", gen: "3", files: 2},
		{name: "dry run of a site image change", dry: true, change: func() { site.ImageVersion = "P0S3-08-6-00" },
			changed: "0000000000A1 0000000000A2", gen: "4", files: 9, check: func(t *testing.T, rep Report) {
				for _, c := range rep.Result.Changes {
					if c.Name == "SIPDefault.cnf" && (!strings.Contains(string(c.Old()), "P0S3-8-12-00") || !strings.Contains(string(c.New()), "P0S3-08-6-00")) {
						t.Errorf("diff contents: %q -> %q", c.Old(), c.New())
					}
				}
			}},
		{name: "site image change", changed: "0000000000A1 0000000000A2", gen: "4", files: 9},
		{name: "a link planted at a phone file", change: func() {
			os.Remove(cnf(a))
			os.Symlink("/etc/passwd", cnf(a))
		}, changed: "0000000000A1", gen: "5", files: 2, check: func(t *testing.T, rep Report) {
			if len(rep.Result.Replaced) != 1 || !strings.Contains(rep.Result.Replaced[0], "a symbolic link") {
				t.Errorf("replaced %v", rep.Result.Replaced)
			}
			if fi, err := os.Lstat(cnf(a)); err != nil || !fi.Mode().IsRegular() {
				t.Errorf("not replaced: %v %v", fi, err)
			}
		}},
		{name: "a bad row keeps the phone's files", change: func() {
			inv.Phones[0].Lines[0].Ext = "9999"
			inv.Phones = append(inv.Phones[:0:0], inv.Phones...)
		}, changed: "", gen: "5", files: 0, check: func(t *testing.T, rep Report) {
			if len(rep.Config.Problems) != 1 {
				t.Errorf("problems %v", rep.Config.Problems)
			}
			if _, err := os.Stat(cnf(a)); err != nil {
				t.Error("bad phone's file removed")
			}
		}},
		// Not deleted: reset (retire.go), so it gets G' and a check-sync.
		{name: "a phone removed", change: func() { inv.Phones = inv.Phones[1:] }, changed: "0000000000A1", gen: "6", files: 3,
			check: func(t *testing.T, rep Report) {
				if b, err := os.ReadFile(cnf(a)); err != nil || !strings.Contains(string(b), "line1_name: \"\"\n") {
					t.Errorf("removed phone's file not reset: %v\n%s", err, b)
				}
				if len(rep.Retired) != 1 || rep.Retired[0] != a {
					t.Errorf("retired %v", rep.Retired)
				}
			}},
	}
	for _, s := range steps {
		if s.change != nil {
			s.change()
		}
		rep, err := pureRun(t, root, site, pbx, inv, s.dry)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		var changed []string
		for _, m := range rep.Changed {
			changed = append(changed, string(m))
		}
		if got := strings.Join(changed, " "); got != s.changed || rep.Generation != s.gen || len(rep.Result.Changes) != s.files {
			var names []string
			for _, c := range rep.Result.Changes {
				names = append(names, c.Kind.String()+" "+c.Name)
			}
			t.Errorf("%s: changed [%s] generation %s, %d files (%s); want [%s] %s, %d", s.name, got, rep.Generation,
				len(rep.Result.Changes), strings.Join(names, ", "), s.changed, s.gen, s.files)
		}
		if s.check != nil {
			s.check(t, rep)
		}
	}
}
