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
	added := s.mustCLI("phone", "add", "00112233AA09", "1608", "--model", "7940")
	code, out := s.run()
	if !strings.Contains(out, "SIP/1608") && !strings.Contains(added, "SIP/1608") {
		t.Errorf("exit %d: PJSIP extension 1608 dials SIP/1608 (chan_sip), so calls never reach the phone; nothing names it:\nphone add: %q\nrun: %q", code, added, out)
	}
}
