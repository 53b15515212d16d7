package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBreaker17DefaultVersionOrder: the project has no v* tag, so
// scripts/package names every build 0~gitYYYYMMDD.HASH (commit date, short
// hash). README's upgrade is "apt install the newer .deb". Two commits of
// one day (this project lands dozens a day) are then ordered by their
// hashes: 0~git20261130.1a2b3c4 sorts below 0~git20261130.cea00af, so the
// newer build is a downgrade to dpkg (apt install -y refuses it without
// --allow-downgrades) and an older one an upgrade. Each commit's default
// version must sort above its parent's.
func TestBreaker17DefaultVersionOrder(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("no dpkg")
	}
	if testing.Short() {
		t.Skip("builds the package several times")
	}
	top, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "src")
	run := func(dir string, env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run(top, nil, "git", "clone", "-q", "--shared", top, clone)
	if out := run(clone, nil, "git", "tag", "-l", "v[0-9]*"); out != "" {
		t.Skipf("tagged (%s): versions come from git describe", out)
	}
	env := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org"}
	version := func() string {
		dist := t.TempDir()
		run(clone, nil, "scripts/package", "--out", dist)
		debs, _ := filepath.Glob(filepath.Join(dist, "*.deb"))
		if len(debs) != 1 {
			t.Fatalf("scripts/package wrote %v", debs)
		}
		return strings.Split(filepath.Base(debs[0]), "_")[1]
	}
	prev := ""
	for i := range 8 {
		date := "2026-11-30T0" + string(rune('1'+i)) + ":00:00Z"
		run(clone, append(env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date), "git", "commit", "-q", "--allow-empty", "-m", "change "+date)
		v := version()
		if prev != "" {
			cmd := exec.Command("dpkg", "--compare-versions", v, "gt", prev)
			if err := cmd.Run(); err != nil {
				t.Fatalf("the build of a later commit (%s) is not newer to dpkg than its parent's (%s): apt install of it is a downgrade", v, prev)
			}
		}
		prev = v
	}
}
