package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBreaker17PackageUnitsRetry: README (Cron and the FreePBX hook): "A
// hook run that changes nothing (exit 2: lock busy, database down, TFTP
// root missing) leaves /var/lib/setup-cisco/hook-retry, so the next hook
// run (cron's next minute, or the path unit's next trigger) retries without
// a new Apply Config." The Debian package's consumer is setup-cisco.path
// (README: "systemctl enable --now setup-cisco.path"), which starts
// setup-cisco.service only on PathExists=/var/spool/setup-cisco/trigger.
// The hook run removed that trigger before it failed, so under the
// package's units nothing runs "hook run" again until the next Apply
// Config: an Apply Config that met a busy lock (an admin's run, a cron run)
// or a MariaDB restart reaches no phone, for days if nobody presses Apply
// Config again. Something in the package's units must start the service
// while hook-retry exists (a Path directive on it, a timer, or
// Restart=on-failure).
func TestBreaker17PackageUnitsRetry(t *testing.T) {
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("no dpkg-deb")
	}
	deb := buildDeb(t, "0.0.17", t.TempDir())
	root := t.TempDir()
	if out, err := exec.Command("dpkg-deb", "-x", deb, root).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -x: %v\n%s", err, out)
	}
	units, _ := filepath.Glob(filepath.Join(root, "lib/systemd/system/setup-cisco*"))
	if len(units) == 0 {
		t.Fatal("the package holds no setup-cisco units")
	}
	for _, u := range units {
		b, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		t.Logf("%s:\n%s", filepath.Base(u), s)
		switch {
		case strings.HasSuffix(u, ".timer"):
			return
		case strings.Contains(s, "/var/lib/setup-cisco/hook-retry") && strings.HasSuffix(u, ".path"):
			return
		case strings.Contains(s, "Restart=on-failure") || strings.Contains(s, "Restart=always"):
			return
		}
	}
	t.Errorf("no unit of the package starts 'setup-cisco hook run' again while /var/lib/setup-cisco/hook-retry exists: a failed hook run waits for the next Apply Config")
}
