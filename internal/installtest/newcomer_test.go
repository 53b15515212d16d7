package installtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// inOrder fails unless each of steps occurs in text after the one before
// it, and none of the words in later appears before the last step.
func inOrder(t *testing.T, what, text string, steps []string, later ...string) {
	t.Helper()
	at := 0
	for _, s := range steps {
		i := strings.Index(text[at:], s)
		if i < 0 {
			t.Errorf("%s: %q missing, or not after the step before it", what, s)
			return
		}
		at += i + len(s)
	}
	for _, w := range later {
		if strings.Contains(text[:at], w) {
			t.Errorf("%s: %q comes before the dry run", what, w)
		}
	}
}

// The demo and README's Quick start end with the way from the demo to a
// dry run against the admin's own FreePBX: scripts/install, a phone, a dry
// run, in that order, before any cron or hook (issue 15.2, 15.4).
func TestNewcomerPath(t *testing.T) {
	steps := []string{"scripts/install", "setup-cisco phone add ", "setup-cisco -n"}
	readme := read(t, "../../README.md")
	qs := readme[strings.Index(readme, "## Quick start"):]
	qs = qs[:strings.Index(qs, "\n## ")]
	inOrder(t, "README Quick start", qs, steps, "--cron", "--hook", "hook install")

	if testing.Short() {
		return
	}
	dir := t.TempDir()
	cmd := exec.Command("../../scripts/demo", dir+"/tftp")
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/demo: %v\n%s", err, out)
	}
	text := string(out)
	end := text[strings.LastIndex(text, "== a second run writes nothing"):]
	inOrder(t, "scripts/demo", end, steps, "--cron", "--hook", "hook install")
	if strings.Contains(text, "max_open_files") {
		t.Errorf("MariaDB's max_open_files warning shows in the demo:\n%s", text)
	}
}
