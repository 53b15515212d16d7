package syncdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyRoot is a root others can write (no sticky bit) and a private
// directory for the manifest's copy.
func copyRoot(t *testing.T) (root string, o Options) {
	t.Helper()
	root = t.TempDir()
	if err := os.Chmod(root, 0o777); err != nil {
		t.Fatal(err)
	}
	return root, Options{CopyDir: filepath.Join(t.TempDir(), "state")}
}

// While others can remove the manifest, a copy is kept; a run that finds
// the manifest gone takes from the copy the records of the files still as
// recorded (so it still removes a file of ours no longer wanted), and not
// those of files changed since.
func TestManifestCopy(t *testing.T) {
	root, o := copyRoot(t)
	files := []File{{"a.cnf", []byte("A")}, {"b.cnf", []byte("B")}, {"c.cnf", []byte("C")}}
	if _, err := Sync(root, files, o); err != nil {
		t.Fatal(err)
	}
	copies, _ := filepath.Glob(filepath.Join(o.CopyDir, "manifest-*"))
	if len(copies) != 1 || read(t, copies[0]) != read(t, filepath.Join(root, Manifest)) {
		t.Fatalf("copies %v", copies)
	}
	if err := os.Remove(filepath.Join(root, Manifest)); err != nil {
		t.Fatal(err)
	}
	// c.cnf changed by someone since: no longer known as ours.
	if err := os.WriteFile(filepath.Join(root, "c.cnf"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(root, files[:1], o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "records of 2 file(s) taken from its copy") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if _, err := os.Stat(filepath.Join(root, "b.cnf")); !os.IsNotExist(err) {
		t.Errorf("b.cnf, ours and no longer wanted, not removed: %v", err)
	}
	if got := read(t, filepath.Join(root, "c.cnf")); got != "edited" {
		t.Errorf("c.cnf, changed by someone, touched: %q", got)
	}
	if m := read(t, filepath.Join(root, Manifest)); !strings.Contains(m, "\na.cnf ") || strings.Contains(m, "b.cnf") || strings.Contains(m, "c.cnf") {
		t.Errorf("manifest after:\n%s", m)
	}
}

// No copy where others cannot remove the manifest (a sticky or private
// root), and none in a directory others could write.
func TestManifestCopyOnlyWhereNeeded(t *testing.T) {
	root, o := copyRoot(t)
	if err := os.Chmod(root, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(root, []File{{"a.cnf", []byte("A")}}, o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(o.CopyDir); !os.IsNotExist(err) {
		t.Errorf("sticky root: copy directory made: %v", err)
	}

	root, o = copyRoot(t)
	if err := os.Mkdir(o.CopyDir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(o.CopyDir, 0o777); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(root, []File{{"a.cnf", []byte("A")}}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "not a private directory") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if copies, _ := filepath.Glob(filepath.Join(o.CopyDir, "manifest-*")); len(copies) != 0 {
		t.Errorf("copy kept in a directory others can write: %v", copies)
	}
}

// A copy that cannot be written stops only the copy.
func TestManifestCopyFailureKeepsManifest(t *testing.T) {
	root, o := copyRoot(t)
	if err := os.MkdirAll(o.CopyDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(root, []File{{"a.cnf", []byte("A")}}, o); err != nil {
		t.Fatal(err)
	}
	// The copy's name taken by a directory: the copy cannot be renamed.
	copies, _ := filepath.Glob(filepath.Join(o.CopyDir, "manifest-*"))
	if len(copies) != 1 {
		t.Fatalf("copies %v", copies)
	}
	if err := os.Remove(copies[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(copies[0], 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(copies[0], "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(root, []File{{"a.cnf", []byte("A")}, {"b.cnf", []byte("B")}}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "no copy of") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if m := read(t, filepath.Join(root, Manifest)); !strings.Contains(m, "\nb.cnf ") {
		t.Errorf("manifest not written:\n%s", m)
	}
}
