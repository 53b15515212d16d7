package main

import (
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB14SetLinesKeepsLineLabels: README's own example (section "phone"):
//
//	setup-cisco phone add 00:1b:d4:12:34:56 201,202 --model 7960 --label Reception --line-labels Front,Sales
//	setup-cisco phone set 001BD4123456 --lines 201,,205        # key 2 blank
//
// The second command only changes which lines sit on keys 2 and 3; key 1
// keeps extension 201. phone set --lines without --line-labels drops every
// stored line label (lineList is given "" for the labels): key 1's "Front"
// is gone, exit 0, nothing said. An admin who adds a third line to a phone
// loses the labels of the first two (the line-labels rule of d185faa checks labels only as given). Expected: a line key that keeps its
// extension keeps its label (or the command says the labels are cleared).
func TestB14SetLinesKeepsLineLabels(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	s.mustCLI("phone", "add", "00:1b:d4:12:34:56", "1601,1602", "--model", "7960", "--label", "Reception", "--line-labels", "Front,Sales")
	out := s.mustCLI("phone", "set", "001BD4123456", "--lines", "1601,,1602")
	var label string
	if err := s.db.QueryRow("SELECT label FROM setup_cisco_line WHERE mac = '001BD4123456' AND line = 1").Scan(&label); err != nil {
		t.Fatal(err)
	}
	if label != "Front" {
		t.Errorf("phone set --lines 1601,,1602 (key 1 still 1601): key 1's label is %q, was \"Front\"; output: %q", label, out)
	}
}
