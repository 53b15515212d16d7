package provision

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestB14DirOwnerRinglistStopsRun: cfccb31 stopped reading another user's
// RINGLIST.DAT, but trusts the TFTP root's owner as root itself. Many
// roots are owned by the TFTP daemon's user (Ubuntu's tftpd-hpa how-tos:
// `chown -R nobody:nogroup /srv/tftp` or `chown tftp:tftp /srv/tftp` with
// TFTP_OPTIONS="--secure --create"): then every file the daemon creates for
// a TFTP client's upload is the directory owner's. Checked by hand with the
// real atftpd 0.8.0 (Debian 12, --user nobody --group nogroup, no other
// option) in a netns: a WRQ of RINGLIST.DAT from any client into a
// nobody-owned 0755 root creates it, owner nobody, mode 0644.
// Such a RINGLIST.DAT with one line that is not LABEL<TAB>FILE stops every
// run (exit 2, "RINGLIST.DAT:1: want LABEL<TAB>FILE"), on a site with no
// .raw file at all, where README says "Without any .raw file an existing
// RINGLIST.DAT is left as it is": a line removed in FreePBX keeps
// registering for as long as the upload stays. Right: the run writes the
// phones (a RINGLIST.DAT it does not write is not read, or an unreadable
// one is said and left out).
func TestB14DirOwnerRinglistStopsRun(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the root is another user's")
	}
	db, o := site(t)
	addPhone(t, db, "001122AABBCC", "7960", "1001", "1002")
	run(t, o)
	for d := filepath.Dir(o.TFTPRoot); d != "/"; d = filepath.Dir(d) {
		if strings.HasPrefix(d, os.TempDir()+"/") {
			os.Chmod(d, 0o755)
		}
	}
	if err := os.Chown(o.TFTPRoot, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	os.Chmod(o.TFTPRoot, 0o755)
	b14Nobody(t, o.TFTPRoot, "printf 'garbage\\n' > RINGLIST.DAT")

	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = '001122AABBCC' AND ext = '1002'")
	if _, err := Run(context.Background(), o); err != nil {
		t.Errorf("a RINGLIST.DAT the TFTP daemon's user uploaded (no .raw file on the site) stops the run: %v", err)
	}
	if f := read(t, filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")); strings.Contains(f, "line2_name: \"1002\"\n") {
		t.Errorf("line 1002, removed in FreePBX, still in SIP001122AABBCC.cnf")
	}
}
