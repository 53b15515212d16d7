package provision

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// nobody runs a shell command as uid/gid 65534 in dir.
func b14Nobody(t *testing.T, dir, script string) {
	t.Helper()
	setpriv := testdb.Tool(t, "setpriv")
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nobody: %s: %v %s", script, err, out)
	}
}

func b14WorldWritable(t *testing.T, o Options) {
	os.Chmod(o.TFTPRoot, 0o777)
	for d := filepath.Dir(o.TFTPRoot); d != "/"; d = filepath.Dir(d) {
		if strings.HasPrefix(d, os.TempDir()+"/") {
			os.Chmod(d, 0o755)
		}
	}
}

// TestB14CopyBypassedByRenameKeepsRemovedPhone: c3bc61b keeps a copy of
// the manifest in /var/lib/setup-cisco for a 0777 root, and a run that
// finds the manifest gone takes from the copy only the records of files
// "still exactly as recorded (inode, size, times)". Times include ctime,
// and in a root others can write without the sticky bit any local user can
// rename root's file away and back (`mv SIP<MAC>.cnf x; mv x SIP<MAC>.cnf`):
// same inode, same content, only ctime moved. So the same local user who
// could delete the manifest before (TestB13ManifestDeletedByOtherUserKeepsRemovedPhone)
// still can: rm the manifest, mv the removed phone's file there and back.
// Seen on main (aa73cfc): the run after `phone remove` exits 0, the removed
// phone's SIP<MAC>.cnf keeps line1_name "1001" and its secret; the phone
// keeps registering as the removed extension. Right: the removed phone
// still retired (a record that matches by inode/size/mtime/content, not by
// a ctime any user can move), or at least said.
func TestB14CopyBypassedByRenameKeepsRemovedPhone(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: another user tampers with the root")
	}
	db, o := site(t)
	b14WorldWritable(t, o)
	addPhone(t, db, "001122AABBCC", "7960", "1001", "1002")
	run(t, o)
	cnf := filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")
	if !strings.Contains(read(t, cnf), "line1_name: \"1001\"\n") {
		t.Fatal("phone not written")
	}
	// `setup-cisco phone remove 001122AABBCC`.
	db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac = '001122AABBCC'")
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = '001122AABBCC'")
	b14Nobody(t, o.TFTPRoot, "rm -f .setup-cisco-files && mv SIP001122AABBCC.cnf .x && mv .x SIP001122AABBCC.cnf")

	rep := run(t, o)
	if f := read(t, cnf); strings.Contains(f, "line1_name: \"1001\"\n") {
		t.Errorf("removed phone's %s still registers 1001 after the run (retired %v, changed %v):\n%s", cnf, rep.Retired, rep.Changed, f)
	}
}
