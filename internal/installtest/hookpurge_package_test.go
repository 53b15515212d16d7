package installtest

import (
	"os"
	"os/exec"
	"testing"
)

// TestPackagePurgeKeepsHookWhenRemoveFails: when the prerm's "hook remove"
// cannot reach FreePBX (here fwconsole is gone), POST_RELOAD still names
// /etc/setup-cisco/post-reload; purge must keep that script and the site's
// previous command in post-reload-previous, never leave POST_RELOAD naming
// a missing file.
func TestPackagePurgeKeepsHookWhenRemoveFails(t *testing.T) {
	packageMachine(t)
	const sitePrev = "/var/lib/asterisk/bin/site-post-reload.sh"
	fw, postReload := fakeFwconsole(t, sitePrev)
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
