// Package runlock keeps two setup-cisco runs (cron and the FreePBX hook,
// say) from writing the same TFTP root at once: an flock(2) on the TFTP root
// directory itself, released by the kernel when the process ends, even by
// kill -9.
//
// The directory, not a lock file in it: the root may be writable by every
// local user (the how-to's chmod 777), and any name in it can be removed or
// replaced by a symbolic link (which would make the run create or truncate
// the link's target, or break mutual exclusion by unlinking a held lock
// file). The directory itself cannot be swapped by those users, and locking
// it creates nothing. (Versions before 2026-11 used <root>/.setup-cisco.lock;
// a file left under that name is no longer read.)
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

// Acquire locks directory dir, waiting up to wait for a running holder.
// A second Acquire in the same process conflicts just as another process
// would (flock is per open file description).
func Acquire(dir string, wait time.Duration) (*Lock, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return &Lock{fd: fd}, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			unix.Close(fd)
			return nil, fmt.Errorf("lock %s (flock on the directory; it must be on a local file system): %w", dir, err)
		}
		if time.Now().After(deadline) {
			unix.Close(fd)
			return nil, fmt.Errorf("%w (%s; waited %s)", ErrBusy, dir, wait)
		}
		time.Sleep(100 * time.Millisecond)
	}
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
