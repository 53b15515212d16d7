package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB12DeviceAndUserModeNamesTheDevices: in FreePBX's deviceanduser mode
// an admin knows people by their user number (200) and the phone must be
// given one of that user's devices (00000001). phone add MAC 200 today says
// "line 1: extension 200 is not a SIP or PJSIP extension in FreePBX",
// though FreePBX lists 200 with two SIP devices: the admin is left to guess.
// Right: the error says 200 is a FreePBX user whose SIP devices are
// 00000001 and 00000002, and to give a device.
func TestB12DeviceAndUserModeNamesTheDevices(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b12", "deviceanduser.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra), "")
	code, out := s.cli("phone", "add", "00112233AA07", "200", "--model", "7960")
	if code == 0 {
		t.Fatalf("phone add with user 200 (no device 200) accepted: %s", out)
	}
	if !strings.Contains(out, "00000001") || !strings.Contains(out, "00000002") {
		t.Errorf("exit %d; the error does not name user 200's devices 00000001 and 00000002:\n%s", code, out)
	}
	// The device itself is what works.
	s.mustCLI("phone", "add", "00112233AA07", "00000001", "--model", "7960")
	if c, o := s.run(); c != 0 || !strings.Contains(s.file("SIP00112233AA07.cnf"), `line1_name: "00000001"`) {
		t.Errorf("device 00000001: exit %d %s\n%s", c, o, s.file("SIP00112233AA07.cnf"))
	}
}
