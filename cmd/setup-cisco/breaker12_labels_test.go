package main

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB12LongLabelsPhoneSetAndLineLabels: a label longer than the 40
// characters setup-cisco's tables hold ("Reception desk - front lobby east
// side", 47). phone add --label takes it (INSERT IGNORE cuts it to 40; the
// phone shows 11 anyway). The same text through phone set --label, or phone
// add --line-labels, stops with the server's raw "Error 1406 (22001): Data
// too long for column 'label' at row 1" (exit 2) on a server in strict mode
// (MariaDB's default since 10.2.4, MySQL's since 5.7), and is cut silently
// on one that is not (MariaDB 5.5/10.1, as on older FreePBX distros). Right:
// one rule for every label option on every server: take it (cut, as add
// does) or refuse it naming the option and its limit, never a raw SQL
// error.
func TestB12LongLabelsPhoneSetAndLineLabels(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	long := "Reception desk - front lobby east side and more" // 47
	s.mustCLI("phone", "add", "00112233AA01", "1601", "--model", "7960", "--label", long)
	for _, args := range [][]string{
		{"phone", "set", "00112233AA01", "--label", long},
		{"phone", "add", "00112233AA02", "1601", "--model", "7960", "--line-labels", long},
		{"phone", "set", "00112233AA01", "--line-labels", long},
	} {
		code, out := s.cli(args...)
		if code == 0 {
			continue
		}
		if strings.Contains(out, "Error 1406") || !strings.Contains(out, "--") {
			t.Errorf("%v: exit %d with a raw SQL error (phone add --label takes the same text):\n%s", args, code, out)
		}
	}
}
