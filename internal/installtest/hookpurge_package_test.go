package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestPackagePurgeKeepsHookWhenRemoveFails: when the prerm's "hook remove"
// cannot reach FreePBX (here fwconsole is gone), POST_RELOAD still names
// /etc/setup-cisco/post-reload; purge must keep that script and the site's
// previous command in post-reload-previous, never leave POST_RELOAD naming
// a missing file.
func TestPackagePurgeKeepsHookWhenRemoveFails(t *testing.T) {
	if os.Getenv("SETUP_CISCO_PACKAGE_TEST") != "1" || os.Getuid() != 0 {
		t.Skip("installs a package: runs as root from scripts/test (SETUP_CISCO_PACKAGE_TEST=1)")
	}
	lock, err := os.OpenFile("/run/lock/setup-cisco-package-test", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if st := pkgStatus(); st != "" {
		t.Skipf("setup-cisco is installed as a package here (%s): not touching it", st)
	}
	fp := t.TempDir()
	settings := filepath.Join(fp, "settings")
	if err := os.Mkdir(settings, 0o755); err != nil {
		t.Fatal(err)
	}
	fw := filepath.Join(fp, "fwconsole")
	script := `#!/bin/sh
d=` + settings + `
[ "$1" = setting ] || exit 1
if [ $# -ge 3 ]; then printf '%s' "$3" >"$d/$2"; echo "Changing $2"; exit 0; fi
v=$(cat "$d/$2" 2>/dev/null)
echo "Setting of \"$2\" is (TEXT)[$v]"
`
	if err := os.WriteFile(fw, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	const sitePrev = "/var/lib/asterisk/bin/site-post-reload.sh"
	postReload := filepath.Join(settings, "POST_RELOAD")
	if err := os.WriteFile(postReload, []byte(sitePrev), 0o644); err != nil {
		t.Fatal(err)
	}
	deb := buildDeb(t, "0.0.0+hookpurge", t.TempDir())
	t.Cleanup(func() {
		if pkgStatus() != "" {
			dpkg(t, "--purge", "setup-cisco")
		}
		os.RemoveAll("/etc/setup-cisco")
		os.RemoveAll("/var/spool/setup-cisco")
		os.RemoveAll("/var/lib/setup-cisco")
	})
	dpkg(t, "-i", deb)
	cmd := exec.Command("/usr/sbin/setup-cisco", "hook", "install", "--fwconsole", fw, "--group", "root")
	cmd.Env = append(os.Environ(), "SETUP_CISCO_FWCONSOLE=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hook install: %v\n%s", err, out)
	}
	// FreePBX's fwconsole fails from now on (moved, broken PHP).
	if err := os.WriteFile(fw, []byte("#!/bin/sh\necho 'PHP Fatal error' >&2; exit 255\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dpkg(t, "--purge", "setup-cisco")
	if got := read(t, postReload); got != "/etc/setup-cisco/post-reload" {
		t.Fatalf("POST_RELOAD = %q; the test expects hook remove to have failed", got)
	}
	if _, err := os.Stat("/etc/setup-cisco/post-reload"); err != nil {
		t.Errorf("purge deleted the script POST_RELOAD still names: %v", err)
	}
	if got := read(t, "/etc/setup-cisco/post-reload-previous"); got != sitePrev+"\n" {
		t.Errorf("post-reload-previous after purge = %q, want the site's command %q kept", got, sitePrev)
	}
}
