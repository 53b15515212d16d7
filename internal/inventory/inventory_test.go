package inventory

import (
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	ours := []raw{
		{mac: "001122AABBCC", model: "7960", source: Ours, lines: []rawLine{{2, "1002", ""}, {1, "1001", "Front"}}},
		{mac: "00:11:22:aa:bb:cc", model: "7960", source: Ours, lines: []rawLine{{1, "1001", ""}}},
		{mac: "00AABBCCDDEE", model: "7940", source: Ours, lines: []rawLine{{1, "1003", ""}}},
	}
	epm := []raw{
		{mac: "00aabbccddee", model: "7960", source: EndpointMan, lines: []rawLine{{1, "1004", ""}}},
		{mac: "0012345678AB", model: "7940", source: EndpointMan, lines: []rawLine{{1, "1005", ""}, {2, " ", ""}}},
	}
	inv := merge(ours, epm, nil)
	if len(inv.Phones) != 1 || inv.Phones[0].MAC != "00AABBCCDDEE" || inv.Phones[0].Source != Ours || inv.Phones[0].Lines[0].Ext != "1003" {
		t.Errorf("phones: %+v", inv.Phones)
	}
	if len(inv.Notes) != 1 || !strings.Contains(inv.Notes[0], "00AABBCCDDEE") {
		t.Errorf("notes: %v", inv.Notes)
	}
	var probs []string
	for _, p := range inv.Problems {
		probs = append(probs, p.Error())
	}
	got := strings.Join(probs, "\n")
	for _, want := range []string{"phone 00:11:22:aa:bb:cc [setup-cisco]: duplicate MAC", "phone 0012345678AB line 2 [endpointman]: no extension on this line"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if len(inv.Bad) != 2 || inv.Bad[0] != "001122AABBCC" || inv.Bad[1] != "0012345678AB" {
		t.Errorf("bad: %v", inv.Bad)
	}
}
