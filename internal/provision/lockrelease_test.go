package provision

import (
	"context"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/runlock"
)

// A run that fails after taking the lock (here: the database refuses the
// connection) must give it back: a caller that runs again in the same
// process found the root locked by its own failed run.
func TestFailedRunReleasesTheLock(t *testing.T) {
	_, o := site(t)
	o.DB = dbconf.Options{DSN: "u:p@tcp(127.0.0.1:1)/asterisk"}
	if _, err := Run(context.Background(), o); err == nil {
		t.Fatal("run against a closed port succeeded")
	}
	l, err := runlock.Acquire(o.TFTPRoot, 0)
	if err != nil {
		t.Fatalf("lock still held after the failed run: %v", err)
	}
	l.Release()
}
