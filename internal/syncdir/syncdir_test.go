package syncdir

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func stat(t *testing.T, p string) (uint64, time.Time) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime()
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func kinds(r Result) string {
	var s []string
	for _, c := range r.Changes {
		s = append(s, c.Kind.String()+" "+c.Name)
	}
	return strings.Join(s, ", ")
}

func TestSyncAddChangeUnchangedPrune(t *testing.T) {
	dir := t.TempDir()
	// The admin's own file and firmware: never ours, never removed.
	os.WriteFile(filepath.Join(dir, "P0S3-8-12-00.loads"), []byte("fw"), 0o644)
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("admin"), 0o600)

	r, err := Sync(dir, []File{{"a.cnf", []byte("A1")}, {"b.cnf", []byte("B1")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(r); got != "added a.cnf, added b.cnf" {
		t.Errorf("first run: %s", got)
	}
	for _, n := range []string{"a.cnf", "b.cnf"} {
		fi, _ := os.Stat(filepath.Join(dir, n))
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v", n, fi.Mode())
		}
	}
	inoA, mtA := stat(t, filepath.Join(dir, "a.cnf"))
	time.Sleep(10 * time.Millisecond)

	// Same content again: nothing written, inode and mtime stay.
	r, err = Sync(dir, []File{{"a.cnf", []byte("A1")}, {"b.cnf", []byte("B1")}}, Options{})
	if err != nil || len(r.Changes) != 0 || r.Unchanged != 2 {
		t.Fatalf("rerun: %+v %v", r, err)
	}
	if ino, mt := stat(t, filepath.Join(dir, "a.cnf")); ino != inoA || !mt.Equal(mtA) {
		t.Error("unchanged file was touched")
	}

	// Change b, drop a (ours: removed), add c.
	r, err = Sync(dir, []File{{"b.cnf", []byte("B2")}, {"c.cnf", []byte("C")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(r); got != "removed a.cnf, changed b.cnf, added c.cnf" {
		t.Errorf("third run: %s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.cnf")); !os.IsNotExist(err) {
		t.Error("a.cnf not removed")
	}
	if read(t, filepath.Join(dir, "b.cnf")) != "B2" || read(t, filepath.Join(dir, "mine.txt")) != "admin" ||
		read(t, filepath.Join(dir, "P0S3-8-12-00.loads")) != "fw" {
		t.Error("wrong contents after third run")
	}
	if m := read(t, filepath.Join(dir, Manifest)); !regexp.MustCompile(`(?m)^b\.cnf 2 \d+ \d+ \d+ [0-9a-f]{64}\nc\.cnf `).MatchString(m) || strings.Contains(m, "a.cnf") {
		t.Errorf("manifest:\n%s", m)
	}
	// Nothing of ours is left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) || strings.HasPrefix(e.Name(), manifestTempPrefix) {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestKeepBadPhoneFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"SIPA.cnf", []byte("old")}, {"SIPB.cnf", []byte("b")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	ino, mt := stat(t, filepath.Join(dir, "SIPA.cnf"))
	r, err := Sync(dir, []File{{"SIPB.cnf", []byte("b2")}}, Options{Keep: []string{"SIPA.cnf"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(r); got != "changed SIPB.cnf" {
		t.Errorf("changes: %s", got)
	}
	if i, m := stat(t, filepath.Join(dir, "SIPA.cnf")); i != ino || !m.Equal(mt) {
		t.Error("kept file was touched")
	}
	// Still ours: removed once it is neither wanted nor kept.
	r, err = Sync(dir, []File{{"SIPB.cnf", []byte("b2")}}, Options{})
	if err != nil || kinds(r) != "removed SIPA.cnf" {
		t.Errorf("later run: %s %v", kinds(r), err)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	dir := t.TempDir()
	Sync(dir, []File{{"a", []byte("1")}}, Options{})
	os.WriteFile(filepath.Join(dir, tempPrefix+"x.123"), []byte("half"), 0o644)
	before := snapshot(t, dir)
	r, err := Sync(dir, []File{{"a", []byte("2")}, {"b", []byte("3")}}, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(r); got != "changed a, added b" {
		t.Errorf("dry run: %s", got)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("dry run changed the directory:\n%s\n%s", before, after)
	}
}

func TestCleansLeftoversAndFixesMode(t *testing.T) {
	dir := t.TempDir()
	Sync(dir, []File{{"a", []byte("1")}}, Options{})
	os.WriteFile(filepath.Join(dir, tempPrefix+"a.999"), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(dir, manifestTempPrefix+"12345"), []byte("half"), 0o600)
	os.Chmod(filepath.Join(dir, "a"), 0o600)
	r, err := Sync(dir, []File{{"a", []byte("1")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cleaned != 2 || len(r.ModeFixed) != 1 {
		t.Errorf("result %+v", r)
	}
	fi, _ := os.Stat(filepath.Join(dir, "a"))
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
}

func TestRefusesBadNames(t *testing.T) {
	for _, n := range []string{"", "..", "a/b", Manifest, ".setup-cisco.lock"} {
		if _, err := Sync(t.TempDir(), []File{{n, nil}}, Options{}); err == nil {
			t.Errorf("name %q accepted", n)
		}
	}
	if _, err := Sync(t.TempDir(), []File{{"a", nil}, {"a", nil}}, Options{}); err == nil {
		t.Error("duplicate accepted")
	}
}

func TestUnwritableDirLeavesFiles(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	Sync(dir, []File{{"a", []byte("1")}}, Options{})
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if _, err := Sync(dir, []File{{"a", []byte("2")}}, Options{}); err == nil {
		t.Fatal("no error")
	}
	if read(t, filepath.Join(dir, "a")) != "1" {
		t.Error("file changed")
	}
}

func snapshot(t *testing.T, dir string) string {
	entries, _ := os.ReadDir(dir)
	var b strings.Builder
	for _, e := range entries {
		fi, _ := e.Info()
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		fmt.Fprintf(&b, "%s %v %v %q\n", e.Name(), fi.Mode(), fi.ModTime().UnixNano(), data)
	}
	return b.String()
}

// The ways to make new contents durable, on 1000 files of phone
// size. Run: go test -bench Sync -run XXX ./internal/syncdir
func BenchmarkSync(b *testing.B) {
	files := make([]File, 1000)
	for i := range files {
		files[i] = File{Name: fmt.Sprintf("SIP%012X.cnf", i), Data: []byte(strings.Repeat("line1_name: \"1001\"\n", 20) + fmt.Sprint(i))}
	}
	for _, m := range []struct {
		name string
		mode SyncMode
	}{{"each", SyncEach}, {"parallel", SyncParallel}, {"syncfs", SyncFS}, {"auto", SyncAuto}} {
		b.Run(m.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				dir := b.TempDir()
				if _, err := Sync(dir, files, Options{Sync: m.mode}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Removals sorting before additions in the report must not disturb what is
// written: a regression test for a shared backing array.
func TestManyChangesAndRemovals(t *testing.T) {
	dir := t.TempDir()
	var first, second []File
	for i := 0; i < 100; i++ {
		first = append(first, File{Name: fmt.Sprintf("f%03d", i), Data: []byte("old")})
		if i%10 != 0 {
			second = append(second, File{Name: fmt.Sprintf("f%03d", i), Data: []byte("new")})
		}
	}
	if _, err := Sync(dir, first, Options{}); err != nil {
		t.Fatal(err)
	}
	r, err := Sync(dir, second, Options{})
	if err != nil || len(r.Changes) != 100 {
		t.Fatalf("%d changes, %v", len(r.Changes), err)
	}
	for i := 0; i < 100; i++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("f%03d", i)))
		switch {
		case i%10 == 0 && !os.IsNotExist(err):
			t.Errorf("f%03d not removed", i)
		case i%10 != 0 && string(b) != "new":
			t.Errorf("f%03d = %q", i, b)
		}
	}
}

// The record lets a rerun skip reading files, but any change behind our
// back (same size, even) is still seen: the change time moves.
func TestEditBehindOurBackIsSeen(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"a", []byte("hello")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	os.WriteFile(filepath.Join(dir, "a"), []byte("HELLO"), 0o644) // same size, same inode
	r, err := Sync(dir, []File{{"a", []byte("hello")}}, Options{})
	if err != nil || kinds(r) != "changed a" {
		t.Fatalf("%s %v", kinds(r), err)
	}
	if read(t, filepath.Join(dir, "a")) != "hello" {
		t.Error("not restored")
	}
	// An old-style manifest (names only) still works: files are read.
	os.WriteFile(filepath.Join(dir, Manifest), []byte("a\n"), 0o600)
	r, err = Sync(dir, []File{{"a", []byte("hello")}}, Options{})
	if err != nil || len(r.Changes) != 0 || r.Unchanged != 1 {
		t.Fatalf("%+v %v", r, err)
	}
}

// Replacing a file we did not write (an admin's hand-made SIPDefault.cnf
// from trixbox) keeps the original beside it, once.
func TestKeepsForeignOriginal(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "SIPDefault.cnf"), []byte("hand made"), 0o666)
	r, err := Sync(dir, []File{{"SIPDefault.cnf", []byte("ours")}}, Options{})
	if err != nil || len(r.Kept) != 1 {
		t.Fatalf("%+v %v", r, err)
	}
	if read(t, filepath.Join(dir, "SIPDefault.cnf"+KeptSuffix)) != "hand made" || read(t, filepath.Join(dir, "SIPDefault.cnf")) != "ours" {
		t.Error("original not kept")
	}
	// Ours now: later changes keep nothing more.
	r, err = Sync(dir, []File{{"SIPDefault.cnf", []byte("ours 2")}}, Options{})
	if err != nil || len(r.Kept) != 0 || read(t, filepath.Join(dir, "SIPDefault.cnf"+KeptSuffix)) != "hand made" {
		t.Fatalf("%+v %v", r, err)
	}
}
