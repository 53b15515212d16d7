package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestB14RootFileRenamedOverManifest: c3bc61b reads the manifest's copy
// (/var/lib/setup-cisco) when the manifest is "gone or not ours". In a
// 0777 root another user need not delete it: renaming one of root's own
// files over it (`mv OS79XX.TXT .setup-cisco-files`; a rename in a
// directory without the sticky bit needs no ownership of the file) leaves
// a manifest that is root's, a regular file with one link: "ours", so the
// copy is never read, yet it records nothing. Seen on main (aa73cfc): after
// `phone remove`, the run exits 0, the removed phone's SIP<MAC>.cnf keeps
// line1_name "1001" and its secret: the phone keeps registering. Right: a
// manifest that is not one setup-cisco wrote (no header, no record line)
// counts as gone, and the copy is read.
func TestB14RootFileRenamedOverManifest(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: another user tampers with the root")
	}
	db, o := site(t)
	b14WorldWritable(t, o)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	run(t, o)
	cnf := filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")
	// `setup-cisco phone remove 001122AABBCC`.
	db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac = '001122AABBCC'")
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = '001122AABBCC'")
	b14Nobody(t, o.TFTPRoot, "mv OS79XX.TXT .setup-cisco-files")
	rep := run(t, o)
	if f := read(t, cnf); strings.Contains(f, "line1_name: \"1001\"\n") {
		t.Errorf("removed phone's %s still registers 1001 after the run (retired %v, changed %v)", cnf, rep.Retired, rep.Changed)
	}
}

// TestB14StaleManifestRenamedBack: the same class with a manifest that IS
// one setup-cisco wrote, only an old one. In a 0777 root another user
// renames .setup-cisco-files to a hidden name (`mv .setup-cisco-files
// .m`); the admin adds phone X and the run (reading the copy, as c3bc61b
// does) writes a new manifest that records X; the admin removes X; the
// user renames the old manifest back (`mv .m .setup-cisco-files`). It is
// root's, one link, well-formed: "ours", so the copy is not read, and it
// has never heard of X. Seen on main (aa73cfc): the run exits 0, X's
// SIP<MAC>.cnf keeps line1_name "1001" and its secret. Right: a manifest
// that is not the one the copy says the last run wrote counts as not ours.
func TestB14StaleManifestRenamedBack(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: another user tampers with the root")
	}
	db, o := site(t)
	b14WorldWritable(t, o)
	addPhone(t, db, "001122AABBCD", "7960", "1002")
	run(t, o)
	b14Nobody(t, o.TFTPRoot, "mv .setup-cisco-files .m")
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	run(t, o)
	cnf := filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")
	if !strings.Contains(read(t, cnf), "line1_name: \"1001\"\n") {
		t.Fatal("phone X not written")
	}
	// `setup-cisco phone remove 001122AABBCC`.
	db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac = '001122AABBCC'")
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = '001122AABBCC'")
	b14Nobody(t, o.TFTPRoot, "mv .m .setup-cisco-files")
	rep := run(t, o)
	if f := read(t, cnf); strings.Contains(f, "line1_name: \"1001\"\n") {
		t.Errorf("removed phone's %s still registers 1001 after the run (retired %v, changed %v)", cnf, rep.Retired, rep.Changed)
	}
}
