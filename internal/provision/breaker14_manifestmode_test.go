package provision

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestB14WorldWritableManifestRemovesAdminFile: the how-to's
// `chmod -R 777 /tftpboot` after setup-cisco has written the root reaches
// the hidden manifest too: .setup-cisco-files stays root's but becomes
// mode 0777, until the next run writes it again. The admin then closes the
// root (`chmod 755 /tftpboot`, README: "Only chmod 755/644 stops that")
// but not every file in it. syncdir takes a manifest that is root's (a
// regular file, one link) without asking that no one else can write it.
// So in a root now 0755, where no other user can remove anything, any
// local user (or a TFTP client: README says atftpd and in.tftpd accept
// uploads into world-writable files; checked by hand with the real
// atftpd 0.8 in a netns: a WRQ of .setup-cisco-files into a 0755 root is
// accepted and replaces its content) writes a name into the manifest
// (`echo P0S3-8-12-00.loads >> .setup-cisco-files`) and the next run, as
// root, removes that file as its own: here the admin's firmware image,
// which setup-cisco never wrote. Seen on main (aa73cfc): the firmware is
// gone, exit 0, silent. README (Security): nothing "in it that is not
// theirs" is removed. Right: a manifest others can write is not ours
// (read the copy, or compare every file), and the run puts it back to
// 0600.
func TestB14WorldWritableManifestRemovesAdminFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: another user writes the manifest")
	}
	db, o := site(t)
	b14WorldWritable(t, o)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	fw := filepath.Join(o.TFTPRoot, "P0S3-8-12-00.loads")
	if err := os.WriteFile(fw, []byte("admin's firmware"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, o)
	// The how-to.
	if out, err := exec.Command("chmod", "-R", "777", o.TFTPRoot).CombinedOutput(); err != nil {
		t.Fatalf("chmod -R 777: %v %s", err, out)
	}
	// The admin closes the root before the next run.
	os.Chmod(o.TFTPRoot, 0o755)
	manifest := filepath.Join(o.TFTPRoot, ".setup-cisco-files")
	fi, err := os.Stat(manifest)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("manifest mode after chmod 755 of the root: %v", fi.Mode())
	// Another local user: cannot remove anything in a 0755 root...
	setpriv := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "rm", "-f", fw)
	if err := setpriv.Run(); err == nil {
		if _, err := os.Stat(fw); err != nil {
			t.Fatal("premise: nobody could remove the firmware directly")
		}
	}
	// ...but can write the manifest.
	b14Nobody(t, o.TFTPRoot, "printf 'P0S3-8-12-00.loads\\n' >> .setup-cisco-files")
	run(t, o)
	if _, err := os.Stat(fw); err != nil {
		t.Errorf("the admin's firmware is gone: another user wrote its name into the mode %v manifest of a 0755 root, and the run (root) removed it: %v", fi.Mode(), err)
	}
}
