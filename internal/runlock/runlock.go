// Package runlock keeps two setup-cisco runs (cron and the FreePBX hook,
// say) from writing the same TFTP root at once: an flock(2) on a lock file,
// released by the kernel when the process ends, even by kill -9.
package runlock

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// ErrBusy is returned when another run held the lock for the whole wait.
var ErrBusy = errors.New("another setup-cisco run holds the lock")

// Lock is a held lock.
type Lock struct{ f *os.File }

// Acquire takes the lock on path, waiting up to wait for a running holder.
func Acquire(path string, wait time.Duration) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return &Lock{f: f}, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w (%s; waited %s)", ErrBusy, path, wait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Release drops the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}
