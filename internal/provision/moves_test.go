package provision

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// moveImages puts every file of P0S3-04-4-00 and P0S3-8-12-00 in the TFTP
// root, readable by the daemon, so that a move is the only firmware problem.
func moveImages(t *testing.T, root string) {
	t.Helper()
	for _, f := range []string{"P0S3-04-4-00.bin", "P0S3-05-1-00.bin", "P0S3-05-1-00.sbn", "P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte("image "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for d := root; d != "/"; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.Mode().Perm()&0o001 == 0 {
			os.Chmod(d, st.Mode().Perm()|0o005)
		}
	}
}

// Each phone whose file is written is checked for the move it is told to
// make, however many phones share it: twelve phones pinned from a 4.4 site
// straight to 8.12 are named (ten, and how many more), and --strict writes
// none of them.
func TestSharedPinMoveEachChecked(t *testing.T) {
	db, o := site(t)
	moveImages(t, o.TFTPRoot)
	o.Image = "P0S3-04-4-00"
	for i := range 12 {
		addPhone(t, db, fmt.Sprintf("00112233AD%02X", i), "7960", "1001")
	}
	run(t, o)
	db.MustExec(t, "UPDATE setup_cisco_phone SET image = 'P0S3-8-12-00'")
	before := snapshot(t, o.TFTPRoot)
	o.Strict = true
	_, err := Run(t.Context(), o)
	var fe *FatalError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "moving from P0S3-04-4-00 straight to P0S3-8-12-00 skips a required step") ||
		!strings.Contains(err.Error(), "00112233AD00, ") || !strings.Contains(err.Error(), " and 2 more") {
		t.Fatalf("--strict, twelve phones pinned 4.4 -> 8.12: %v", err)
	}
	if snapshot(t, o.TFTPRoot) != before {
		t.Errorf("--strict changed the TFTP root")
	}
}

// A pin cleared sends the phone to the site image: from a signed pin to an
// unsigned site image that goes below 5.0, said for that phone, with how to
// keep it where it is.
func TestClearedPinSignedDowngrade(t *testing.T) {
	db, o := site(t)
	moveImages(t, o.TFTPRoot)
	o.Image = "P0S3-04-4-00"
	addPhone(t, db, "00112233AE01", "7960", "1001")
	addPhone(t, db, "00112233AE02", "7960", "1002")
	db.MustExec(t, "UPDATE setup_cisco_phone SET image = 'P0S3-8-12-00' WHERE mac = '00112233AE01'")
	run(t, o)
	db.MustExec(t, "UPDATE setup_cisco_phone SET image = '' WHERE mac = '00112233AE01'")
	rep := run(t, o)
	want := "phone 00112233AE01, whose SIP<MAC>.cnf no longer sets image_version (the site image from now on): moving from P0S3-8-12-00 to P0S3-04-4-00 goes below 5.0"
	if len(rep.Firmware) != 1 || !strings.HasPrefix(rep.Firmware[0], want) {
		t.Errorf("firmware warnings %q, want one: %s", rep.Firmware, want)
	}
	// Said once: the next run has nothing to do and nothing to say.
	o.CheckWritable = true
	if rep := run(t, o); len(rep.Firmware) != 0 {
		t.Errorf("rerun: %q", rep.Firmware)
	}
}

// A retired phone keeps its pin: its lines are cleared, its load is not
// changed, and the kept file is reused run after run.
func TestRetiredPhoneKeepsPin(t *testing.T) {
	db, o := site(t)
	moveImages(t, o.TFTPRoot)
	o.Image = "P0S3-8-12-00"
	addPhone(t, db, "00112233AF01", "7960", "1001")
	addPhone(t, db, "00112233AF02", "7960", "1002")
	db.MustExec(t, "UPDATE setup_cisco_phone SET image = 'P0S3-05-1-00' WHERE mac = '00112233AF01'")
	run(t, o)
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac LIKE '00112233AF0%'")
	db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac LIKE '00112233AF0%'")
	o.Strict = true
	rep := run(t, o)
	if len(rep.Retired) != 2 || len(rep.Firmware) != 0 {
		t.Errorf("retired %v, firmware %q", rep.Retired, rep.Firmware)
	}
	f := read(t, filepath.Join(o.TFTPRoot, "SIP00112233AF01.cnf"))
	if !strings.HasPrefix(f, "image_version: \"P0S3-05-1-00\"\n") || !strings.Contains(f, "line1_name: \"\"\n") {
		t.Errorf("retired pinned phone's file:\n%s", f)
	}
	if f := read(t, filepath.Join(o.TFTPRoot, "SIP00112233AF02.cnf")); strings.Contains(f, "image_version") {
		t.Errorf("retired phone without a pin got one:\n%s", f)
	}
	before := snapshot(t, o.TFTPRoot)
	if rep := run(t, o); len(rep.Result.Changes) != 0 {
		t.Errorf("rerun changed %v", rep.Result.Changes)
	}
	if snapshot(t, o.TFTPRoot) != before {
		t.Errorf("rerun touched the tree")
	}
	// The pinned image's files go: the retired file still points there.
	os.Remove(filepath.Join(o.TFTPRoot, "P0S3-05-1-00.sbn"))
	o.Strict, o.CheckWritable = false, true
	if rep := run(t, o); len(rep.Firmware) != 1 || !strings.Contains(rep.Firmware[0], "pinned image of phone 00112233AF01 (retired) P0S3-05-1-00") {
		t.Errorf("firmware warnings %q", rep.Firmware)
	}
}
