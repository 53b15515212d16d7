package phoneemu

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// The emulator keeps flash like the phone: a line a file stops setting goes
// on registering with its old credentials.
func TestFlashKeepsWhatNoFileSets(t *testing.T) {
	dir := site(t)
	c := serve(t, dir)
	p := Phone{MAC: "001B54796001", Model: "7960"}
	r := Boot(c, p, nil)
	if !r.OK() || len(r.Lines) != 2 {
		t.Fatalf("first boot: %s %v", r.Failure, r.Lines)
	}
	// Line 2 left out of the file, as setup-cisco did before issue 10.
	write(t, dir, "SIP001B54796001.cnf", "line1_name: \"1001\"\nline1_authname: \"1001\"\nline1_password: \"secret1\"\nproxy1_address: \"192.0.2.10\"\n", 0o644)
	p.Flash = r.Flash
	r = Boot(c, p, nil)
	if len(r.Lines) != 2 || r.Lines[1].Name != "1003" || r.Lines[1].Password != "secret3" {
		t.Fatalf("line 2 left out of the file: lines %v, want it kept from flash", r.Lines)
	}
	if strings.Join(r.Kept, " ") != "line2_name line2_password proxy2_address proxy2_port" {
		t.Errorf("kept %v", r.Kept)
	}
	// Cleared explicitly: gone.
	write(t, dir, "SIP001B54796001.cnf", "line1_name: \"1001\"\nline1_password: \"secret1\"\nline2_name: \"\"\nline2_password: \"\"\n", 0o644)
	p.Flash = r.Flash
	if r = Boot(c, p, nil); len(r.Lines) != 1 || r.Flash["line2_name"] != "" {
		t.Errorf("line 2 cleared: lines %v, flash %q", r.Lines, r.Flash["line2_name"])
	}
	// No SIP<MAC>.cnf at all (a removed phone's file deleted): the phone
	// goes on registering with what its flash holds.
	if err := os.Remove(filepath.Join(dir, "SIP001B54796001.cnf")); err != nil {
		t.Fatal(err)
	}
	p.Flash = r.Flash
	if r = Boot(c, p, nil); !r.OK() || len(r.Lines) != 1 || r.Lines[0].Name != "1001" || r.Lines[0].Password != "secret1" {
		t.Errorf("file deleted: %q, lines %v, want line 1 kept from flash", r.Failure, r.Lines)
	}
}

// Done-when of issue 10: a line removed in the database, or left blank
// (`--lines 1001,,1003`), is empty on the phone after its next boot, from
// the files a real setup-cisco run writes.
func TestRemovedLineClearedAfterBoot(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	const mac = "001B54796001"
	if err := inventory.Add(ctx, db.DB, inventory.Phone{MAC: mac, Model: "7960",
		Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 2, Ext: "1002"}, {N: 3, Ext: "1003"}}}); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	o := provision.Options{DB: dbconf.Options{DSN: db.DSN}, ConfigPath: filepath.Join(t.TempDir(), "none.conf"),
		TFTPRoot: root, Proxy: "192.0.2.10", Templates: filepath.Join(t.TempDir(), "none"), LockWait: time.Second}
	runOnce := func() {
		t.Helper()
		if _, err := provision.Run(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	runOnce()
	c := serve(t, root)
	p := Phone{MAC: mac, Model: "7960", Running: "P0S3-8-12-00"}
	r := Boot(c, p, nil)
	if !r.OK() || len(r.Lines) != 3 {
		t.Fatalf("first boot: %q, lines %v", r.Failure, r.Lines)
	}
	p.Flash = r.Flash

	// --lines 1001,,1003: line 2 left blank.
	if err := inventory.Set(ctx, db.DB, mac, inventory.Change{Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 3, Ext: "1003"}}}); err != nil {
		t.Fatal(err)
	}
	runOnce()
	r = Boot(c, p, nil)
	if !r.OK() || len(r.Lines) != 2 || r.Lines[0].N != 1 || r.Lines[1].N != 3 || len(r.Kept) != 0 {
		t.Fatalf("line 2 blanked: %q, lines %v, kept %v", r.Failure, r.Lines, r.Kept)
	}
	for _, k := range []string{"line2_name", "line2_authname", "line2_password", "line2_displayname", "line2_shortname", "proxy2_address"} {
		if v, ok := r.Flash[k]; !ok || v != "" {
			t.Errorf("after the boot %s = %q (set %v), want empty", k, v, ok)
		}
	}
	p.Flash = r.Flash

	// Line 3 removed in the database.
	db.MustExec(t, "DELETE FROM "+inventory.LineTable+" WHERE mac = ? AND line = 3", mac)
	runOnce()
	r = Boot(c, p, nil)
	if !r.OK() || len(r.Lines) != 1 || r.Flash["line3_name"] != "" || r.Flash["line3_password"] != "" {
		t.Errorf("line 3 removed: %q, lines %v, flash line3_name %q", r.Failure, r.Lines, r.Flash["line3_name"])
	}
	p.Flash = r.Flash

	// The phone removed (phone remove): its SIP<MAC>.cnf is reset, not
	// deleted, so the phone registers no line after its next boot.
	if err := inventory.Remove(ctx, db.DB, mac); err != nil {
		t.Fatal(err)
	}
	runOnce()
	r = Boot(c, p, nil)
	if len(r.Lines) != 0 || len(r.Kept) != 0 || r.Flash["line1_name"] != "" || r.Flash["line1_password"] != "" {
		t.Errorf("phone removed: %q, lines %v, kept %v, flash line1_name %q", r.Failure, r.Lines, r.Kept, r.Flash["line1_name"])
	}
}

// A phone pinned to (and running) 4.4 reads the site's SIPDefault.cnf of an
// 8.12 site too: every file it reads must be compact (issue 10.4).
func TestOldImageReadsSiteFiles(t *testing.T) {
	dir := site(t)
	write(t, dir, "SIP001B54794002.cnf", "image_version: P0S3-04-4-00\nline1_name: 2001\nline1_password: pw\nproxy1_address: 192.0.2.10\n", 0o644)
	p := Phone{MAC: "001B54794002", Model: "7940", Running: "P0S3-04-4-00"}
	if r := Boot(serve(t, dir), p, nil); r.OK() || !strings.Contains(r.Failure, "SIPDefault.cnf:2: comment or blank line: the running 4.4 load") {
		t.Errorf("padded SIPDefault.cnf on 4.4: %q", r.Failure)
	}

	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	if err := inventory.Add(ctx, db.DB, inventory.Phone{MAC: "001B54794002", Model: "7940", Image: "P0S3-04-4-00",
		Lines: []inventory.Line{{N: 1, Ext: "2001"}}}); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	o := provision.Options{DB: dbconf.Options{DSN: db.DSN}, ConfigPath: filepath.Join(t.TempDir(), "none.conf"),
		TFTPRoot: root, Proxy: "192.0.2.10", Templates: filepath.Join(t.TempDir(), "none"), LockWait: time.Second}
	if _, err := provision.Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	r := Boot(serve(t, root), p, nil)
	if !r.OK() || r.Image != "P0S3-04-4-00" || r.Upgrade || len(r.Lines) != 1 {
		t.Errorf("4.4 phone on an 8.12 site: %q, image %s, lines %v", r.Failure, r.Image, r.Lines)
	}
}
