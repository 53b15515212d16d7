package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The field case: an admin's RINGLIST.DAT naming .pcm ring files, and one
// .raw file in the root. The admin's entries for files that exist stay,
// the .raw file is added, an entry whose file is gone is named.
func TestRinglistAdminEntries(t *testing.T) {
	s := newCaseSite(t, "lab-phone-2113.sql")
	data, err := os.ReadFile("testdata/cases/RINGLIST-pcm.DAT")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(s.root, "RINGLIST.DAT"), data, 0o644)
	for _, f := range []string{"ringer1.pcm", "ringer2.pcm", "CTU.pcm", "Chirp.raw"} { // CTU24.pcm is not there
		os.WriteFile(filepath.Join(s.root, f), make([]byte, 2400), 0o644) // Chirp.raw: a playable ring (ringlist.Playable)
	}
	if code, out, errs := s.cli("phone", "add", "001122334455", "2113", "--model", "7960"); code != 0 {
		t.Fatalf("phone add: %d %s %s", code, out, errs)
	}
	code, stdout, stderr := s.cli("-v")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	want := "Old Style\tringer1.pcm\nSynth Low\tringer2.pcm\nctu\tCTU.pcm\nChirp\tChirp.raw\n"
	if got := s.file("RINGLIST.DAT"); got != want {
		t.Errorf("RINGLIST.DAT = %q, want %q", got, want)
	}
	for _, w := range []string{`RINGLIST.DAT: entry "ctu24" (CTU24.pcm) left out: CTU24.pcm is not in`, "kept 3 entr(ies)"} {
		if !strings.Contains(stdout+stderr, w) {
			t.Errorf("-v does not say %q:\n%s%s", w, stdout, stderr)
		}
	}
	if s.file("RINGLIST.DAT.before-setup-cisco") != string(data) {
		t.Error("the admin's original is not kept")
	}
	// Stable: a second run changes nothing.
	if _, stdout, _ := s.cli("-v"); !strings.Contains(stdout, " 0 file(s) changed") {
		t.Errorf("second run:\n%s", stdout)
	}
	// No .raw file and an admin's list of other files: left alone.
	os.Remove(filepath.Join(s.root, "Chirp.raw"))
	os.WriteFile(filepath.Join(s.root, "RINGLIST.DAT"), data, 0o644)
	s.cli()
	if s.file("RINGLIST.DAT") != string(data) {
		t.Error("an admin's RINGLIST.DAT without .raw files was rewritten")
	}
}
