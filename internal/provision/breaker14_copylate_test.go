package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestB14RootOpenedLaterNoCopy: the manifest's copy (c3bc61b) is written
// only with the manifest, and a run that changes nothing writes neither.
// A root that setup-cisco wrote while it was 0755 and that is opened later
// with the how-to's `chmod 777 /tftpboot` (the directory only: no file
// changes) gets no copy from any number of cron runs, until some phone
// changes. Seen on main (aa73cfc): chmod 777, a cron run
// (no change), `phone remove`, another user deletes .setup-cisco-files:
// the run exits 0, the removed phone's SIP<MAC>.cnf keeps line1_name
// "1001" and its secret (the class of 24a061e, with the fix in place).
// Right: a run in a root others can write keeps a copy whenever none is
// there (or it differs), changed or not.
func TestB14RootOpenedLaterNoCopy(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: another user deletes the manifest")
	}
	db, o := site(t)
	b14WorldWritable(t, o)
	os.Chmod(o.TFTPRoot, 0o755)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	run(t, o)
	os.Chmod(o.TFTPRoot, 0o777) // chmod 777 /tftpboot
	run(t, o)                   // cron, nothing changed
	run(t, o)
	cnf := filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")
	// `setup-cisco phone remove 001122AABBCC`.
	db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac = '001122AABBCC'")
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = '001122AABBCC'")
	if des, _ := os.ReadDir(o.StateDir); len(des) == 0 {
		t.Logf("no copy in %s after two runs in the 0777 root", o.StateDir)
	}
	b14Nobody(t, o.TFTPRoot, "rm -f .setup-cisco-files")
	rep := run(t, o)
	if f := read(t, cnf); strings.Contains(f, "line1_name: \"1001\"\n") {
		des, _ := os.ReadDir(o.StateDir)
		var copies []string
		for _, d := range des {
			copies = append(copies, d.Name())
		}
		t.Errorf("removed phone's %s still registers 1001 after the run (retired %v, changed %v); copies in %s: %v", cnf, rep.Retired, rep.Changed, o.StateDir, copies)
	}
}
