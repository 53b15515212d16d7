package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB17RingFilesThePhoneCannotPlay: ring tones dropped into the TFTP root
// that no Cisco phone plays. Cisco's requirements for custom ring PCM files
// (Cisco IP Phone administration guides for CallManager, "PCM File
// Requirements for Custom Ring Types", e.g. 7961G/7941G OL-6966-01 p.6-3,
// 7906G/7911G OL-10008-01 p.6-3; usecallmanager.nz ring-list-xml): raw
// u-law, 8000 samples/s, 240 to 16080 samples (one byte each), a multiple
// of 240, and a FileName of at most 25 characters. Today every *.raw is
// listed in RINGLIST.DAT, exit 0, silent: an empty file (a failed copy), a
// 6-second ring (48,000 bytes, a .wav converted without trimming) and
// Grandfather-Clock-Chime-2.raw (29 characters) appear on every phone's
// Ring Type menu and fail when chosen. Right: each is named on stderr with
// the rule it breaks (and is not offered), while Chirp1.raw (4,800 bytes)
// stays listed.
func TestB17RingFilesThePhoneCannotPlay(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	s.mustCLI("phone", "add", "00112233AE01", "1601", "--model", "7960")
	ring := func(name string, n int) {
		b := make([]byte, n)
		for i := range b {
			b[i] = 0xFF // u-law silence
		}
		if err := os.WriteFile(filepath.Join(s.root, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ring("Chirp1.raw", 4800)
	ring("Empty.raw", 0)
	ring("Long-Ring.raw", 48000)
	ring("Grandfather-Clock-Chime-2.raw", 4800)
	code, out := s.run()
	list := s.file("RINGLIST.DAT")
	if !strings.Contains(list, "\tChirp1.raw\n") {
		t.Fatalf("setup: Chirp1.raw not listed (exit %d): %q\n%s", code, list, out)
	}
	for _, bad := range []string{"Empty.raw", "Long-Ring.raw", "Grandfather-Clock-Chime-2.raw"} {
		if !strings.Contains(out, bad) {
			t.Errorf("%s (no Cisco phone plays it) is offered in RINGLIST.DAT without a word (exit %d):\nRINGLIST.DAT:\n%s\noutput: %q", bad, code, list, out)
		}
	}
}
