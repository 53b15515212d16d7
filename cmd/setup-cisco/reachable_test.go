package main

import (
	"os"
	"path/filepath"
	"testing"
)

// reachableTempDir is t.TempDir opened to every user (0755, and its parent,
// which Go makes 0700): a TFTP root below it is one a TFTP daemon, which
// serves as an unprivileged user, could serve, as on a real server. A run
// fails on a root only root can reach (safefs.Unsearchable).
func reachableTempDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for _, p := range []string{filepath.Dir(d), d} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return d
}
