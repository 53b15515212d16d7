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
//
// The rule chosen is to refuse (fix round 6): the phone shows at most 11
// characters of phone_label and 12 of lineN_shortname (cnftext, Cisco fact
// sheet §2), so a 47-character label cannot take effect, and add must not
// take what set refuses. So add --label is refused too, and nothing is
// stored by any of the four.
func TestB12LongLabelsPhoneSetAndLineLabels(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	long := "Reception desk - front lobby east side and more" // 47
	s.mustCLI("phone", "add", "00112233AA01", "1601", "--model", "7960", "--label", "Lobby", "--line-labels", "Front")
	for _, c := range []struct {
		flag string
		args []string
	}{
		{"--label", []string{"phone", "add", "00112233AA02", "1601", "--model", "7960", "--label", long}},
		{"--label", []string{"phone", "set", "00112233AA01", "--label", long}},
		{"--line-labels", []string{"phone", "add", "00112233AA03", "1601", "--model", "7960", "--line-labels", long}},
		{"--line-labels", []string{"phone", "set", "00112233AA01", "--line-labels", long}},
	} {
		code, out := s.cli(c.args...)
		if code == 0 || strings.Contains(out, "Error 1406") || !strings.Contains(out, c.flag) || !strings.Contains(out, "47 characters") {
			t.Errorf("%v: exit %d; want a refusal naming %s and the label's length:\n%s", c.args, code, c.flag, out)
		}
	}
	var n int
	var label, line string
	if err := s.db.QueryRow("SELECT COUNT(*), MAX(p.label), MAX(l.label) FROM setup_cisco_phone p JOIN setup_cisco_line l ON l.mac = p.mac").Scan(&n, &label, &line); err != nil || n != 1 || label != "Lobby" || line != "Front" {
		t.Errorf("stored: %d phone(s), label %q, line label %q, %v; want only the first phone, Lobby, Front", n, label, line, err)
	}
}
