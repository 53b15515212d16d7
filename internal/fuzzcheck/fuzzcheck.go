// Package fuzzcheck holds what the fuzz targets (fuzz_test.go in each
// parser's package) share: a bound on the time one input may take, so a
// parser that loops forever fails with the input instead of stalling the
// fuzzer, and seeds read from a package's testdata.
package fuzzcheck

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Limit is how long one input may take. It is generous: parsers take
// microseconds, and the machine may be busy; an input reaching it is a hang.
const Limit = 10 * time.Second

// Within runs fn and fails t when it has not returned after Limit.
func Within(t testing.TB, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(Limit):
		t.Fatalf("no result after %s: the parser hangs on this input", Limit)
	}
}

// Seeds adds the content of every file matching pattern (relative to the
// package directory, e.g. "testdata/*.conf") to the corpus, as one string
// each (add: func(string)). It fails when nothing matches, so a moved
// testdata directory cannot leave a target unseeded.
func Seeds(f *testing.F, pattern string, add func(string)) {
	f.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files match %s", pattern)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(string(b))
	}
}
