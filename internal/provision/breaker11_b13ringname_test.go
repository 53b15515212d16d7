package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestB13RingFileNameForgesRinglistLine: RINGLIST.DAT lists every .raw file
// in the root by name (rings.go, ringFiles), and the name is written as is.
// In the how-to's world-writable root another local user can create
// "x\nEvil\tevil.raw" (any byte but '/' and NUL is allowed in a name).
// Seen on main (ed88881), also with the built binary and a file planted by
// `setpriv --reuid=nobody` in a 1777 root: RINGLIST.DAT gets the lines
// "x Evil evil<TAB>x" and "Evil<TAB>evil.raw", an entry no file in the
// root made, offered by every phone's ring menu (the label, cut from the
// name, loses the newline; the file field does not). README: names others
// chose are quoted so they "cannot forge a line" of stderr or syslog, and
// database text "never changes a file's structure". Right: a ring file
// whose name cannot stand in one RINGLIST.DAT field (control characters,
// white space) is left out and named; every line names a file that is in
// the root.
func TestB13RingFileNameForgesRinglistLine(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	for _, n := range []string{"Chirp1.raw", "x\nEvil\tevil.raw"} {
		if err := os.WriteFile(filepath.Join(o.TFTPRoot, n), make([]byte, 960), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, o)
	data := read(t, filepath.Join(o.TFTPRoot, "RINGLIST.DAT"))
	for _, l := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			t.Errorf("RINGLIST.DAT line %q has no LABEL<TAB>FILE", l)
			continue
		}
		if _, err := os.Lstat(filepath.Join(o.TFTPRoot, f[len(f)-1])); err != nil {
			t.Errorf("RINGLIST.DAT line %q names %q, which is not a file in the root (forged by a file name)", l, f[len(f)-1])
		}
	}
}
