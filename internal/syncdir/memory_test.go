package syncdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A manifest line longer than the reader's buffer is read whole, and so
// are the records around it.
func TestManifestLongLineRead(t *testing.T) {
	dir := t.TempDir()
	files := []File{{"a.cnf", []byte("A")}, {"c.cnf", []byte("C")}}
	if _, err := Sync(dir, files, Options{}); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, Manifest)
	text := read(t, m)
	long := "b.cnf " + strings.Repeat("9", 200<<10) + "\n"
	i := strings.Index(text, "c.cnf")
	if err := os.WriteFile(m, []byte(text[:i]+long+text[i:]), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var got []string
	for name := range d.Recorded() {
		got = append(got, name)
	}
	if len(got) != 3 || !d.recordedOld("a.cnf") || !d.recordedOld("b.cnf") || !d.recordedOld("c.cnf") {
		t.Errorf("records read around a long line: %v", got)
	}
	for _, n := range []string{"a.cnf", "c.cnf"} {
		if r, ok := d.Known(n); !ok || !r.Intact {
			t.Errorf("%s: known %v, record %+v", n, ok, r)
		}
	}
}

// recordedOld says whether the manifest Open read records name.
func (d *Dir) recordedOld(name string) bool {
	return d.old.has(name)
}

// A run that reuses every file leaves the manifest as it was: not
// rewritten (same inode), the reused records taken as they were.
func TestReuseEverythingWritesNoManifest(t *testing.T) {
	dir := t.TempDir()
	files := []File{{"a.cnf", []byte("A")}, {"b.cnf", []byte("B")}}
	if _, err := Sync(dir, files, Options{}); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, Manifest)
	before := read(t, m)
	ino, _ := stat(t, m)
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, f := range files {
		if r, ok := d.Known(f.Name); !ok || !r.Intact {
			t.Fatalf("%s not intact", f.Name)
		}
		if err := d.Reuse(f.Name); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Reuse("a.cnf"); err == nil {
		t.Error("a file reused twice")
	}
	if _, err := d.Compare("b.cnf", []byte("B")); err == nil {
		t.Error("a reused file compared again")
	}
	if d.Pending() {
		t.Error("pending after reusing everything")
	}
	res, err := d.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged != 2 || len(res.Changes) != 0 || len(res.Written) != 0 {
		t.Errorf("result %+v", res)
	}
	if after := read(t, m); after != before {
		t.Errorf("manifest changed:\n%s\nwas\n%s", after, before)
	}
	if ino2, _ := stat(t, m); ino2 != ino {
		t.Error("manifest rewritten")
	}
}

// Some files reused, one changed, one removed: the new manifest holds the
// reused records as they were, the new one, and not the removed one.
func TestReusedAndWrittenRecords(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"a.cnf", []byte("A")}, {"b.cnf", []byte("B")}, {"c.cnf", []byte("C")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, Manifest)
	lineOf := func(text, name string) string {
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, name+" ") {
				return l
			}
		}
		return ""
	}
	before := read(t, m)
	d, err := Open(dir, Options{ManifestLater: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.ReadManifest(); err != nil {
		t.Fatal(err)
	}
	if err := d.Reuse("a.cnf"); err != nil {
		t.Fatal(err)
	}
	if err := d.Put("b.cnf", []byte("B2"), Meta{Sync: "3"}); err != nil {
		t.Fatal(err)
	}
	if !d.Pending() {
		t.Error("not pending")
	}
	res, err := d.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(res); got != "changed b.cnf, removed c.cnf" {
		t.Errorf("changes: %s", got)
	}
	after := read(t, m)
	if a := lineOf(after, "a.cnf"); a == "" || a != lineOf(before, "a.cnf") {
		t.Errorf("a.cnf's record %q, was %q", a, lineOf(before, "a.cnf"))
	}
	if b := lineOf(after, "b.cnf"); !strings.HasSuffix(b, " 3") || b == lineOf(before, "b.cnf") {
		t.Errorf("b.cnf's record %q", b)
	}
	if c := lineOf(after, "c.cnf"); c != "" {
		t.Errorf("removed c.cnf still recorded: %q", c)
	}
	if _, err := os.Stat(filepath.Join(dir, "c.cnf")); !os.IsNotExist(err) {
		t.Errorf("c.cnf not removed: %v", err)
	}
}

// FuzzReadManifest: whatever the manifest holds (hand edits, a truncated
// write, garbage), Open reads it without panicking.
func FuzzReadManifest(f *testing.F) {
	sum := strings.Repeat("ab", 32)
	for _, s := range []string{
		"",
		"# header\na.cnf 1 2 3 4 " + sum + " " + strings.Repeat("cd", 16) + " 7\n",
		"a.cnf 1 2 3 4 " + sum + " " + sum + " 7\n",
		"b.cnf\nc.cnf 1 2\n\n   \n",
		"d.cnf -1 +2 3 18446744073709551616 " + sum + "\r\n",
		strings.Repeat("n", 70000) + " 1 2 3 4 " + sum + "\nb.cnf\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, Manifest), data, 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := Open(dir, Options{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		for name := range d.Recorded() {
			d.Known(name)
		}
		d.Close()
	})
}

// A name recorded twice (a hand edit): the last record counts, and the
// name can be reused once.
func TestManifestDuplicateLastWins(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"a.cnf", []byte("A")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, Manifest)
	text := read(t, m)
	if err := os.WriteFile(m, []byte(strings.Replace(text, "a.cnf ", "a.cnf\na.cnf ", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if r, ok := d.Known("a.cnf"); !ok || !r.Intact {
		t.Fatalf("a.cnf: known %v, %+v (the first, name-only line won)", ok, r)
	}
	if err := d.Reuse("a.cnf"); err != nil {
		t.Fatal(err)
	}
	if err := d.Reuse("b.cnf"); err == nil {
		t.Error("a name with no record reused")
	}
	if _, err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	// Nothing changed: the manifest is left as it is, twice the name.
	if got := strings.Count(read(t, m), "a.cnf"); got != 2 {
		t.Errorf("a.cnf recorded %d times", got)
	}
}
