package syncdir

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// outside is a directory beside the synced one, with a secret a local user
// would like root to print, truncate, chmod or overwrite.
func outside(t *testing.T) (dir, secret string) {
	t.Helper()
	dir = t.TempDir()
	secret = filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("TOPSECRET\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, secret
}

func unchanged(t *testing.T, secret string) {
	t.Helper()
	fi, err := os.Stat(secret)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(secret); string(b) != "TOPSECRET\n" || fi.Mode().Perm() != 0o600 {
		t.Errorf("the file outside changed: %q %v", b, fi.Mode())
	}
}

// A world-writable directory with something planted at every name Sync
// reads or writes: a symbolic link to a file outside at a phone file, at
// the manifest, at the kept copy of a foreign file, at temporary names; a
// FIFO (which would block a reader); a hard link to the file outside.
// Nothing outside is read, shown, changed or created; every planted entry
// where our file goes is replaced, and said.
func TestPlantedLinksAreNotOurs(t *testing.T) {
	out, secret := outside(t)
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	ln := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	ln(secret, "a.cnf")
	ln(secret, Manifest)
	ln(filepath.Join(out, "created"), tempPrefix+"b.cnf.x")
	ln(filepath.Join(out, "created2"), manifestTempPrefix+"-files123")
	os.WriteFile(filepath.Join(dir, "b.cnf"), []byte("hand made"), 0o644)
	ln(filepath.Join(out, "kept"), "b.cnf"+KeptSuffix)
	if err := unix.Mkfifo(filepath.Join(dir, "c.cnf"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(secret, filepath.Join(dir, "d.cnf")); err != nil {
		t.Skipf("hard link: %v", err)
	}
	files := []File{{"a.cnf", []byte("A")}, {"b.cnf", []byte("B")}, {"c.cnf", []byte("C")}, {"d.cnf", []byte("D")}}

	r, err := Sync(dir, files, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Changes {
		if strings.Contains(string(c.Old()), "TOPSECRET") {
			t.Errorf("dry run read %s through a link", c.Name)
		}
		if c.Name != "b.cnf" && (c.Old() != nil || c.Foreign == "") {
			t.Errorf("%s: old %q, foreign %q", c.Name, c.Old(), c.Foreign)
		}
	}

	r, err = Sync(dir, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	unchanged(t, secret)
	for _, n := range []string{"created", "created2", "kept"} {
		if _, err := os.Lstat(filepath.Join(out, n)); err == nil {
			t.Errorf("%s was created outside", n)
		}
	}
	for _, f := range files {
		fi, err := os.Lstat(filepath.Join(dir, f.Name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != FileMode || read(t, filepath.Join(dir, f.Name)) != string(f.Data) {
			t.Errorf("%s not replaced by ours: %v %v", f.Name, fi, err)
		}
	}
	if fi, err := os.Lstat(filepath.Join(dir, Manifest)); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("manifest: %v %v", fi, err)
	}
	said := strings.Join(r.Replaced, "\n")
	for _, want := range []string{"a.cnf (a symbolic link)", "c.cnf (not a regular file)", "d.cnf (linked elsewhere too)", Manifest + " (a symbolic link, ignored)"} {
		if !strings.Contains(said, want) {
			t.Errorf("Replaced does not say %q:\n%s", want, said)
		}
	}
	// The kept copy's name was taken by a link: it is left, not followed.
	if fi, err := os.Lstat(filepath.Join(dir, "b.cnf"+KeptSuffix)); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("kept name: %v %v", fi, err)
	}
	// Temporary names planted as links were removed, not followed.
	for _, n := range []string{tempPrefix + "b.cnf.x", manifestTempPrefix + "-files123"} {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s left", n)
		}
	}
}

// A file of ours swapped for a link after the comparison: the mode fix
// (fchmod on a descriptor opened with O_NOFOLLOW) refuses, and the target
// keeps its mode.
func TestModeFixNeverFollowsASwappedLink(t *testing.T) {
	_, secret := outside(t)
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"a", []byte("1")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(dir, "a"), 0o600)
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Put("a", []byte("1"), Meta{}); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "a"))
	os.Symlink(secret, filepath.Join(dir, "a"))
	if _, err := d.Commit(); err == nil {
		t.Error("no error")
	}
	unchanged(t, secret)
}

// A run never writes through a link: the symlink at the target is replaced
// by the rename, the file it pointed to is untouched; the manifest written
// next is a file of ours, not the link's target.
func TestStateFilesNeverFollowed(t *testing.T) {
	_, secret := outside(t)
	dir := t.TempDir()
	os.Symlink(secret, filepath.Join(dir, Manifest))
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if data, why, err := d.ReadState(Manifest); data != nil || why != "a symbolic link" || err != nil {
		t.Errorf("ReadState: %q %q %v", data, why, err)
	}
	if err := d.WriteState(".setup-cisco-test", []byte("x")); err != nil {
		t.Fatal(err)
	}
	d.Close()
	// A state file owned by someone else is not ours either.
	if os.Geteuid() == 0 {
		p := filepath.Join(dir, ".setup-cisco-other")
		os.WriteFile(p, []byte("planted"), 0o600)
		os.Chown(p, 65534, 65534)
		d, _ := Open(dir, Options{})
		if data, why, _ := d.ReadState(".setup-cisco-other"); data != nil || !strings.Contains(why, "owned by uid 65534") {
			t.Errorf("foreign state file read: %q %q", data, why)
		}
		d.Close()
	}
	if _, err := Sync(dir, []File{{"a", []byte("1")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	unchanged(t, secret)
	fi, _ := os.Lstat(filepath.Join(dir, Manifest))
	if !fi.Mode().IsRegular() || fi.Sys().(*syscall.Stat_t).Nlink != 1 {
		t.Errorf("manifest %v", fi.Mode())
	}
}

// A manifest larger than any phone file (100,000 phones: about 36 MB) is
// still ours and read: a regression test for a limit meant for phone files.
func TestLargeManifestIsRead(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"a", []byte("1")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	m := read(t, filepath.Join(dir, Manifest))
	pad := strings.Repeat("# padding line of a large manifest\n", (maxRead/35)+1000)
	if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(m+pad), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Sync(dir, []File{{"a", []byte("1")}}, Options{})
	if err != nil || len(r.Replaced) != 0 || r.Unchanged != 1 {
		t.Fatalf("%+v %v", r, err)
	}
}

// A directory planted (by any local user, also in a sticky 1777 root) at
// the name of a file that is new to the directory makes renameat fail with
// EISDIR; swap stops at the first failed rename and removes every other
// temporary file, so no file after it in the run is ever written, on this
// run or any later one. A world-writable root must not let one empty
// directory block every other phone (seen with setup-cisco: mkdir as nobody
// of SIP001BD4000005.cnf in a 1777 root, then a first run of 3,000 phones
// wrote 16 files, exit 1, and every later run exit 2 with 17 files).
func TestPlantedDirectoryBlocksOnlyItsName(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o1777)
	if err := os.Mkdir(filepath.Join(dir, "b.cnf"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := []File{{"a.cnf", []byte("A")}, {"b.cnf", []byte("B")}, {"c.cnf", []byte("C")}}
	for run := 1; run <= 2; run++ {
		_, err := Sync(dir, files, Options{}) // an error naming b.cnf is right
		t.Logf("run %d: %v", run, err)
		for _, n := range []string{"a.cnf", "c.cnf"} {
			if b, err := os.ReadFile(filepath.Join(dir, n)); err != nil || len(b) != 1 {
				t.Errorf("run %d: %s not written because of the directory at b.cnf: %v", run, n, err)
			}
		}
	}
}

// Any local user can make a directory under a temporary-file name in a
// world-writable root (also sticky 1777). cleanTemps then fails on it
// ("removing leftover ...: is a directory": unlinkat without AT_REMOVEDIR)
// and Open returns the error, so every run fails with nothing written, for
// good: one mkdir stops all provisioning. Seen with setup-cisco: as nobody,
// mkdir /tftpboot/.setup-cisco-tmp-x in a 1777 root; every later run exits
// 2. Something not ours under such a name is to be left alone, not fatal.
func TestPlantedDirectoryAtTempNameDoesNotStopRuns(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o1777)
	for _, n := range []string{tempPrefix + "x", manifestTempPrefix + "-files.tmp-1"} {
		if err := os.Mkdir(filepath.Join(dir, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Sync(dir, []File{{"a.cnf", []byte("A")}}, Options{}); err != nil {
		t.Fatalf("a directory planted at a temporary name stops the run: %v", err)
	}
	if read(t, filepath.Join(dir, "a.cnf")) != "A" {
		t.Error("a.cnf not written")
	}
}

// Something another user renames over one of our temporary files before
// Commit (a non-sticky world-writable root) is put in place by the rename,
// which cannot tell: the record taken after it can. The run fails naming
// it and saying why; the others are written; nothing is recorded for it,
// so the next run replaces it.
func TestTamperedTempFileIsNamed(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("TOPSECRET"), 0o600)
	d, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, n := range []string{"a.cnf", "b.cnf", "c.cnf"} {
		if err := d.Put(n, []byte("ours "+n), Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	var temp string
	for _, s := range d.staged {
		if s.name == "b.cnf" {
			temp = s.temp()
		}
	}
	link := filepath.Join(dir, "planted")
	os.Symlink(outside, link)
	if err := os.Rename(link, filepath.Join(dir, temp)); err != nil {
		t.Fatal(err)
	}
	res, err := d.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.NotWritten(); err == nil || !strings.Contains(err.Error(), "b.cnf (a symbolic link)") || !strings.Contains(err.Error(), "chmod 755") {
		t.Fatalf("NotWritten = %v", err)
	}
	if len(res.Tampered) != 1 || read(t, filepath.Join(dir, "a.cnf")) != "ours a.cnf" || read(t, filepath.Join(dir, "c.cnf")) != "ours c.cnf" {
		t.Errorf("tampered %v", res.Tampered)
	}
	if got := read(t, outside); got != "TOPSECRET" {
		t.Errorf("outside file changed: %q", got)
	}
	d2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if _, ours := d2.Known("b.cnf"); ours {
		t.Errorf("b.cnf, a symbolic link of another user, recorded as ours")
	}
	if err := d2.Put("b.cnf", []byte("ours b.cnf"), Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := d2.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(filepath.Join(dir, "b.cnf")); !fi.Mode().IsRegular() {
		t.Errorf("b.cnf still %v after the next run", fi.Mode())
	}
}

// A name another user chose (under a temporary prefix) is quoted in what
// is said of it: a newline in it cannot forge a line of stderr or syslog.
func TestPlantedNameWithNewlineIsQuoted(t *testing.T) {
	dir := t.TempDir()
	name := tempPrefix + "x\nsetup-cisco: all is well"
	if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(dir, []File{{"a.cnf", []byte("A")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replaced) != 1 || strings.Contains(res.Replaced[0], "\n") || !strings.Contains(res.Replaced[0], `\n`) {
		t.Errorf("Replaced = %q", res.Replaced)
	}
}
