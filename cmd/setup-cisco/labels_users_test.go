package main

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestLabelRuleEverywhere: the one label rule (what the phone shows:
// phone_label 11, lineN_shortname 12, after transliteration) at its edges,
// for add and set alike; a label for a key without a line is refused, not
// lost.
func TestLabelRuleEverywhere(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	s.mustCLI("phone", "add", "00112233BB01", "1601,1602", "--model", "7960", "--label", "Empfang Süd", "--line-labels", "Front desk 1,Back office")
	for _, c := range []struct {
		args []string
		has  string
	}{
		{[]string{"phone", "add", "00112233BB02", "1601", "--model", "7960", "--label", "Lobby 123456x"}, "--label"},
		{[]string{"phone", "set", "00112233BB01", "--label", "Lobby 1234567"}, "--label"},
		{[]string{"phone", "set", "00112233BB01", "--line-labels", "Front desk 12"}, "--line-labels: label 1"},
		{[]string{"phone", "set", "00112233BB01", "--lines", "1601,1602", "--line-labels", "A,Back office 2"}, "--line-labels: label 2"},
		{[]string{"phone", "add", "00112233BB03", "1601,,1602", "--model", "7960", "--line-labels", "A,B,C"}, "line key 2, which has no line"},
		{[]string{"phone", "set", "00112233BB01", "--line-labels", "A,B,C"}, "line key 3, which has no line"},
		{[]string{"phone", "set", "00112233BB01", "--label", `"#;`}, "nothing the phone can show"},
	} {
		code, out := s.cli(c.args...)
		if code == 0 || !strings.Contains(out, c.has) {
			t.Errorf("%v: exit %d, want a refusal with %q:\n%s", c.args, code, c.has, out)
		}
	}
	var label, lines string
	s.db.QueryRow("SELECT p.label, GROUP_CONCAT(l.label ORDER BY l.line) FROM setup_cisco_phone p JOIN setup_cisco_line l ON l.mac = p.mac GROUP BY p.mac").Scan(&label, &lines)
	if label != "Empfang Süd" || lines != "Front desk 1,Back office" {
		t.Errorf("stored label %q, line labels %q: a refused set changed them", label, lines)
	}
}
