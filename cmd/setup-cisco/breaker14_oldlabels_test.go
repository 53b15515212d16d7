package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB14LineLabelsKeepsStoredLabel: README: "Labels stored before this
// rule stay as they are (the run cuts them) until you change them", and
// inventory.Set checks only the labels a change alters. But phone set
// --line-labels is positional: an empty item clears that key's label, so
// to label key 2 the admin must repeat key 1's stored label, and the CLI
// (checkLabels) then refuses that unchanged label ("Reception desk" is 14
// characters, more than 12). There is no way to give key 2 a label and keep
// key 1's: either exit 2, or key 1's label is lost.
func TestB14LineLabelsKeepsStoredLabel(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	s.mustCLI("phone", "add", "00112233CC01", "1601,1602", "--model", "7960")
	// A label stored by an earlier setup-cisco (before the label rule).
	s.db.MustExec(t, "UPDATE setup_cisco_line SET label = 'Reception desk' WHERE mac = '00112233CC01' AND line = 1")

	labels := func() (string, string) {
		var l1, l2 string
		s.db.QueryRow("SELECT label FROM setup_cisco_line WHERE mac = '00112233CC01' AND line = 1").Scan(&l1)
		s.db.QueryRow("SELECT label FROM setup_cisco_line WHERE mac = '00112233CC01' AND line = 2").Scan(&l2)
		return l1, l2
	}
	var tried []string
	for _, arg := range []string{"Reception desk,Sales", ",Sales"} {
		code, out := s.cli("phone", "set", "00112233CC01", "--line-labels", arg)
		l1, l2 := labels()
		if code == 0 && l1 == "Reception desk" && l2 == "Sales" {
			return // one way works
		}
		tried = append(tried, fmt.Sprintf("--line-labels %q: exit %d, key 1 %q, key 2 %q (%s)", arg, code, l1, l2, strings.TrimSpace(out)))
		s.db.MustExec(t, "UPDATE setup_cisco_line SET label = IF(line = 1, 'Reception desk', '') WHERE mac = '00112233CC01'")
	}
	t.Errorf("no phone set --line-labels gives key 2 a label and keeps key 1's stored one:\n%s", strings.Join(tried, "\n"))
}
