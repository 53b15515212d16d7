package syncdir

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Records carried over are written as the manifest had them, whatever its
// order (a hand edit, a name twice): every name once, the last line of a
// name counting, and the files changed or added this run recorded anew.
// The records the plan looks at are packed (a stat hash, half a SHA-256);
// nothing of that packing reaches the file.
func TestCarriedOverRecordsAsWritten(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 1))
			dir := t.TempDir()
			var files []File
			for i := range 40 {
				files = append(files, File{fmt.Sprintf("f%02d.cnf", i), []byte(fmt.Sprint("content ", i))})
			}
			if _, err := Sync(dir, files, Options{}); err != nil {
				t.Fatal(err)
			}
			m := filepath.Join(dir, Manifest)
			lines := strings.Split(strings.TrimSuffix(read(t, m), "\n"), "\n")
			orig := map[string]string{}
			for _, l := range lines[1:] {
				orig[strings.Fields(l)[0]] = l
			}
			// Shuffled, some names twice (a name-only line first), a
			// comment in the middle.
			body := slices.Clone(lines[1:])
			rnd.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
			var edited []string
			for i, l := range body {
				if i%7 == 3 {
					edited = append(edited, strings.Fields(l)[0])
				}
				if i == 20 {
					edited = append(edited, "# a comment")
				}
				edited = append(edited, l)
			}
			if err := os.WriteFile(m, []byte(lines[0]+"\n"+strings.Join(edited, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}

			d, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			changed := files[rnd.IntN(len(files))].Name
			removed := files[rnd.IntN(len(files))].Name
			for removed == changed {
				removed = files[rnd.IntN(len(files))].Name
			}
			for _, f := range files {
				switch f.Name {
				case changed:
					if err := d.Put(f.Name, []byte("new"), Meta{Sync: "9"}); err != nil {
						t.Fatal(err)
					}
				case removed:
				default:
					if r, ok := d.Known(f.Name); !ok || !r.Intact {
						t.Fatalf("%s: known %v %+v", f.Name, ok, r)
					}
					if err := d.Reuse(f.Name); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := d.Put("zz-new.cnf", []byte("added"), Meta{}); err != nil {
				t.Fatal(err)
			}
			if err := d.Put("a-new.cnf", []byte("added too"), Meta{}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Commit(); err != nil {
				t.Fatal(err)
			}
			d.Close()

			after := strings.Split(strings.TrimSuffix(read(t, m), "\n"), "\n")
			if after[0] != lines[0] {
				t.Errorf("header %q", after[0])
			}
			seen := map[string]bool{}
			for _, l := range after[1:] {
				name := strings.Fields(l)[0]
				if seen[name] {
					t.Errorf("%s recorded twice", name)
				}
				seen[name] = true
				switch name {
				case changed, "zz-new.cnf", "a-new.cnf":
					if len(strings.Fields(l)) != 6 && len(strings.Fields(l)) != 8 {
						t.Errorf("new record %q", l)
					}
				case removed:
					t.Errorf("removed file still recorded: %q", l)
				default:
					if l != orig[name] {
						t.Errorf("carried over %q, was %q", l, orig[name])
					}
				}
			}
			if len(seen) != len(files)+1 {
				t.Errorf("%d records, want %d", len(seen), len(files)+1)
			}
			// The next run finds every file as recorded.
			d, err = Open(dir, Options{DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for name := range seen {
				if r, ok := d.Known(name); !ok || !r.Intact {
					t.Errorf("next run: %s known %v %+v", name, ok, r)
				}
			}
		})
	}
}

// Content is compared with the recorded digest without reading the file:
// the same content is the same, other content is not, whichever half of
// the SHA-256 differs.
func TestPackedDigestCompares(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"a.cnf", []byte("A")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	i := d.old.find("a.cnf")
	if i < 0 {
		t.Fatal("no record")
	}
	if d.old.sums != nil {
		t.Error("the digests read before one is asked for")
	}
	want := sha256.Sum256([]byte("A"))
	if sum, err := d.oldSum(i); err != nil || sum != [16]byte(want[:16]) {
		t.Errorf("digest %x, %v; want %x", sum, err, want[:16])
	}
	if same, err := d.Compare("a.cnf", []byte("A")); err != nil || !same {
		t.Errorf("same content: %v %v", same, err)
	}
	if same, err := d.Compare("a.cnf", []byte("B")); err != nil || same {
		t.Errorf("other content: %v %v", same, err)
	}
}

// Past the first few files Compare finds intact, the recorded digests are
// read, all at once, and decide: same content is the same, other content
// is not.
func TestCompareByRecordedDigests(t *testing.T) {
	dir := t.TempDir()
	var files []File
	for i := range 3 * sumAsksRead {
		files = append(files, File{fmt.Sprintf("f%02d.cnf", i), []byte(fmt.Sprint("content ", i))})
	}
	if _, err := Sync(dir, files, Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i, f := range files {
		data := f.Data
		if i%2 == 1 {
			data = []byte("other")
		}
		same, err := d.Compare(f.Name, data)
		if err != nil || same != (i%2 == 0) {
			t.Fatalf("%s: same %v, %v", f.Name, same, err)
		}
		if (d.old.sums != nil) != (i >= sumAsksRead) {
			t.Fatalf("%s (ask %d): digests read %v", f.Name, i+1, d.old.sums != nil)
		}
	}
}
