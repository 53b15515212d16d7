package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB12DialStringNamesOtherDriver: a PJSIP device whose devices.dial is
// "SIP/1608" (testdata/b12/dial-other-driver.sql says where that comes from
// and why calls to it never reach the phone). Today the run writes the line
// for chan_pjsip, exit 0, silent: the phone shows the line registered and
// never rings. Right: the run (and phone add, doctor) name the dial string
// that does not match the device's technology, so the admin fixes it in
// FreePBX.
func TestB12DialStringNamesOtherDriver(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b12", "dial-other-driver.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra), "")
	// phone add refuses the line (one rule for every command:
	// internal/phonecheck); the phone added while the dial string was
	// right, then changed, is a bad row of the run, exit 1.
	if code, added := s.cli("phone", "add", "00112233AA09", "1608", "--model", "7940"); code == 0 || !strings.Contains(added, "SIP/1608") {
		t.Errorf("phone add: exit %d, want a refusal naming SIP/1608: %q", code, added)
	}
	s.db.MustExec(t, "UPDATE devices SET dial = 'PJSIP/1608' WHERE id = '1608'")
	s.mustCLI("phone", "add", "00112233AA09", "1608", "--model", "7940")
	s.db.MustExec(t, "UPDATE devices SET dial = 'SIP/1608' WHERE id = '1608'")
	code, out := s.run()
	if code != 1 || !strings.Contains(out, "SIP/1608") {
		t.Errorf("exit %d: PJSIP extension 1608 dials SIP/1608 (chan_sip), so calls never reach the phone; want exit 1 naming it: %q", code, out)
	}
	// Another member of the class: a dial string with the right driver
	// and another device's number rings that device.
	s.db.MustExec(t, "UPDATE devices SET dial = 'PJSIP/1602' WHERE id = '1608'")
	if code, out := s.run(); code != 1 || !strings.Contains(out, "PJSIP/1602") {
		t.Errorf("dial PJSIP/1602 on device 1608: exit %d, want 1 naming it: %q", code, out)
	}
	// A custom dial string naming no SIP channel is the admin's.
	s.db.MustExec(t, "UPDATE devices SET dial = 'Local/1608@from-internal' WHERE id = '1608'")
	if code, out := s.run(); code != 0 {
		t.Errorf("custom dial Local/1608@from-internal: exit %d: %q", code, out)
	}
}
