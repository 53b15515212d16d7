package dialplan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dialplan"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/phoneemu"
)

// FuzzBuild: for any route patterns and extensions, Build either refuses a
// pattern or gives rules with which the phone's matcher never dials the
// start of a longer number the PBX accepts.
func FuzzBuild(f *testing.F) {
	f.Add("NXXNXXXXXX", "1NXXNXXXXXX", "011.", "2001 2002 2099", "*97")
	f.Add("0ZXXXXXXXXX", "00.", "999", "201 250 2500 300 3001", "*50")
	f.Add("0|0[1-9]X.", "0|110", "[2-9]XXX!", "31001 31050", "*78")
	f.Add("9|NXXXXXX", "9|1NXXNXXXXXX", "9|911", "100 101 1000", "*7")
	f.Fuzz(func(t *testing.T, a, b, c, exts, code string) {
		var routes []freepbx.Route
		for i, p := range []string{a, b, c} {
			pre, pass, ok := strings.Cut(p, "|")
			if !ok {
				pre, pass = "", p
			}
			if len(pre)+len(pass) > 20 || pre+pass == "" {
				continue
			}
			routes = append(routes, freepbx.Route{ID: i, Name: fmt.Sprint("r", i), Patterns: []freepbx.RoutePattern{{Prefix: pre, Pass: pass}}})
		}
		ext := strings.Fields(exts)
		if len(ext) > 20 {
			ext = ext[:20]
		}
		var codes []freepbx.FeatureCode
		if len(code) < 6 {
			codes = []freepbx.FeatureCode{{Module: "voicemail", Feature: "myvoicemail", Code: code}}
		}
		plan, err := dialplan.Build(dialplan.Input{Routes: routes, Extensions: ext, FeatureCodes: codes, Timeout: 5})
		if err != nil {
			return
		}
		var x strings.Builder
		x.WriteString("<DIALTEMPLATE>\n")
		for _, r := range plan.Rules {
			fmt.Fprintf(&x, "<TEMPLATE MATCH=%q Timeout=\"%d\"/>\n", r.Match, r.Timeout)
		}
		x.WriteString("</DIALTEMPLATE>\n")
		phone, err := phoneemu.ParseDialPlan([]byte(x.String()))
		if err != nil {
			t.Fatalf("%v\n%s", err, x.String())
		}
		for _, n := range dialplan.Samples(plan, 8) {
			if sent := phone.Dial(n); sent != "" && sent != n {
				t.Fatalf("%s dialled as %s with\n%s", n, sent, x.String())
			}
		}
	})
}
