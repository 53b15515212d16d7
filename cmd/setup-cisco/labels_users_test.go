package main

import (
	"os"
	"path/filepath"
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

// TestUserIsNotADevice: in Devices and Users mode the line must be a
// device; a user's number gets the user's SIP/PJSIP devices named, a user
// whose devices are all of another kind says so, and a user with no device
// (a virtual extension) says nothing can register as it; phone set --lines
// the same.
func TestUserIsNotADevice(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b12", "deviceanduser.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra)+`
INSERT INTO users (extension, name, voicemail) VALUES ('300', 'Virtual Vera', 'novm'), ('400', 'Iax Ida', 'novm');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES ('00000004', 'iax2', 'IAX2/00000004', 'fixed', '400', 'Ida softphone');
`, "")
	s.mustCLI("phone", "add", "00112233BB11", "00000002", "--model", "7940")
	for _, c := range []struct {
		args []string
		has  []string
	}{
		{[]string{"phone", "add", "00112233BB12", "1601,300", "--model", "7960"}, []string{"line 2: 300", "no device", "virtual extension"}},
		{[]string{"phone", "add", "00112233BB12", "400", "--model", "7960"}, []string{"line 1: 400", "00000004 (Ida softphone) IAX2"}},
		{[]string{"phone", "set", "00112233BB11", "--lines", "00000002,200"}, []string{"--lines", "line 2: 200", "00000001 (Ryan desk), 00000002 (Ryan lab)"}},
	} {
		code, out := s.cli(c.args...)
		for _, h := range c.has {
			if code == 0 || !strings.Contains(out, h) {
				t.Errorf("%v: exit %d, want a refusal with %q:\n%s", c.args, code, h, out)
			}
		}
	}
}
