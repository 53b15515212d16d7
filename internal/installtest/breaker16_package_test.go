package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestBreaker16PackageRemoveHookWithOwnFwconsole: README (Cron and the
// FreePBX hook) tells an admin whose fwconsole is not in a standard place to
// run "setup-cisco hook install --fwconsole /path/to/fwconsole", and
// (Install) that "apt remove setup-cisco undoes hook install (POST_RELOAD
// gets its previous command back)". The package's prerm runs "setup-cisco
// hook remove" without --fwconsole, hook install records no fwconsole path,
// so the remove fails ("fwconsole not found"), dpkg -r still exits 0, and
// the purge then deletes /etc/setup-cisco/post-reload and
// post-reload-previous: FreePBX's POST_RELOAD names a script that no longer
// exists, and the site's own previous command (kept only in the purged
// file) is lost for good. Apply Config never runs it again.
func TestBreaker16PackageRemoveHookWithOwnFwconsole(t *testing.T) {
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

	// A FreePBX whose fwconsole is outside $PATH and FindFwconsole's list
	// (a source install under /opt, a chroot'd layout); it keeps its
	// advanced settings as files, printing them as framework's
	// Console/Setting.class.php does.
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

	deb := buildDeb(t, "0.0.0+b16hook", t.TempDir())
	t.Cleanup(func() {
		if pkgStatus() != "" {
			dpkg(t, "--purge", "setup-cisco")
		}
		os.Remove("/etc/setup-cisco/post-reload")
		os.Remove("/etc/setup-cisco/post-reload-previous")
		os.Remove("/etc/setup-cisco")
		os.RemoveAll("/var/spool/setup-cisco")
		os.RemoveAll("/var/lib/setup-cisco")
	})
	dpkg(t, "-i", deb)
	cmd := exec.Command("/usr/sbin/setup-cisco", "hook", "install", "--fwconsole", fw, "--group", "root")
	cmd.Env = append(os.Environ(), "SETUP_CISCO_FWCONSOLE=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hook install --fwconsole %s: %v\n%s", fw, err, out)
	}
	if got := read(t, postReload); got != "/etc/setup-cisco/post-reload" {
		t.Fatalf("after hook install POST_RELOAD = %q", got)
	}

	dpkg(t, "-r", "setup-cisco")
	if got := read(t, postReload); got != sitePrev {
		t.Errorf("after dpkg -r POST_RELOAD = %q, want its previous command %q back (README: apt remove undoes hook install)", got, sitePrev)
	}
	dpkg(t, "--purge", "setup-cisco")
	got := read(t, postReload)
	if _, err := os.Stat(strings.TrimSpace(got)); got != sitePrev && err != nil {
		t.Errorf("after purge POST_RELOAD = %q, a script that no longer exists (%v); the previous command %q is lost", got, err, sitePrev)
	}
}
