package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestB17SharedPinSkipsStep: a site on P0S3-04-4-00 (the how-to's 4.4
// step), and the admin pins phones to P0S3-8-12-00 with 'phone set MAC
// --image' (README: staged rollout): 4.4 straight to 8.12 skips 5.x, 6.x
// and 7.x (CME-INST; fact sheet §4). With one phone pinned the run warns
// 'skips a required step' (and --strict refuses); with the same pin on two
// phones the check is skipped (firmwareWarnings compares a pin with the
// phone's old file only when one phone has it): exit 0, silent, and
// --strict writes both files. Right: each phone's move is checked, whatever
// other phones share the pin.
func TestB17SharedPinSkipsStep(t *testing.T) {
	s := b17FirmwareSite(t)
	// The site as it stands: 4.4, with its files in the root.
	os.WriteFile(s.conf, []byte("proxy_address = 192.0.2.10\nimage_version = P0S3-04-4-00\n"), 0o644)
	os.WriteFile(filepath.Join(s.root, "P0S3-04-4-00.bin"), make([]byte, 4096), 0o644)
	a, b := "00112233AF01", "00112233AF02"
	s.mustCLI("phone", "add", a, "1601", "--model", "7960")
	s.mustCLI("phone", "add", b, "1602", "--model", "7960")
	if code, out := s.run(); code != 0 {
		t.Fatalf("setup run on 4.4: exit %d: %s", code, out)
	}
	// One phone pinned: said, as it should be.
	s.mustCLI("phone", "set", a, "--image", "P0S3-8-12-00")
	code, out := s.run("-n")
	if !strings.Contains(out, "skips a required step") {
		t.Fatalf("setup: one phone pinned 4.4 -> 8.12 is not named either (exit %d): %q", code, out)
	}
	// The second phone pinned the same way: the same move, now silent.
	s.mustCLI("phone", "set", b, "--image", "P0S3-8-12-00")
	code, out = s.run("--strict")
	if code != 2 || !strings.Contains(out, "skips a required step") {
		t.Errorf("two phones pinned from 4.4 straight to 8.12: --strict exit %d, want 2 naming the skipped step: %q", code, out)
	}
	if f := s.file("SIP" + b + ".cnf"); strings.Contains(f, "P0S3-8-12-00") {
		t.Errorf("--strict wrote the pin into SIP%s.cnf:\n%s", b, f)
	}
}
