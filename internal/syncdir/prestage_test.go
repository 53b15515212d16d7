package syncdir

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// leftovers lists temporary files in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) || strings.HasPrefix(e.Name(), manifestTempPrefix) {
			out = append(out, e.Name())
		}
	}
	return out
}

// Files written by Prestage from several goroutines end up whole, 0644,
// recorded intact; a name already in the directory is left to Put.
func TestPrestageAdopt(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"f000", []byte("old")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.Many(200) {
		t.Fatal("Many(200) refused prestaging in SyncAuto")
	}
	pre := make([]*Prestaged, 200)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(pre); i += 4 {
				p, err := d.Prestage(fmt.Sprintf("f%03d", i), []byte(fmt.Sprint("new ", i)))
				if err != nil {
					t.Error(err)
				}
				pre[i] = p
			}
		}()
	}
	wg.Wait()
	if pre[0] != nil {
		t.Fatal("f000 is in the directory: Prestage must leave it to Put")
	}
	if err := d.Put("f000", []byte("new 0"), Meta{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range pre[1:] {
		if err := d.Adopt(p, Meta{Sync: "7"}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := d.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 200 || res.Changes[0].Kind != Changed || res.Changes[1].Kind != Added {
		t.Fatalf("changes: %d, first %v", len(res.Changes), res.Changes[:2])
	}
	for i := range 200 {
		name := fmt.Sprintf("f%03d", i)
		if got := read(t, filepath.Join(dir, name)); got != fmt.Sprint("new ", i) {
			t.Errorf("%s = %q", name, got)
		}
		if fi, _ := os.Stat(filepath.Join(dir, name)); fi.Mode() != FileMode {
			t.Errorf("%s mode %v", name, fi.Mode())
		}
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("left behind: %v", l)
	}
	d2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if r, ok := d2.Known("f123"); !ok || !r.Intact || r.Sync != "7" {
		t.Errorf("f123 recorded as %+v, %v", r, ok)
	}
}

// Prestaging is refused where nothing would make the files durable
// together: a dry run, or fsync per file.
func TestManyRefusesWithoutSyncfs(t *testing.T) {
	for _, o := range []Options{{DryRun: true}, {Sync: SyncEach}, {Sync: SyncParallel}} {
		d, err := Open(t.TempDir(), o)
		if err != nil {
			t.Fatal(err)
		}
		if d.Many(1000) {
			t.Errorf("%+v: Many said yes", o)
		}
		d.Close()
	}
	d, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Many(3) {
		t.Error("Many(3) in SyncAuto: a few files are fsynced, not syncfs'd")
	}
}

// An abandoned run leaves nothing behind: discarded and adopted temporary
// files both go.
func TestPrestageAbandoned(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, Options{Sync: SyncFS})
	if err != nil {
		t.Fatal(err)
	}
	d.Many(100)
	for i := range 100 {
		p, err := d.Prestage(fmt.Sprintf("f%03d", i), []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			d.Discard(p)
		} else if err := d.Adopt(p, Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d entries, e.g. %s", len(entries), entries[0].Name())
	}
}

// A rename that fails halfway through many: Written names exactly the
// files swapped in, each whole and new; the rest stay as they were and no
// temporary file is left.
func TestSwapFailsHalfway(t *testing.T) {
	dir := t.TempDir()
	var files []File
	for i := range 300 {
		files = append(files, File{Name: fmt.Sprintf("f%03d", i), Data: []byte("new")})
	}
	// A directory (not empty) where f150 goes: renaming a file over it
	// fails with EISDIR.
	if err := os.MkdirAll(filepath.Join(dir, "f150", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(dir, files, Options{})
	if err == nil || !strings.Contains(err.Error(), "f150") {
		t.Fatalf("err = %v", err)
	}
	if len(res.Written) == 0 || len(res.Written) == 300 {
		t.Fatalf("written %d", len(res.Written))
	}
	for _, f := range files {
		_, serr := os.Lstat(filepath.Join(dir, f.Name))
		switch written := slices.Contains(res.Written, f.Name); {
		case f.Name == "f150":
			if written {
				t.Error("f150 listed as written")
			}
		case written && read(t, filepath.Join(dir, f.Name)) != "new":
			t.Errorf("%s written but not new", f.Name)
		case !written && !os.IsNotExist(serr):
			t.Errorf("%s not listed as written, but there: %v", f.Name, serr)
		}
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("left behind: %v", l)
	}
}

// Exposure after a run says what safefs.Exposed would find by walking the
// directory: the root, a kept file, a foreign file, a subdirectory, and
// none of the files the run wrote or accepted (their mode set back).
func TestExposureMatchesWalk(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(dir, []File{{"kept", []byte("k")}, {"accepted", []byte("a")}, {"changed", []byte("c")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{"kept": 0o666, "accepted": 0o666, "changed": 0o666} {
		os.Chmod(filepath.Join(dir, name), mode)
	}
	os.WriteFile(filepath.Join(dir, "foreign"), []byte("f"), 0o600)
	os.Chmod(filepath.Join(dir, "foreign"), 0o646)
	os.WriteFile(filepath.Join(dir, "private"), []byte("p"), 0o600)
	os.Mkdir(filepath.Join(dir, "upload"), 0o777)
	os.Chmod(filepath.Join(dir, "upload"), 0o777)
	os.Mkdir(filepath.Join(dir, "closed"), 0o755)
	os.Symlink("/etc/passwd", filepath.Join(dir, "link"))

	d, err := Open(dir, Options{Keep: []string{"kept"}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, f := range []File{{"accepted", []byte("a")}, {"changed", []byte("c2")}, {"new", []byte("n")}} {
		if err := d.Put(f.Name, f.Data, Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := d.Exposure()
	if err != nil {
		t.Fatal(err)
	}
	want, err := safefs.Exposed(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Exposure:\n%+v\nwalk:\n%+v", got, want)
	}
	if !got.Open || !slices.Equal(got.Files, []string{"foreign", "kept"}) || !slices.Equal(got.Dirs, []string{"upload"}) {
		t.Errorf("Exposure = %+v", got)
	}
}

// Exposure's comment promises that "the files added since the listing are
// looked at", but it only walks the listing Open read: a world-writable
// file or directory that appears during the run (another user's upload
// into a 1777 root, say) is not reported, where safefs.Exposed, used
// before, walked the directory after Commit and reported it. Seen with
// setup-cisco: a 0666 planted.bin created 30 ms into a 3,000-phone first
// run is named in the world-writable warning by 61e6ef7, not by speed.
func TestExposureSeesEntriesAddedDuringTheRun(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Put("a.cnf", []byte("A"), Meta{}); err != nil {
		t.Fatal(err)
	}
	late := filepath.Join(dir, "upload.bin")
	if err := os.WriteFile(late, []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	os.Chmod(late, 0o666)
	if _, err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	e, err := d.Exposure()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := safefs.Exposed(dir)
	if !slices.Equal(e.Files, want.Files) {
		t.Errorf("Exposure().Files = %v, the directory has %v world-writable", e.Files, want.Files)
	}
}
