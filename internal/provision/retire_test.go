package provision

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
)

// A phone that leaves the inventory keeps a SIP<MAC>.cnf with every key of
// the key table's per-phone part at its reset value, until it is forgotten
// or deleted by hand; re-adding it brings its normal file back.
func TestRetiredPhone(t *testing.T) {
	db, o := site(t)
	if err := os.WriteFile(o.ConfigPath, []byte("phone_password = Adm1nPw\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	addPhone(t, db, "001122AABBCD", "7940", "1002", "1003")
	run(t, o)
	cnf := filepath.Join(o.TFTPRoot, "SIP001122AABBCD.cnf")
	if f := read(t, cnf); !strings.Contains(f, `line2_name: "1003"`) || !strings.Contains(f, `phone_password: "Adm1nPw"`) {
		t.Fatalf("phone's file:\n%s", f)
	}
	remove := func(mac string) {
		db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac = ?", mac)
		db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = ?", mac)
	}
	remove("001122AABBCD")
	rep := run(t, o)
	if len(rep.Retired) != 1 || rep.Retired[0] != "001122AABBCD" || len(rep.Changed) != 1 || rep.Changed[0] != "001122AABBCD" {
		t.Errorf("retired %v, changed %v", rep.Retired, rep.Changed)
	}
	// Every per-phone key of the table, at its reset value: the same
	// rendering a phone with nothing set gets.
	var want strings.Builder
	cfg := phonecfg.Config{}
	p := phonecfg.RetiredPhone("001122AABBCD")
	p.Sync = rep.Generation
	for _, s := range cfg.PhoneSettings(p) {
		want.WriteString(s.String() + "\n")
	}
	got := read(t, cnf)
	if got != want.String() {
		t.Errorf("retired file:\n%s\nwant:\n%s", got, want.String())
	}
	for _, k := range phonecfg.Keys {
		if k.File == phonecfg.PhoneFile && k.PerLine() && k.Reset == `""` {
			for n := 1; n <= 6; n++ {
				key := strings.Replace(k.Name, "N_", string(rune('0'+n))+"_", 1)
				if !strings.Contains(got, key+": \"\"\n") {
					t.Errorf("%s not reset", key)
				}
			}
		}
	}
	if !strings.Contains(got, `phone_password: "cisco"`) || strings.Contains(got, "Adm1nPw") || strings.Contains(got, "1002") {
		t.Errorf("retired file keeps a setting:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(o.TFTPRoot, "SEP001122AABBCD.cnf.xml")); !os.IsNotExist(err) {
		t.Errorf("SEP file of a retired phone: %v", err)
	}

	// Kept, unchanged, run after run; listed as retired.
	before := snapshot(t, o.TFTPRoot)
	if rep := run(t, o); len(rep.Result.Changes) != 0 || len(rep.Retired) != 1 {
		t.Errorf("second run: changes %v, retired %v", rep.Result.Changes, rep.Retired)
	}
	if after := snapshot(t, o.TFTPRoot); after != before {
		t.Errorf("second run touched the tree")
	}
	inv, err := Inventory(context.Background(), o.DB)
	if err != nil {
		t.Fatal(err)
	}
	if _, macs, err := Retired(o, inv); err != nil || len(macs) != 1 || macs[0] != "001122AABBCD" {
		t.Errorf("Retired: %v %v", macs, err)
	}

	// Forget: refused for a phone in the inventory and for one without a
	// retired file; then the file is gone and stays gone.
	if _, err := Forget(context.Background(), o, "001122AABBCC"); err == nil || !strings.Contains(err.Error(), "remove it first") {
		t.Errorf("forget a phone in the inventory: %v", err)
	}
	if _, err := Forget(context.Background(), o, "00AABBCCDD99"); !errors.Is(err, ErrNotRetired) {
		t.Errorf("forget an unknown phone: %v", err)
	}
	if _, err := Forget(context.Background(), o, "001122AABBCD"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cnf); !os.IsNotExist(err) {
		t.Errorf("forgotten file: %v", err)
	}
	if rep := run(t, o); len(rep.Retired) != 0 || len(rep.Result.Changes) != 0 {
		t.Errorf("after forget: retired %v, changes %v", rep.Retired, rep.Result.Changes)
	}
	if _, err := os.Stat(cnf); !os.IsNotExist(err) {
		t.Errorf("forgotten file made again: %v", err)
	}

	// A retired file deleted by hand is dropped from the manifest.
	remove("001122AABBCC")
	run(t, o)
	other := filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")
	if !strings.Contains(read(t, other), `line1_name: ""`) {
		t.Fatal("not retired")
	}
	os.Remove(other)
	run(t, o)
	run(t, o)
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("deleted retired file made again: %v", err)
	}
	if strings.Contains(read(t, filepath.Join(o.TFTPRoot, ".setup-cisco-files")), "001122AABBCC") {
		t.Error("deleted retired file still in the manifest")
	}

	// Re-added: the normal file replaces the retired one.
	addPhone(t, db, "001122AABBCD", "7940", "1002")
	run(t, o)
	remove("001122AABBCD")
	run(t, o)
	addPhone(t, db, "001122AABBCD", "7940", "1003")
	rep = run(t, o)
	if f := read(t, cnf); !strings.Contains(f, `line1_name: "1003"`) || !strings.Contains(f, `phone_password: "Adm1nPw"`) || len(rep.Retired) != 0 {
		t.Errorf("re-added phone (retired %v):\n%s", rep.Retired, f)
	}
}
