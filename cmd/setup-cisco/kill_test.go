package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
	"github.com/setup-cisco/setup-cisco/internal/udiff"
)

// A run killed (SIGKILL) at any moment leaves every file whole, either the
// old or the new content, and the next run finishes the job and removes
// the temporary files the killed run left behind.
func TestKillAnywhereLeavesWholeFiles(t *testing.T) {
	db, runInto := killSite(t, 400, "0000AA", "7940")
	mustRun := func(root string) time.Duration {
		start := time.Now()
		if out, err := runInto(root).CombinedOutput(); err != nil {
			t.Fatalf("run into %s: %v\n%s", root, err, out)
		}
		return time.Since(start)
	}

	// State A, then the database changes (every name, and a tenth of the
	// phones removed) and state B is produced in a reference root.
	rootA := reachableTempDir(t)
	mustRun(rootA)
	oldFiles := readTree(t, rootA)
	db.MustExec(t, "UPDATE users SET name = CONCAT(name, ' II'); DELETE FROM setup_cisco_phone WHERE mac LIKE '%0'")
	ref := reachableTempDir(t)
	copyTree(t, oldFiles, ref) // same history: the same sync generation
	full := mustRun(ref)
	newFiles := readTree(t, ref)

	for i := 0; i < 12; i++ {
		root := reachableTempDir(t)
		copyTree(t, oldFiles, root)
		killAfter(t, runInto(root), full*time.Duration(i)/10)
		temps := 0
		for name, data := range readTree(t, root) {
			if strings.HasPrefix(name, ".setup-cisco-tmp-") || strings.HasPrefix(name, "..setup-cisco-files") {
				temps++ // hidden, never requested by a phone
				continue
			}
			o, inOld := oldFiles[name]
			n, inNew := newFiles[name]
			// setup-cisco's own state (.setup-cisco-*) names paths and is never
			// served to a phone; every other file must be whole.
			if !(inOld && bytes.Equal(data, o)) && !(inNew && bytes.Equal(data, n)) && !strings.HasPrefix(name, ".setup-cisco") {
				t.Fatalf("kill %d: %s is neither the old nor the new content (%d bytes)", i, name, len(data))
			}
		}
		// The next run completes: exactly state B, no temporary files left.
		mustRun(root)
		got := readTree(t, root)
		for name := range got {
			if strings.HasPrefix(name, ".setup-cisco-tmp-") || strings.HasPrefix(name, "..setup-cisco-files") {
				t.Errorf("kill %d: %s left after the next run", i, name)
			}
		}
		for name, want := range newFiles {
			if !bytes.Equal(got[name], want) && !strings.HasPrefix(name, ".") {
				t.Errorf("kill %d: %s differs after the next run:\n%s", i, name, udiff.Unified("got", "want", string(got[name]), string(want)))
			}
		}
		for name := range got {
			if _, ok := newFiles[name]; !ok && !strings.HasPrefix(name, ".") {
				t.Errorf("kill %d: %s should have been removed", i, name)
			}
		}
		t.Logf("kill after %v: %d temporary files left, cleaned by the next run", full*time.Duration(i)/10, temps)
	}
}

// A first run killed at any moment (its new files written by the plan's
// workers, syncdir.Prestage, and renamed into place at the end) leaves no
// file a TFTP daemon can read (it runs as another user: world-readable
// files) that is not whole, and the next run finishes the job.
func TestKillFirstRunLeavesNoReadablePart(t *testing.T) {
	_, runInto := killSite(t, 400, "0000BB", "7960")
	ref := reachableTempDir(t)
	start := time.Now()
	if out, err := runInto(ref).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	full := time.Since(start)
	want := readTree(t, ref)
	for i := 1; i < 11; i++ {
		root := reachableTempDir(t)
		killAfter(t, runInto(root), full*time.Duration(i)/10)
		hidden := 0
		entries, _ := os.ReadDir(root)
		for _, e := range entries {
			name := e.Name()
			fi, err := e.Info()
			if err != nil || e.IsDir() {
				continue
			}
			if strings.HasPrefix(name, ".") || fi.Mode().Perm()&0o004 == 0 {
				hidden++ // never requested by a phone, or unreadable to the daemon
				continue
			}
			data, _ := os.ReadFile(filepath.Join(root, name))
			if !bytes.Equal(data, want[name]) {
				t.Fatalf("kill %d: %s is readable but not whole (%d of %d bytes)", i, name, len(data), len(want[name]))
			}
		}
		if out, err := runInto(root).CombinedOutput(); err != nil {
			t.Fatalf("kill %d: next run: %v\n%s", i, err, out)
		}
		got := readTree(t, root)
		for name, data := range want {
			if !strings.HasPrefix(name, ".") && !bytes.Equal(got[name], data) {
				t.Fatalf("kill %d: %s differs after the next run", i, name)
			}
		}
		entries, _ = os.ReadDir(root)
		for _, e := range entries {
			fi, _ := e.Info()
			if strings.HasPrefix(e.Name(), ".setup-cisco-tmp-") || (!strings.HasPrefix(e.Name(), ".") && fi.Mode().Perm() != 0o644) {
				t.Errorf("kill %d: %s (%v) left after the next run", i, e.Name(), fi.Mode())
			}
		}
		t.Logf("kill after %v: %d hidden or unreadable files", full*time.Duration(i)/10, hidden)
	}
}

// killSite makes a database with n phones of model (MACs prefix + 6 hex
// digits, extensions 1001-1004 of the sample) and returns it with a
// function that starts setup-cisco writing into a root.
func killSite(t *testing.T, n int, prefix, model string) (*testdb.DB, func(root string) *exec.Cmd) {
	t.Helper()
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	var b strings.Builder
	b.WriteString("CREATE TABLE setup_cisco_phone (mac CHAR(12) NOT NULL PRIMARY KEY, model VARCHAR(8) NOT NULL, label VARCHAR(40) NOT NULL DEFAULT '', image VARCHAR(32) NOT NULL DEFAULT '', ip VARCHAR(15) NOT NULL DEFAULT '');")
	b.WriteString("CREATE TABLE setup_cisco_line (mac CHAR(12) NOT NULL, line TINYINT UNSIGNED NOT NULL, ext VARCHAR(20) NOT NULL, label VARCHAR(40) NOT NULL DEFAULT '', PRIMARY KEY (mac, line));")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "INSERT INTO setup_cisco_phone (mac, model) VALUES ('%s%06X', '%s'); INSERT INTO setup_cisco_line VALUES ('%s%06X', 1, '%d', '');", prefix, i, model, prefix, i, 1001+i%4)
	}
	db.MustExec(t, b.String())
	conf := filepath.Join(reachableTempDir(t), "site.conf")
	os.WriteFile(conf, []byte("proxy_address = 192.0.2.10\n"), 0o644)
	return db, func(root string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "--db-dsn", db.DSN, "-c", conf, "-r", root, "--templates", root+"/none")
		cmd.Env = append(os.Environ(), "SETUP_CISCO_RUN_MAIN=1")
		return cmd
	}
}

// killAfter starts cmd and kills it (SIGKILL) after d.
func killAfter(t *testing.T, cmd *exec.Cmd, d time.Duration) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(d)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

func copyTree(t *testing.T, files map[string][]byte, dir string) {
	t.Helper()
	for name, data := range files {
		mode := os.FileMode(0o644)
		if strings.HasPrefix(name, ".") {
			mode = 0o600
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
			t.Fatal(err)
		}
	}
}
