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
	raw := make([]byte, 4000)
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
