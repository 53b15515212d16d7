package runlock

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestExclusive(t *testing.T) {
	p := t.TempDir()
	a, err := Acquire(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	// flock is per open file description: a second open in the same process
	// conflicts just as another process would.
	if _, err := Acquire(p, 200*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Fatalf("second acquire: %v", err)
	}
	go func() { time.Sleep(150 * time.Millisecond); a.Release() }()
	b, err := Acquire(p, 3*time.Second)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	b.Release()
}

// Any local user may read the TFTP root, and flock needs nothing more:
// `flock /tftpboot sleep inf` as nobody stopped every root run (exit 2,
// "another setup-cisco run holds the lock"). Root's lock must not depend
// on anything another user can hold.
func TestAnotherUsersFlockOnTheRootDoesNotBlock(t *testing.T) {
	if unix.Geteuid() != 0 {
		t.Skip("root's lock lives in root's private directory; needs root")
	}
	root := t.TempDir()
	private := filepath.Join(t.TempDir(), "run")
	// What the other user does, through a descriptor of its own.
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	a, err := acquire(private, root, 0)
	if err != nil {
		t.Fatalf("a flock on the root directory blocked root's run: %v", err)
	}
	// Runs still exclude each other, also through another path to the
	// same directory.
	link := filepath.Join(t.TempDir(), "tftpboot")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	if _, err := acquire(private, link, 200*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Fatalf("second run through a symlink: %v", err)
	}
	a.Release()
	st, err := os.Stat(private)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("private directory: %v %v", st, err)
	}
}

func TestUnsafePrivateDirIsRefused(t *testing.T) {
	if unix.Geteuid() != 0 {
		t.Skip("needs root")
	}
	private := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(private, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(private, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := acquire(private, t.TempDir(), 0); err == nil || !strings.Contains(err.Error(), "not root's private directory") {
		t.Fatalf("world-writable lock directory: %v", err)
	}
	other := t.TempDir()
	linked := filepath.Join(t.TempDir(), "run")
	if err := os.Symlink(other, linked); err != nil {
		t.Fatal(err)
	}
	if _, err := acquire(linked, t.TempDir(), 0); err == nil {
		t.Fatal("a symlinked lock directory was followed")
	}
}
