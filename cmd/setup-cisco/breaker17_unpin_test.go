package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB17PinDroppedSkipsStep: a phone whose SIP<MAC>.cnf told it to load
// P0S3-05-1-00 (a staged rollout: README's 'phone set MAC --image', here
// cleared again with --image ""; or a hand-made SIP<MAC>.cnf pin the first
// run replaces) is now given the site image P0S3-8-12-00 with no pin:
// 5.1 straight to 8.12, which Cisco forbids (CME-INST: 4.4 -> 5.3 -> 6.x ->
// 7.x; fact sheet §4). The run checks the site image against the old
// SIPDefault.cnf and a pin against the old SIP<MAC>.cnf, but never the
// image an unpinned phone now gets against the pin its old SIP<MAC>.cnf
// held: exit 0, no warning, and --strict (README: 'a skipped upgrade step'
// is an error) exits 0 too. Right: the run says phone MAC moves from
// P0S3-05-1-00 straight to P0S3-8-12-00 and skips a required step, and
// --strict exits 2 writing nothing.
func TestB17PinDroppedSkipsStep(t *testing.T) {
	check := func(t *testing.T, s *b12Site, mac string) {
		t.Helper()
		before := s.file("SIP" + mac + ".cnf")
		code, out := s.run("--strict")
		if code != 2 || !strings.Contains(out, "skips a required step") {
			t.Errorf("--strict: exit %d, want 2 naming the skipped step 5.1 -> 8.12 of phone %s: %q", code, mac, out)
		}
		if got := s.file("SIP" + mac + ".cnf"); got != before {
			t.Errorf("--strict wrote SIP%s.cnf:\n%s", mac, got)
		}
		code, out = s.run()
		if !strings.Contains(out, mac) || !strings.Contains(out, "skips a required step") {
			t.Errorf("run: exit %d, no warning that phone %s goes from P0S3-05-1-00 straight to P0S3-8-12-00: %q", code, mac, out)
		}
	}
	t.Run("pin cleared", func(t *testing.T) {
		s := b17FirmwareSite(t)
		mac := "00112233AB01"
		s.mustCLI("phone", "add", mac, "1601", "--model", "7960")
		s.mustCLI("phone", "set", mac, "--image", "P0S3-05-1-00")
		s.run()
		if f := s.file("SIP" + mac + ".cnf"); !strings.HasPrefix(f, `image_version: "P0S3-05-1-00"`) {
			t.Fatalf("setup: the pin was not written:\n%s", f)
		}
		s.mustCLI("phone", "set", mac, "--image", "")
		check(t, s, mac)
	})
	t.Run("hand-made pin replaced", func(t *testing.T) {
		s := b17FirmwareSite(t)
		mac := "00112233AB02"
		s.mustCLI("phone", "add", mac, "1601", "--model", "7960")
		os.WriteFile(filepath.Join(s.root, "SIPDefault.cnf"), []byte("image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\n"), 0o644)
		os.WriteFile(filepath.Join(s.root, "SIP"+mac+".cnf"), []byte("image_version: \"P0S3-05-1-00\"\nline1_name: \"1601\"\nline1_password: \"c16Secret01\"\n"), 0o644)
		check(t, s, mac)
	})
}

// b17FirmwareSite is a FreePBX 16 site whose TFTP root holds every file of
// P0S3-8-12-00 and P0S3-05-1-00 (README's files per release), readable by
// the TFTP daemon, so that --strict finds no other firmware problem.
func b17FirmwareSite(t *testing.T) *b12Site {
	t.Helper()
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "image_version = P0S3-8-12-00\n")
	for d := s.root; d != "/" && d != "."; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.Mode().Perm()&0o001 == 0 {
			os.Chmod(d, st.Mode().Perm()|0o005)
		}
	}
	img := make([]byte, 4096)
	for i := range img {
		img[i] = byte(i*7 + 3)
	}
	for _, f := range []string{"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn", "P0S3-05-1-00.bin", "P0S3-05-1-00.sbn"} {
		if err := os.WriteFile(filepath.Join(s.root, f), img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestB17RemovedPinnedPhoneJumps: README's staged rollout pins one phone
// to P0S3-05-1-00 on a site at P0S3-8-12-00; the phone is then removed
// ('phone remove', README: its SIP<MAC>.cnf is kept, reset, until 'phone
// forget'), still on a desk. The reset file has no image_version, so at
// its next boot the phone takes SIPDefault.cnf's P0S3-8-12-00: 5.1
// straight to 8.12, a step Cisco forbids (CME-INST), exit 0, silent, also
// with --strict. Right: the retired file keeps the phone on the load it was
// told (its pin), or the run names the skipped step as it does for pins.
func TestB17RemovedPinnedPhoneJumps(t *testing.T) {
	s := b17FirmwareSite(t)
	mac := "00112233AB03"
	s.mustCLI("phone", "add", mac, "1601", "--model", "7960")
	s.mustCLI("phone", "set", mac, "--image", "P0S3-05-1-00")
	s.run()
	if f := s.file("SIP" + mac + ".cnf"); !strings.HasPrefix(f, `image_version: "P0S3-05-1-00"`) {
		t.Fatalf("setup: the pin was not written:\n%s", f)
	}
	s.mustCLI("phone", "remove", mac)
	code, out := s.run("--strict")
	f := s.file("SIP" + mac + ".cnf")
	if !strings.Contains(f, `image_version: "P0S3-05-1-00"`) && (code != 2 || !strings.Contains(out, "skips a required step")) {
		t.Errorf("removed phone pinned to 5.1: exit %d, its reset SIP%s.cnf drops the pin (the phone goes 5.1 -> 8.12 at its next boot) and nothing is said: %q\n%s", code, mac, out, f)
	}
}
