package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestHookUnitsRetry: both consumers under systemd (scripts/install
// --hook's units and the Debian package's) start "hook run" again a
// minute after a run that changed nothing (exit 2, hook-retry left), and
// not after exit 1 (files written, no retry: exitcode.Incomplete); the
// path unit watches the trigger only. The units are not Type=oneshot,
// which systemd before 244 (CentOS 7's 219) refuses with Restart=, and
// systemd-analyze verify accepts them.
func TestHookUnitsRetry(t *testing.T) {
	testdb.Tool(t, "dpkg-deb")
	testdb.Tool(t, "systemd-analyze")
	dest := t.TempDir()
	script(t, dest, "systemd", "install", "--hook", "--prefix", "/opt/sc")
	deb := buildDeb(t, "0.0.18", t.TempDir())
	pkg := t.TempDir()
	if out, err := exec.Command("dpkg-deb", "-x", deb, pkg).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -x: %v\n%s", err, out)
	}
	for name, dir := range map[string]string{"scripts/install": dest + "/etc/systemd/system", "package": pkg + "/lib/systemd/system"} {
		svc := read(t, dir+"/setup-cisco.service")
		path := read(t, dir+"/setup-cisco.path")
		settings := map[string]string{}
		for _, l := range strings.Split(svc, "\n") {
			if k, v, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(l, "#") {
				settings[k] = v
			}
		}
		if settings["Restart"] != "on-failure" || settings["RestartSec"] != "60" ||
			!strings.Contains(" "+settings["RestartPreventExitStatus"]+" ", " 1 ") ||
			strings.Contains(" "+settings["RestartPreventExitStatus"]+" ", " 2 ") || settings["Type"] == "oneshot" {
			t.Errorf("%s: setup-cisco.service does not retry exit 2 (and only it) a minute later:\n%s", name, svc)
		}
		if !strings.Contains(path, "\nPathExists=/var/spool/setup-cisco/trigger\n") || strings.Contains(path, "hook-retry") {
			t.Errorf("%s: setup-cisco.path:\n%s", name, path)
		}
		// systemd's own parser, with ExecStart pointing at a program that
		// exists here.
		v := t.TempDir()
		os.WriteFile(filepath.Join(v, "setup-cisco.path"), []byte(path), 0o644)
		unit := strings.NewReplacer("/opt/sc/sbin/setup-cisco", "/bin/true", "/usr/sbin/setup-cisco", "/bin/true").Replace(svc)
		os.WriteFile(filepath.Join(v, "setup-cisco.service"), []byte(unit), 0o644)
		cmd := exec.Command("systemd-analyze", "verify", "--man=no", filepath.Join(v, "setup-cisco.path"), filepath.Join(v, "setup-cisco.service"))
		if out, err := cmd.CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
			t.Errorf("%s: systemd-analyze verify: %v\n%s", name, err, out)
		}
	}
}
