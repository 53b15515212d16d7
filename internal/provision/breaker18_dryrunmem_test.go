package provision

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// heapAfter runs o and returns the live heap (after a collection) while
// the run's Report is still held, as the command holds it to print it.
func heapAfter(t *testing.T, o Options) (uint64, Report) {
	t.Helper()
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	rep := run(t, o)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	live := ms.HeapAlloc
	if live < base {
		return 0, rep
	}
	return live - base, rep
}

// README ("Performance", Memory): a run's memory no longer grows with
// every phone; the only exceptions named are a template reading the whole
// phone list and --diff of a run that changes every phone. The quick
// start's first command is 'setup-cisco -n' into an empty TFTP root, and
// a dry run without --diff keeps every file's old and new contents in its
// Report all the same (syncdir.Write: c.contents in every DryRun change):
// at 100,000 phones (perf DB a100k, tmpfs, empty root) 'setup-cisco -n'
// peaks at 236-252 MB RSS against 45 MB for the real run that writes the
// same files (cea00af: 274 MB). Here: the dry run of 2,000 phones holds
// megabytes more than the real run of the same phones.
func TestBreaker18DryRunHoldsEveryFile(t *testing.T) {
	db, o := site(t)
	const n = 2000
	manyPhones(t, db, n)

	dry := o
	dry.DryRun = true
	dryLive, dryRep := heapAfter(t, dry)
	if got := len(dryRep.Result.Changes); got < 2*n {
		t.Fatalf("dry run: %d changes, want at least %d", got, 2*n)
	}

	real := o
	real.TFTPRoot = filepath.Join(t.TempDir(), "root")
	if err := os.MkdirAll(real.TFTPRoot, 0o755); err != nil {
		t.Fatal(err)
	}
	realLive, realRep := heapAfter(t, real)
	if got := len(realRep.Result.Changes); got < 2*n {
		t.Fatalf("real run: %d changes, want at least %d", got, 2*n)
	}
	t.Logf("live heap held with the Report: dry run %d KiB, real run %d KiB (%d phones)", dryLive>>10, realLive>>10, n)
	if dryLive > realLive+(1<<20) {
		t.Errorf("a dry run without --diff holds %d KiB more than the real run of the same %d phones (%d KiB vs %d KiB): every file's contents are kept, so 'setup-cisco -n' at 100,000 phones peaks at about 250 MB, past README's 50 MB at every size, and README names only --diff and a template reading the phone list as exceptions",
			(dryLive-realLive)>>10, n, dryLive>>10, realLive>>10)
	}
	runtime.KeepAlive(dryRep)
	runtime.KeepAlive(realRep)
}
