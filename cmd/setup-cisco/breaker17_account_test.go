package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB17NoAccountRow: extensions whose sip rows lost their 'account' row
// (testdata/b17/no-account.sql says why FreePBX then generates no chan_sip
// peer and no PJSIP endpoint named after them). The phones are added while
// the rows are whole; once the 'account' rows are gone, the run still
// writes both lines, exit 0, silent: phones whose lines can never register.
// Right, as for a driver Asterisk does not load or a dial string that does
// not ring the device: a bad row naming the missing 'account' row.
func TestB17NoAccountRow(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b17", "no-account.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra), "")
	s.mustCLI("phone", "add", "00112233B021", "1721", "--model", "7940")
	s.mustCLI("phone", "add", "00112233B022", "1722", "--model", "7940")
	s.db.MustExec(t, "DELETE FROM sip WHERE id IN ('1721', '1722') AND keyword = 'account'")
	code, out := s.run()
	if code != 1 || !strings.Contains(out, "1721") || !strings.Contains(out, "1722") || !strings.Contains(out, "account") {
		t.Errorf("run: exit %d, want 1 naming extensions 1721 and 1722 and their missing 'account' row (FreePBX generates no peer/endpoint for them): %q", code, out)
	}
}
