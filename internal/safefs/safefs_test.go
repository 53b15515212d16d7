package safefs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// setup makes a directory with a file outside it and returns both.
func setup(t *testing.T) (*Dir, string) {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "root")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(base, "outside")
	if err := os.WriteFile(outside, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, outside
}

func TestReadRefusesSymlinkAndFIFO(t *testing.T) {
	d, outside := setup(t)
	if err := os.Symlink(outside, d.Join("link")); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mkfifo(d.Join("fifo"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"link", "fifo"} {
		if data, err := d.ReadFile(n, 1<<20); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadFile(%s) = %q, %v; want ErrNotRegular", n, data, err)
		}
	}
	if _, err := d.ReadFile("../outside", 1<<20); err == nil {
		t.Error("ReadFile(../outside) succeeded")
	}
	fi, err := d.Stat("link")
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("Stat(link) = %v, %v; want the link itself", fi, err)
	}
}

func TestReadLimit(t *testing.T) {
	d, _ := setup(t)
	os.WriteFile(d.Join("big"), make([]byte, 100), 0o644)
	if _, err := d.ReadFile("big", 99); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v; want ErrTooLarge", err)
	}
	if b, err := d.ReadFile("big", 100); err != nil || len(b) != 100 {
		t.Errorf("ReadFile = %d bytes, %v", len(b), err)
	}
}

func TestWriteReplacesLinkNotTarget(t *testing.T) {
	d, outside := setup(t)
	if err := os.Symlink(outside, d.Join("f")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("f", []byte("new\n"), 0o644, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "secret\n" {
		t.Errorf("outside file changed: %q", b)
	}
	fi, err := os.Lstat(d.Join("f"))
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o644 {
		t.Errorf("f = %v, %v; want a regular 0644 file", fi, err)
	}
	if b, _ := os.ReadFile(d.Join("f")); string(b) != "new\n" {
		t.Errorf("f = %q", b)
	}
	des, _ := d.ReadDir()
	if len(des) != 1 {
		t.Errorf("entries left: %v", des)
	}
}

func TestChmodRefusesLinks(t *testing.T) {
	d, outside := setup(t)
	os.Symlink(outside, d.Join("sym"))
	if err := d.Chmod("sym", 0o644); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Chmod(sym) = %v; want ErrNotRegular", err)
	}
	if err := os.Link(outside, d.Join("hard")); err != nil {
		t.Skip("no hard link:", err)
	}
	if err := d.Chmod("hard", 0o644); !errors.Is(err, ErrLinked) {
		t.Errorf("Chmod(hard) = %v; want ErrLinked", err)
	}
	if fi, _ := os.Stat(outside); fi.Mode().Perm() != 0o600 {
		t.Errorf("outside mode = %v", fi.Mode())
	}
	os.WriteFile(d.Join("own"), nil, 0o666)
	if err := d.Chmod("own", 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(d.Join("own")); fi.Mode().Perm() != 0o644 {
		t.Errorf("own mode = %v", fi.Mode())
	}
}

func TestRemoveRemovesLinkOnly(t *testing.T) {
	d, outside := setup(t)
	os.Symlink(outside, d.Join("sym"))
	if err := d.Remove("sym"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("target gone: %v", err)
	}
	if err := d.Remove("sym"); err != nil {
		t.Errorf("removing a missing entry: %v", err)
	}
}

// WriteFileFrom writes what fill gives, through a buffer larger writes
// pass; a failing fill leaves the file as it was and no temporary file.
func TestWriteFileFrom(t *testing.T) {
	d, _ := setup(t)
	big := make([]byte, 200<<10)
	for i := range big {
		big[i] = byte('a' + i%26)
	}
	fill := func(w io.Writer) error {
		for i := 0; i < 3; i++ {
			if _, err := w.Write(big); err != nil {
				return err
			}
		}
		return nil
	}
	if err := d.WriteFileFrom("m", 0o600, WriteOptions{}, fill); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(d.Join("m")); len(b) != 3*len(big) || string(b[len(big):2*len(big)]) != string(big) {
		t.Fatalf("m holds %d bytes", len(b))
	}
	boom := errors.New("boom")
	err := d.WriteFileFrom("m", 0o600, WriteOptions{}, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(d.Join("m")); len(b) != 3*len(big) {
		t.Errorf("m changed by a failed write: %d bytes", len(b))
	}
	des, _ := d.ReadDir()
	if len(des) != 1 {
		t.Errorf("entries left: %v", des)
	}
}

// Unsearchable names the directories on the way to a root that only root
// can enter: no search bit for others, and none for an owner or group that
// is not root (a daemon's own user or group may be one). Links resolve.
func TestUnsearchable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	top := t.TempDir()
	if err := os.Chmod(top, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(top), 0o755); err != nil {
		t.Fatal(err)
	}
	const nobody, nogroup = 65534, 65534
	for _, tc := range []struct {
		name     string
		mode     os.FileMode
		uid, gid int
		closed   bool
	}{
		{"umask 027", 0o750, 0, 0, true},
		{"umask 077", 0o700, 0, 0, true},
		{"world search only", 0o711, 0, 0, false},
		{"open", 0o755, 0, 0, false},
		{"the daemon's group", 0o750, 0, nogroup, false},
		{"the daemon's own", 0o700, nobody, 0, false},
		{"a group without search", 0o740, 0, nogroup, true},
	} {
		d := filepath.Join(top, strings.ReplaceAll(tc.name, " ", "-"))
		root := filepath.Join(d, "tftp")
		if err := os.MkdirAll(root, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(d, tc.uid, tc.gid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, tc.mode); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(top, "link-"+filepath.Base(d))
		if err := os.Symlink(root, link); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{root, link} {
			got, err := Unsearchable(p)
			if err != nil {
				t.Fatal(err)
			}
			if closed := len(got) == 1 && got[0].Path == d && got[0].Mode == tc.mode; closed != tc.closed || (!tc.closed && len(got) > 0) {
				t.Errorf("%s (%s): %+v, want closed %v", tc.name, p, got, tc.closed)
			}
		}
	}
}
