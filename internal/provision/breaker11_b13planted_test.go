package provision

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// b13PlantAsNobody writes name in root as another local user would in the
// how-to's `chmod -R 777 /tftpboot`: a regular file of theirs (uid 65534),
// renamed over whatever stood there (a 0777 root without the sticky bit
// lets anyone do that).
func b13PlantAsNobody(t *testing.T, root, name, content string) {
	t.Helper()
	tmp := filepath.Join(root, ".planted-by-nobody")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(tmp, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(root, name)); err != nil {
		t.Fatal(err)
	}
}

// b13PlantedStopsRun: a 7960 with lines 1001 and 1002 is provisioned into a
// world-writable root; then another local user plants name (a regular file
// of theirs with content setup-cisco cannot parse), and the admin removes
// line 1002 (the employee left). Seen on main (ed88881), and by hand with
// `setpriv --reuid=nobody` against the built setup-cisco: every run from
// then on fails before writing ("exit 2, nothing changed"), so line 1002
// stays in SIP<MAC>.cnf and keeps registering, for as long as the planted
// file stays. README (Security) says a planted entry "is not ours: never
// read" and "the next run repairs what it owns"; the manifest of another
// owner is already ignored that way. Right: the other user's file is not
// read (a warning naming it), and the phone's file is written.
func b13PlantedStopsRun(t *testing.T, name, content string) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: a file of another user")
	}
	db, o := site(t)
	if err := os.Chmod(o.TFTPRoot, 0o777); err != nil {
		t.Fatal(err)
	}
	addPhone(t, db, "001122AABBCC", "7960", "1001", "1002")
	// A .raw ring file, so RINGLIST.DAT is setup-cisco's to write.
	if err := os.WriteFile(filepath.Join(o.TFTPRoot, "Chirp1.raw"), make([]byte, 800), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, o)
	cnf := filepath.Join(o.TFTPRoot, "SIP001122AABBCC.cnf")
	if !strings.Contains(read(t, cnf), "line2_name: \"1002\"\n") {
		t.Fatal("line 1002 not written by the first run")
	}

	b13PlantAsNobody(t, o.TFTPRoot, name, content)
	db.MustExec(t, "DELETE FROM setup_cisco_line WHERE mac = '001122AABBCC' AND line = 2")

	_, err := Run(context.Background(), o)
	if err != nil {
		t.Errorf("another user's %s (%q) stops the run: %v", name, content, err)
	}
	if strings.Contains(read(t, cnf), "line2_name: \"1002\"\n") {
		t.Errorf("line 1002, removed in the database, is still in %s: the phone keeps registering it", cnf)
	}
}

func TestB13PlantedSyncInfoStopsRun(t *testing.T) {
	b13PlantedStopsRun(t, "syncinfo.xml", "<x/>")
}

func TestB13PlantedRinglistStopsRun(t *testing.T) {
	b13PlantedStopsRun(t, "RINGLIST.DAT", "garbage\n")
}
