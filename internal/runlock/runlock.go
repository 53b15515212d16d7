// Package runlock keeps two setup-cisco runs (cron and the FreePBX hook,
// say) from writing the same TFTP root at once: an flock(2) released by the
// kernel when the process ends, even by kill -9.
//
// As root the lock is a file in root's private directory /run/setup-cisco
// (mode 0700), named after the TFTP root's device and inode, so that the
// same directory under two paths (a symlink, a bind mount) is one lock.
// Not a file in the TFTP root: that root may be writable by every local
// user (the how-to's chmod 777), and any name in it can be removed or
// replaced by a symbolic link. Not an flock on the root directory itself
// either, as versions before 2026-11-29 did: flock needs only read access,
// so any local user could hold it (flock /tftpboot sleep inf) and stop
// every run. Without root (tests, a dry run as a user) or without a
// writable /run, the lock falls back to an flock on the root directory.
// (<root>/.setup-cisco.lock of earlier versions is no longer read.)
package runlock

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// ErrBusy is returned when another run held the lock for the whole wait.
var ErrBusy = errors.New("another setup-cisco run holds the lock")

// Lock is a held lock.
type Lock struct{ fd int }

// PrivateDir is where root's runs keep their lock files.
const PrivateDir = "/run/setup-cisco"

// Acquire locks the TFTP root dir, waiting up to wait for a running holder.
// A second Acquire in the same process conflicts just as another process
// would (flock is per open file description).
func Acquire(dir string, wait time.Duration) (*Lock, error) {
	return acquire(PrivateDir, dir, wait)
}

func acquire(private, dir string, wait time.Duration) (*Lock, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if unix.Geteuid() == 0 {
		lfd, err := privateLock(private, fd)
		switch {
		case err == nil:
			unix.Close(fd)
			fd = lfd
		case errors.Is(err, errNoPrivateDir):
			// no /run (a chroot, a container without it): the directory
			// itself, as before
		default:
			unix.Close(fd)
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
	}
	deadline := time.Now().Add(wait)
	for {
		err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return &Lock{fd: fd}, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			unix.Close(fd)
			return nil, fmt.Errorf("lock %s (flock; it must be on a local file system): %w", dir, err)
		}
		if time.Now().After(deadline) {
			unix.Close(fd)
			return nil, fmt.Errorf("%w (%s; waited %s)", ErrBusy, dir, wait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var errNoPrivateDir = errors.New("no private lock directory")

// privateLock opens (creating) the lock file for the directory open as
// rootFD in private, a directory that must be root's and writable by no
// one else; a symlink there is never followed.
func privateLock(private string, rootFD int) (int, error) {
	var st unix.Stat_t
	if err := unix.Fstat(rootFD, &st); err != nil {
		return -1, err
	}
	if err := unix.Mkdir(private, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
		if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EROFS) {
			return -1, errNoPrivateDir
		}
		return -1, fmt.Errorf("lock directory %s: %w", private, err)
	}
	dfd, err := unix.Open(private, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("lock directory %s (must be a directory of root's, not a link): %w", private, err)
	}
	defer unix.Close(dfd)
	var dst unix.Stat_t
	if err := unix.Fstat(dfd, &dst); err != nil {
		return -1, fmt.Errorf("lock directory %s: %w", private, err)
	}
	if dst.Uid != 0 || dst.Mode&0o022 != 0 {
		return -1, fmt.Errorf("lock directory %s is not root's private directory (owner %d, mode %04o): others could hold or replace the lock; fix: rm -r %s (setup-cisco creates it again)", private, dst.Uid, dst.Mode&0o7777, private)
	}
	name := fmt.Sprintf("root-%d-%d.lock", st.Dev, st.Ino)
	lfd, err := unix.Openat(dfd, name, unix.O_RDWR|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return -1, fmt.Errorf("lock file %s/%s: %w", private, name, err)
	}
	return lfd, nil
}

// Release drops the lock.
func (l *Lock) Release() error {
	if l == nil || l.fd < 0 {
		return nil
	}
	err := unix.Close(l.fd) // closing the last descriptor releases the flock
	l.fd = -1
	return err
}
