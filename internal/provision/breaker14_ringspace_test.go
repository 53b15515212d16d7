package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestB14RingNameWithSpaceLosesAdminLabel: since cfccb31 a .raw file whose
// name holds a space ("Old Phone.raw", as admins name converted ring tones)
// is listed in RINGLIST.DAT (only control characters are left out). But
// ringlist.Parse takes the LAST white-space field of a line as the file, so
// the admin's entry "Grandma<TAB>Old Phone.raw" is read back as label
// "Grandma<TAB>Old", file "Phone.raw": that file does not exist, the entry
// is dropped and the file re-added under the default label. Seen on main
// (aa73cfc): the admin's label is replaced by "Old Phone", exit 0. RINGLIST
// .DAT's format is LABEL<TAB>FILE (Cisco SIP admin guide, Custom Ring
// Types): the file is what follows the tab. Right: the admin's entry kept
// as written (README: "the entries RINGLIST.DAT already had for files that
// exist ... with your labels").
func TestB14RingNameWithSpaceLosesAdminLabel(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	raw := make([]byte, 4080) // 17 x 240 u-law samples: playable (ringlist.Playable)
	for _, f := range []string{"Old Phone.raw", "Chirp1.raw"} {
		if err := os.WriteFile(filepath.Join(o.TFTPRoot, f), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	admin := "Grandma\tOld Phone.raw\nChirpy\tChirp1.raw\n"
	if err := os.WriteFile(filepath.Join(o.TFTPRoot, "RINGLIST.DAT"), []byte(admin), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, o)
	got := read(t, filepath.Join(o.TFTPRoot, "RINGLIST.DAT"))
	if !strings.Contains(got, "Grandma\tOld Phone.raw\n") {
		t.Errorf("admin's entry 'Grandma<TAB>Old Phone.raw' not kept; RINGLIST.DAT now:\n%q", got)
	}
}

// TestB14RingNameWithSpaceForgesEntry: another local user in a 0777 root (here root writes it: the owner does not matter)
// puts a file named "A Chirp1.raw" beside the admin's Chirp1.raw. The
// first run lists it (sorted before Chirp1.raw) as "A Chirp1<TAB>A Chirp1.raw"; the next run
// parses that line as label "A Chirp1<TAB>A" for file Chirp1.raw
// (which exists) and writes the line back with two tabs, the label holding
// a tab: RINGLIST.DAT now carries an entry whose label another user chose,
// for the admin's file (Chirp1.raw's own entry is gone), and it survives the planted file's removal. Seen on main (aa73cfc): "A Chirp1\tA\tChirp1.raw", exit 0.
func TestB14RingNameWithSpaceForgesEntry(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	raw := make([]byte, 4080) // 17 x 240 u-law samples: playable (ringlist.Playable)
	for _, f := range []string{"Chirp1.raw", "A Chirp1.raw"} {
		if err := os.WriteFile(filepath.Join(o.TFTPRoot, f), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, o)
	os.Remove(filepath.Join(o.TFTPRoot, "A Chirp1.raw"))
	run(t, o)
	got := read(t, filepath.Join(o.TFTPRoot, "RINGLIST.DAT"))
	for i, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if strings.Count(l, "\t") != 1 || strings.Contains(l, "A Chirp1") {
			t.Errorf("RINGLIST.DAT line %d %q: not LABEL<TAB>FILE, or an entry of a file that is gone; file:\n%q", i+1, l, got)
		}
	}
}
