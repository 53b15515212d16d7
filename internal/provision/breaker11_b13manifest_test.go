package provision

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB13ManifestDeletedByOtherUserKeepsRemovedPhone: the manifest
// (.setup-cisco-files) is the only record that a removed phone's
// SIP<MAC>.cnf is setup-cisco's, and it lives in the TFTP root. In the
// how-to's `chmod -R 777 /tftpboot` (0777, no sticky bit) any local user may
// delete it. Seen on main (ed88881), also by hand with the built binary and
// `setpriv --reuid=nobody rm .setup-cisco-files` between `phone remove` and
// the next run: the run exits 0 and prints nothing, SIP<MAC>.cnf still holds
// line1_name "1001" with its secret (not the retired reset README promises:
// "the next run rewrites the file as retired"), and `phone list` shows no
// retired phone. The phone keeps registering as the removed extensions.
// README (Security) says the promises hold in a root others can write and
// "the next run repairs what it owns". Right: the removed phone is still
// retired (state another user cannot delete, e.g. beside the lock in
// /run or /var/lib), or the run at least says that its record vanished.
func TestB13ManifestDeletedByOtherUserKeepsRemovedPhone(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: another user deletes the manifest")
	}
	setpriv := testdb.Tool(t, "setpriv")
	db, o := site(t)
	os.Chmod(o.TFTPRoot, 0o777)
	for d := filepath.Dir(o.TFTPRoot); d != "/"; d = filepath.Dir(d) {
		if strings.HasPrefix(d, os.TempDir()+"/") {
			os.Chmod(d, 0o755) // nobody must reach the root
		}
	}
	addPhone(t, db, "001122AABBCC", "7960", "1001", "1002")
	run(t, o)
	cnf := filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")
	if !strings.Contains(read(t, cnf), "line1_name: \"1001\"\n") {
		t.Fatal("phone not written")
	}

	// `setup-cisco phone remove 001122AABBCC`.
	db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac = '001122AABBCC'")
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = '001122AABBCC'")
	// Another local user, in the world-writable root.
	manifest := filepath.Join(o.TFTPRoot, ".setup-cisco-files")
	if out, err := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "rm", "-f", manifest).CombinedOutput(); err != nil {
		t.Fatalf("nobody could not delete the manifest: %v %s", err, out)
	}
	if _, err := os.Lstat(manifest); err == nil {
		t.Fatal("premise: the manifest is still there")
	}

	rep := run(t, o)
	if f := read(t, cnf); strings.Contains(f, "line1_name: \"1001\"\n") {
		t.Errorf("removed phone's %s still registers 1001 after the run (retired %v, changed %v):\n%s", cnf, rep.Retired, rep.Changed, f)
	}
}

// TestB13StateDeletedSyncGoesBack: README (Security): "The sync generation
// does not go back. Removing or planting syncinfo.xml cannot make a changed
// phone get a sync value it already runs (and so not reboot): the
// generation is never below the highest value the manifest records". In a
// 0777 root another user can remove both. Seen on main (ed88881), also by
// hand with the built binary: phones A and B at sync 2, A changed twice
// (sync 4, syncinfo.xml SYNC="4"); nobody removes .setup-cisco-files and
// syncinfo.xml; B's label changes: B's new SIP<MAC>.cnf says sync 2, the
// value B already runs, and syncinfo.xml says SYNC="2" (back from 4). A
// check-sync NOTIFY (--resync) then finds nothing to reload: B keeps its
// old configuration until someone reboots it by hand, exit 0, silent.
// Right: a changed phone always gets a sync value it does not run (the
// highest value in the phones' own files counts too).
func TestB13StateDeletedSyncGoesBack(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: another user deletes the state")
	}
	setpriv := testdb.Tool(t, "setpriv")
	db, o := site(t)
	os.Chmod(o.TFTPRoot, 0o777)
	for d := filepath.Dir(o.TFTPRoot); d != "/"; d = filepath.Dir(d) {
		if strings.HasPrefix(d, os.TempDir()+"/") {
			os.Chmod(d, 0o755)
		}
	}
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	addPhone(t, db, "001122AABBCD", "7960", "1002")
	run(t, o)
	for _, label := range []string{"A1", "A2"} {
		db.MustExec(t, "UPDATE setup_cisco_phone SET label = ? WHERE mac = '001122AABBCC'", label)
		run(t, o)
	}
	b := filepath.Join(o.TFTPRoot, "SIP001122AABBCD.cnf")
	oldB := syncOf(t, read(t, b))
	for _, f := range []string{".setup-cisco-files", "syncinfo.xml"} {
		if out, err := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "rm", "-f", filepath.Join(o.TFTPRoot, f)).CombinedOutput(); err != nil {
			t.Fatalf("nobody could not delete %s: %v %s", f, err, out)
		}
	}
	db.MustExec(t, "UPDATE setup_cisco_phone SET label = 'B1' WHERE mac = '001122AABBCD'")
	run(t, o)
	newB := syncOf(t, read(t, b))
	if !strings.Contains(read(t, b), `phone_label: "B1"`) {
		t.Fatal("B's change not written")
	}
	if newB == oldB {
		t.Errorf("phone B changed but its sync stays %q (the value it runs): check-sync will not reload it; syncinfo.xml: %s",
			newB, read(t, filepath.Join(o.TFTPRoot, "syncinfo.xml")))
	}
}

func syncOf(t *testing.T, cnf string) string {
	t.Helper()
	for _, l := range strings.Split(cnf, "\n") {
		if v, ok := strings.CutPrefix(l, "sync: "); ok {
			return v
		}
	}
	t.Fatalf("no sync line in:\n%s", cnf)
	return ""
}
