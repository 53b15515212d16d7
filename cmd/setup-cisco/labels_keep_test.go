package main

import (
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// Line labels belong to the line: phone set --lines keeps the label of a
// key that keeps its extension and moves a label with its extension;
// --line-labels' empty item clears that key's label, a missing trailing
// item keeps it, and a stored label repeated as it is is not checked again
// (nor is --label repeated as stored).
func TestPhoneSetLabelsFollowLines(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	mac := "00112233DD01"
	s.mustCLI("phone", "add", mac, "1601,1602", "--model", "7960", "--line-labels", "Front,Sales")
	labels := func() map[int]string {
		m := map[int]string{}
		rows, err := s.db.Query("SELECT line, label FROM setup_cisco_line WHERE mac = ?", mac)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n int
			var l string
			rows.Scan(&n, &l)
			m[n] = l
		}
		return m
	}
	s.mustCLI("phone", "set", mac, "--lines", "1602,1601")
	if got := labels(); got[1] != "Sales" || got[2] != "Front" {
		t.Errorf("swapped lines: labels %v, want 1 Sales, 2 Front", got)
	}
	s.mustCLI("phone", "set", mac, "--lines", "1602,1601", "--line-labels", "Desk")
	if got := labels(); got[1] != "Desk" || got[2] != "Front" {
		t.Errorf("--line-labels Desk: labels %v, want 1 Desk, 2 Front (no item: kept)", got)
	}
	s.mustCLI("phone", "set", mac, "--line-labels", ",Back")
	if got := labels(); got[1] != "" || got[2] != "Back" {
		t.Errorf("--line-labels ,Back: labels %v, want 1 cleared, 2 Back", got)
	}
	s.db.MustExec(t, "UPDATE setup_cisco_phone SET label = 'Reception desk' WHERE mac = '"+mac+"'")
	if code, out := s.cli("phone", "set", mac, "--label", "Reception desk", "--model", "7960"); code != 0 {
		t.Errorf("--label repeated as stored: exit %d %q", code, out)
	}
	if code, _ := s.cli("phone", "set", mac, "--line-labels", "Reception desk2,Back"); code == 0 {
		t.Errorf("a new over-long label was accepted")
	}
}
