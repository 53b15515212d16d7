package installtest

import (
	"os"
	"os/exec"
	"strings"
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
	packageMachine(t)

	const sitePrev = "/var/lib/asterisk/bin/site-post-reload.sh"
	fw, postReload := fakeFwconsole(t, sitePrev)

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
