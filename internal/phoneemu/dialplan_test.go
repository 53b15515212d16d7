package phoneemu

import "testing"

// The matcher follows the admin guide's rules: longest match by
// non-wildcard characters, a complete rule only beats incomplete ones with
// more of them, '\*' literal, '.' and '*' match a dialled star.
func TestDialPlanMatcher(t *testing.T) {
	p, err := ParseDialPlan([]byte(`<DIALTEMPLATE>
  <TEMPLATE MATCH="911" Timeout="0"/>
  <TEMPLATE MATCH="9......." Timeout="0"/>
  <TEMPLATE MATCH="1..." Timeout="0"/>
  <TEMPLATE MATCH="1.........." Timeout="0"/>
  <TEMPLATE MATCH="\*97" Timeout="0"/>
  <TEMPLATE MATCH="0*" Timeout="4"/>
  <TEMPLATE MATCH="*" Timeout="5"/>
</DIALTEMPLATE>`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ number, sent string }{
		{"911", "911"},           // 3 literals beat 9....... (1)
		{"95551234", "95551234"}, // complete
		{"1234", ""},             // 1... ties with the incomplete 1.......... : waits
		{"12125551234", "12125551234"},
		{"*97", "*97"},
		{"*98", ""},
		{"0044123", ""}, // 0* complete but with a timeout
		{"5", ""},
	} {
		if got := p.Dial(c.number); got != c.sent {
			t.Errorf("%s: sent %q, want %q", c.number, got, c.sent)
		}
	}
	if d := p.Decide("0044"); d.Now || p.Rules[d.Rule].Match != "0*" || d.Timeout != 4 {
		t.Errorf("0044: %+v", d)
	}
	if _, err := ParseDialPlan([]byte(`<DIALTEMPLATE><TEMPLATE MATCH="1" Timeout="x"/></DIALTEMPLATE>`)); err == nil {
		t.Error("bad Timeout accepted")
	}
}
