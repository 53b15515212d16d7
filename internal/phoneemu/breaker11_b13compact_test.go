package phoneemu

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB13OverrideTemplatePaddedForPinnedOldPhone: README (Templates) lets
// an admin replace SIPDefault.cnf.tmpl in /etc/setup-cisco/templates, and
// README ("No comments", "Upgrading phones") promises that no file is
// padded "whatever the image", because "a phone still on 3.x/4.x may read
// any file (a pin it has not reached yet, a site image it is on its way
// to)". render.finish compacts a .cnf only when the file's own image is
// 4.x or older, so with the site at 8.12 and one 7940 pinned to (and
// running) P0S3-04-4-00, as upgrade-path's staged rollout has it, an
// override with a trailing "# end of site defaults" (the trixbox habit of
// commented files) is written as is: exit 0, no warning. Seen on main
// (ed88881): Boot of that 4.4 phone against the files the run wrote fails
// with "SIPDefault.cnf:40: comment or blank line: the running 4.4 load
// fails on padded config files". Right: every .cnf an old-load phone reads
// is compacted (or the run refuses/warns), as with built-in templates
// (TestOldImageReadsSiteFiles).
func TestB13OverrideTemplatePaddedForPinnedOldPhone(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	if err := inventory.Add(ctx, db.DB, inventory.Phone{MAC: "001B54794002", Model: "7940", Image: "P0S3-04-4-00",
		Lines: []inventory.Line{{N: 1, Ext: "2001"}}}); err != nil {
		t.Fatal(err)
	}
	tmpl := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmpl, "SIPDefault.cnf.tmpl"),
		[]byte("{{range .DefaultSettings}}{{.}}\n{{end -}}\n# end of site defaults\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	o := provision.Options{DB: dbconf.Options{DSN: db.DSN}, ConfigPath: filepath.Join(t.TempDir(), "none.conf"),
		TFTPRoot: root, Proxy: "192.0.2.10", Templates: tmpl, LockWait: time.Second}
	if _, err := provision.Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	p := Phone{MAC: "001B54794002", Model: "7940", Running: "P0S3-04-4-00"}
	if r := Boot(serve(t, root), p, nil); !r.OK() {
		t.Errorf("4.4 phone pinned on an 8.12 site with an override SIPDefault.cnf.tmpl: %s", r.Failure)
	}
}

// TestB13OverrideTemplateLeavesLineInFlash: an admin's SIPMAC.cnf.tmpl in
// /etc/setup-cisco/templates that writes only the settings with a value
// (`{{if ne .Value ""}}`, the "no empty keys" habit of trixbox's per-phone
// files). README: "A phone keeps in flash every value no file sets ...
// setup-cisco therefore writes every key it manages in every file" (fact
// sheet §7). Seen on main (ed88881): the run takes the override without a
// word (exit 0); line 2 of the 7960 is removed in the database, the next
// run's SIP<MAC>.cnf no longer mentions line2_*, and the emulated phone,
// booting with its flash, goes on registering 1003 with its old secret.
// Right: the run refuses (or fixes up) a per-phone template that leaves a
// managed key unset, or the removed line stops registering.
func TestB13OverrideTemplateLeavesLineInFlash(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	const mac = "001B54796001"
	if err := inventory.Add(ctx, db.DB, inventory.Phone{MAC: mac, Model: "7960",
		Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 2, Ext: "1003"}}}); err != nil {
		t.Fatal(err)
	}
	tmpl := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmpl, "SIPMAC.cnf.tmpl"),
		[]byte("{{range .PhoneSettings .Phone}}{{if ne .Value \"\"}}{{.}}\n{{end}}{{end -}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	o := provision.Options{DB: dbconf.Options{DSN: db.DSN}, ConfigPath: filepath.Join(t.TempDir(), "none.conf"),
		TFTPRoot: root, Proxy: "192.0.2.10", Templates: tmpl, LockWait: time.Second}
	if _, err := provision.Run(ctx, o); err != nil {
		return // refused: fine
	}
	c := serve(t, root)
	p := Phone{MAC: mac, Model: "7960", Running: "P0S3-8-12-00"}
	r := Boot(c, p, nil)
	if len(r.Lines) != 2 {
		t.Fatalf("first boot: %s %v", r.Failure, r.Lines)
	}
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = ? AND line = 2", mac)
	if _, err := provision.Run(ctx, o); err != nil {
		return
	}
	p.Flash = r.Flash
	r = Boot(c, p, nil)
	for _, l := range r.Lines {
		if l.Name == "1003" {
			t.Errorf("line 2 (1003), removed in the database, still registers from flash (kept: %v)", r.Kept)
		}
	}
}
