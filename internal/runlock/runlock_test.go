package runlock

import (
	"errors"
	"testing"
	"time"
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
