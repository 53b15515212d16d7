package inventory

import (
	"strings"
	"testing"
)

func lines(exts ...string) []Line {
	var out []Line
	for i, e := range exts {
		if e != "" {
			out = append(out, Line{N: i + 1, Ext: e})
		}
	}
	return out
}

// Entries as the Endpoint Manager allows them: a 7940 may carry 4 lines
// there, the phone has 2 keys: lines 3-4 are dropped and named, the phone
// stays good while a line remains.
func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name    string
		p       Phone
		kept    string // line numbers kept
		probs   []string
		fatal   bool
		dropped int
	}{
		{"field case: 7940 with 3 lines", Phone{Model: "7940", Lines: lines("2001", "1003", "1004")}, "1,2",
			[]string{"line 3 is beyond the 7940's 2 lines (the Endpoint Manager allows 4"}, false, 1},
		{"7940 with 4 lines", Phone{Model: "7940", Lines: lines("1", "2", "3", "4")}, "1,2", []string{"line 3", "line 4"}, false, 2},
		{"7940 line 5: beyond what the EPM allows", Phone{Model: "7940", Lines: lines("1", "", "", "", "5")}, "1",
			[]string{"line 5 is beyond the 7940's 2 lines"}, true, 0},
		{"7940 only line 3: nothing left to write", Phone{Model: "7940", Lines: lines("", "", "3")}, "",
			[]string{"line 3 is beyond the 7940's 2 lines"}, true, 0},
		{"7960 line 7", Phone{Model: "7960", Lines: lines("1", "", "", "", "", "", "7")}, "1", []string{"line 7 is beyond the 7960's 6 lines"}, true, 0},
		{"7960 six lines", Phone{Model: "7960", Lines: lines("1", "2", "3", "4", "5", "6")}, "1,2,3,4,5,6", nil, false, 0},
		{"duplicate line", Phone{Model: "7960", Lines: []Line{{N: 1, Ext: "1"}, {N: 1, Ext: "2"}}}, "1", []string{"duplicate line 1"}, true, 0},
		{"blank extension", Phone{Model: "7960", Lines: []Line{{N: 1, Ext: " "}}}, "", []string{"no extension on this line"}, true, 0},
		{"no lines", Phone{Model: "7940"}, "", []string{"no lines"}, true, 0},
		{"unknown model", Phone{Model: "7970", Lines: lines("1")}, "", []string{`unknown model "7970"`}, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.p.MAC, c.p.Source = "001122334416", EndpointMan
			got, probs := Validate(c.p)
			var kept []string
			for _, l := range got.Lines {
				kept = append(kept, strings.TrimSpace(string(rune('0'+l.N))))
			}
			if strings.Join(kept, ",") != c.kept {
				t.Errorf("kept lines %v, want %s", kept, c.kept)
			}
			var all []string
			dropped := 0
			for _, p := range probs {
				all = append(all, p.Error())
				if p.Dropped {
					dropped++
				}
			}
			joined := strings.Join(all, "\n")
			for _, w := range c.probs {
				if !strings.Contains(joined, w) {
					t.Errorf("problems %q lack %q", joined, w)
				}
			}
			if c.probs == nil && len(probs) > 0 {
				t.Errorf("unexpected problems %q", joined)
			}
			if Fatal(probs) != c.fatal || dropped != c.dropped {
				t.Errorf("fatal %v dropped %d, want %v %d: %q", Fatal(probs), dropped, c.fatal, c.dropped, joined)
			}
		})
	}
}
