package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestDefaultVersionClockSkew: without a tag, a commit whose committer's
// clock was behind its parent's (an earlier commit date, a day back) still
// builds a package dpkg sees as newer: the version carries the latest
// date in the history and the number of commits, not the commit's own
// date.
func TestDefaultVersionClockSkew(t *testing.T) {
	testdb.Tool(t, "dpkg")
	if testing.Short() {
		t.Skip("builds the package twice")
	}
	top, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "src")
	git := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = clone
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("git", "clone", "-q", "--shared", top, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	if git(nil, "tag", "-l", "v[0-9]*") != "" {
		t.Skip("tagged: versions come from git describe")
	}
	version := func(date string) string {
		t.Helper()
		git([]string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org",
			"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, "commit", "-q", "--allow-empty", "-m", "at "+date)
		dist := t.TempDir()
		cmd := exec.Command("scripts/package", "--out", dist)
		cmd.Dir = clone
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scripts/package: %v\n%s", err, out)
		}
		debs, _ := filepath.Glob(filepath.Join(dist, "*.deb"))
		if len(debs) != 1 {
			t.Fatalf("scripts/package wrote %v", debs)
		}
		v := strings.Split(filepath.Base(debs[0]), "_")[1]
		n, hash := git(nil, "rev-list", "--count", "HEAD"), git(nil, "rev-parse", "--short", "HEAD")
		if !regexp.MustCompile(`^0~git\d{8}\.` + n + `\.` + hash + `$`).MatchString(v) {
			t.Errorf("version %s, want 0~gitDATE.%s.%s", v, n, hash)
		}
		return v
	}
	parent := version("2099-12-02T10:00:00Z")
	child := version("2099-12-01T09:00:00Z")
	if !strings.HasPrefix(child, "0~git20991202.") {
		t.Errorf("the child's version %s does not carry the history's latest date, 20991202", child)
	}
	if err := exec.Command("dpkg", "--compare-versions", child, "gt", parent).Run(); err != nil {
		t.Errorf("a commit dated a day before its parent builds %s, not newer to dpkg than %s", child, parent)
	}
}
