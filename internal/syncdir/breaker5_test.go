package syncdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A record Commit writes is one the next Open reads back, however long
// its sync value: provision records the value a SIP<MAC>.cnf holds
// (resync.CnfSync takes it as it is, of any length), and a phone's file
// edited to hold a sync value of 70 KB made a manifest line the
// line-at-a-time reader skips as "no line of ours is this long". The
// file is then no longer ours: a removed phone's file is neither reset
// nor removed (its line passwords stay in the TFTP root), and every run
// drops its record again.
func TestLongSyncRecordReadBack(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("7", 70<<10)
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Put("SIP001BD4000005.cnf", []byte("sync: "+long+"\n"), Meta{Sync: long}); err != nil {
		t.Fatal(err)
	}
	if err := d.Put("a.cnf", []byte("A"), Meta{Sync: "2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Close()

	d, err = Open(dir, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := d.Known("SIP001BD4000005.cnf")
	d.Close()
	if !ok || r.Sync != long || !r.Intact {
		t.Errorf("record written by Commit not read back: known %v, intact %v, sync of %d bytes", ok, r.Intact, len(r.Sync))
	}

	// The phone is gone: its file, ours, is removed.
	res, err := Sync(dir, []File{{"a.cnf", []byte("A")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "SIP001BD4000005.cnf")); err == nil {
		t.Errorf("file of ours not removed when no longer wanted (changes: %s)", kinds(res))
	}
}

// A manifest line whose inputs field is longer than 32 hex digits (a
// hand edit, the sha256 pasted there) is a record to ignore, not a crash:
// parseEntry hex-decoded it into the 16-byte Inputs unchecked, so Open
// panicked (index out of range) and every later run failed the same way
// until someone found and fixed the manifest by hand.
func TestManifestLongInputsFieldNoPanic(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"a.cnf", []byte("A")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	sum := strings.Repeat("ab", 32)
	line := "b.cnf 1 2 3 4 " + sum + " " + sum + " 7\n"
	f, err := os.OpenFile(filepath.Join(dir, Manifest), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(line)
	f.Close()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Open panicked on the manifest line %q: %v", line, p)
		}
	}()
	d, err := Open(dir, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if r, ok := d.Known("a.cnf"); !ok || !r.Intact {
		t.Errorf("a.cnf's record lost: %v %+v", ok, r)
	}
}
