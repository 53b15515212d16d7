package syncdir

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// tmpfileWorks says whether dir's file system makes unnamed temporary files.
func tmpfileWorks(t *testing.T, dir string) bool {
	fd, err := unix.Open(dir, unix.O_RDWR|unix.O_TMPFILE|unix.O_EXCL|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

// runOf puts files (name -> content) in dir, each with a Meta made from
// its name and gen, and commits; spill is runRecs.spillAt. It says whether
// the records went to the unnamed file, and what the directory listed
// before Commit.
func runOf(t *testing.T, dir string, files map[string]string, gen string, spill int) (spilled bool, listed []string, res Result) {
	t.Helper()
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.run.spillAt = spill
	for _, n := range slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	}) {
		if err := d.Put(n, []byte(files[n]), metaOf(n, gen)); err != nil {
			t.Fatal(err)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		listed = append(listed, e.Name())
	}
	spilled = d.run.fd >= 0
	if res, err = d.Commit(); err != nil {
		t.Fatal(err)
	}
	return spilled, listed, res
}

func metaOf(name, gen string) Meta {
	sum := sha256.Sum256([]byte(name))
	return Meta{Inputs: [16]byte(sum[:16]), Sync: gen + "-" + fmt.Sprint(len(name)%3)}
}

// checkRecorded says what is wrong with the records of files in dir.
func checkRecorded(t *testing.T, dir string, files map[string]string, gen string) {
	t.Helper()
	d, err := Open(dir, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n := 0
	for name := range d.Recorded() {
		n++
		if _, ok := files[name]; !ok {
			t.Errorf("%s recorded, not ours", name)
		}
	}
	if n != len(files) {
		t.Errorf("%d records, want %d", n, len(files))
	}
	for name, data := range files {
		r, ok := d.Known(name)
		if !ok || !r.Intact || r.Meta != metaOf(name, gen) {
			t.Errorf("%s: known %v, record %+v", name, ok, r)
		}
		if got := read(t, filepath.Join(dir, name)); got != data {
			t.Errorf("%s holds %q, want %q", name, got, data)
		}
	}
	lines := strings.Split(strings.TrimSuffix(read(t, filepath.Join(dir, Manifest)), "\n"), "\n")[1:]
	if !slices.IsSortedFunc(lines, func(a, b string) int { return strings.Compare(strings.Fields(a)[0], strings.Fields(b)[0]) }) {
		t.Error("manifest not in name order")
	}
}

// The run's records, kept in an unnamed file beside the files once there
// are many, are the same ones a run keeping them in memory records: every
// file intact with its Meta, after a first run (all added), a second
// (some changed, some accepted, a mode set back, a foreign file kept) and
// a third that changes nothing. Nothing of the records' file is ever seen
// in the directory.
func TestRunRecordsSpilled(t *testing.T) {
	for _, spill := range []int{1, 5 * recSize, spillAt, 1 << 30} {
		t.Run(fmt.Sprint(spill), func(t *testing.T) {
			dir := t.TempDir()
			want := spill < 1<<30 && tmpfileWorks(t, dir)
			files := map[string]string{}
			for i := range 700 {
				// Two names per phone, as a real root has them.
				files[fmt.Sprintf("SIP%012X.cnf", i*7919)] = fmt.Sprint("phone ", i)
				files[fmt.Sprintf("SEP%012X.cnf.xml", i*7919)] = fmt.Sprint("xml ", i)
			}
			os.WriteFile(filepath.Join(dir, "SIPDefault.cnf"), []byte("hand made"), 0o644)
			files["SIPDefault.cnf"] = "ours"
			spilled, listed, res := runOf(t, dir, files, "g1", spill)
			if spilled != want {
				t.Errorf("records spilled %v, want %v", spilled, want)
			}
			for _, n := range listed {
				if !strings.HasPrefix(n, tempPrefix) && n != "SIPDefault.cnf" {
					t.Errorf("%s in the directory before Commit", n)
				}
			}
			if len(res.Changes) != len(files) || len(res.Kept) != 1 || !slices.IsSortedFunc(res.Changes, func(a, b Change) int { return strings.Compare(a.Name, b.Name) }) {
				t.Errorf("first run: %d changes, kept %v", len(res.Changes), res.Kept)
			}
			checkRecorded(t, dir, files, "g1")

			names := slices.Sorted(func(yield func(string) bool) {
				for n := range files {
					if !yield(n) {
						return
					}
				}
			})
			for i, n := range names {
				if i%3 == 1 {
					files[n] += " changed"
				}
			}
			os.Chmod(filepath.Join(dir, names[0]), 0o600)
			_, _, res = runOf(t, dir, files, "g2", spill)
			if len(res.ModeFixed) != 1 || res.Unchanged+len(res.Changes) != len(files) {
				t.Errorf("second run: %d changes, %d unchanged, mode fixed %v", len(res.Changes), res.Unchanged, res.ModeFixed)
			}
			checkRecorded(t, dir, files, "g2")

			ino, _ := stat(t, filepath.Join(dir, Manifest))
			if _, _, res = runOf(t, dir, files, "g2", spill); len(res.Changes) != 0 {
				t.Errorf("third run: %d changes", len(res.Changes))
			}
			if again, _ := stat(t, filepath.Join(dir, Manifest)); again != ino {
				t.Error("manifest written again by a run that changed nothing")
			}
			checkRecorded(t, dir, files, "g2")
		})
	}
}

// A run whose records' file cannot take more (its file system full) keeps
// them in memory from then on, and records every file all the same.
func TestRunRecordsBackInMemory(t *testing.T) {
	dir := t.TempDir()
	if !tmpfileWorks(t, dir) {
		t.Skip("no O_TMPFILE here")
	}
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.run.spillAt = 4 * recSize
	files := map[string]string{}
	for i := range 50 {
		name := fmt.Sprintf("SIP%012X.cnf", i)
		files[name] = fmt.Sprint("phone ", i)
		if err := d.Put(name, []byte(files[name]), metaOf(name, "g1")); err != nil {
			t.Fatal(err)
		}
		if i == 9 {
			if d.run.fd < 0 {
				t.Fatal("records not spilled")
			}
			// The same file, read only: the next write fails.
			ro, err := unix.Open(fmt.Sprintf("/proc/self/fd/%d", d.run.fd), unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			unix.Close(d.run.fd)
			d.run.fd = ro
		}
	}
	if d.run.fd >= 0 || d.run.dirFD >= 0 {
		t.Error("records still in the file that failed")
	}
	if _, err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	checkRecorded(t, dir, files, "g1")
}
