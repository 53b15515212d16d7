package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB12SipdriverDisagreesWithTech: devices.tech says one driver, the
// device's sip 'sipdriver' row the other (testdata/b12/sipdriver-mismatch.sql
// says how Bulk Handler leaves that and what FreePBX then generates).
// FreePBX makes 1604 a chan_sip peer (port 5160) and no PJSIP endpoint, and
// makes 1605 nothing at all. Today setup-cisco goes by devices.tech alone:
// 1604 is sent to chan_pjsip's 5060, where no endpoint 1604 exists, and
// 1605 to chan_sip's 5160, where no peer 1605 exists; exit 0, silent.
// Right: 1604 gets the driver FreePBX configures it for (5160) or is a bad
// row naming the mismatch; 1605 is a bad row (exit 1) naming it.
//
// phone add refuses such a line as it refuses any line FreePBX cannot
// serve (one rule, internal/phonecheck); the phones here were added while
// the rows agreed, and the import changed them afterwards.
func TestB12SipdriverDisagreesWithTech(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b12", "sipdriver-mismatch.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra), "")
	if code, out := s.cli("phone", "add", "00112233AA04", "1604", "--model", "7940"); code == 0 || !strings.Contains(out, "sipdriver") {
		t.Errorf("phone add of 1604 (tech pjsip, sipdriver chan_sip): exit %d, want a refusal naming sipdriver: %q", code, out)
	}
	setDriver := func(id, driver string) {
		s.db.MustExec(t, "UPDATE sip SET data = ? WHERE id = ? AND keyword = 'sipdriver'", driver, id)
	}
	setDriver("1604", "chan_pjsip")
	setDriver("1605", "chan_sip")
	s.mustCLI("phone", "add", "00112233AA04", "1604", "--model", "7940")
	s.mustCLI("phone", "add", "00112233AA05", "1605", "--model", "7940")
	setDriver("1604", "chan_sip")
	setDriver("1605", "chan_pjsip")
	if code, out := s.cli("phone", "list"); code != 1 || !strings.Contains(out, "sipdriver") {
		t.Errorf("phone list: exit %d, want 1 naming sipdriver: %q", code, out)
	}
	code, out := s.run()
	for _, ext := range []string{"1604", "1605"} {
		if !regexp.MustCompile(`extension ` + ext + `\).*sipdriver`).MatchString(out) {
			t.Errorf("run: no line names extension %s and its sipdriver: %q", ext, out)
		}
	}
	cnf4 := s.file("SIP00112233AA04.cnf")
	cnf5 := s.file("SIP00112233AA05.cnf")
	if regexp.MustCompile(`(?m)^proxy1_port: "5060"$`).MatchString(cnf4) {
		t.Errorf("exit %d: 1604 (FreePBX generates it as a chan_sip peer: sipdriver chan_sip) sent to chan_pjsip's port 5060:\n%s\noutput %q", code, cnf4, out)
	}
	if strings.Contains(cnf5, `line1_name: "1605"`) {
		t.Errorf("exit %d: 1605 written (proxy1_port %s) though FreePBX generates it for neither driver (tech sip, sipdriver chan_pjsip); output %q",
			code, regexp.MustCompile(`(?m)^proxy1_port: "(\d+)"$`).FindStringSubmatch(cnf5)[1], out)
	}
	if code == 0 {
		t.Errorf("exit 0; output %q", out)
	}
}
