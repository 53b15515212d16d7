package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// tuneGC starts a goroutine that wakes every 2 ms until the live heap
// passes 24 MiB, which a small run, and `setup-cisco watch` following a log
// for hours, never reaches: it polls for the life of the process. Measured
// on an idle `watch --log FILE`: 0.28 s of CPU per 10 s (2.8% of a core,
// for ever) against 0.02 s at 61e6ef7. Whatever switches the collector
// must not keep a poller running once the process is past the work it
// was tuned for (or must not poll at all).
func TestTuneGCLeavesNoPoller(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	t.Cleanup(func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
	before := runtime.NumGoroutine()
	tuneGC()
	time.Sleep(100 * time.Millisecond)
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("tuneGC left %d goroutine(s) running:\n%s", n-before, buf[:runtime.Stack(buf, true)])
	}
}
