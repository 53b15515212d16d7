package dialplan_test

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"testing"
	"text/template"

	"github.com/setup-cisco/setup-cisco/internal/dialplan"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/phoneemu"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
	"github.com/setup-cisco/setup-cisco/templates"
)

// call is one number a user types, the route (or extension, feature code)
// it belongs to, and whether the phone should dial it at once.
type call struct {
	number, route string
	now           bool
}

var sites = []struct {
	name  string
	calls []call
}{
	{"us", []call{
		{"911", "Emergency 911", true},
		{"9911", "Emergency 9|911", true},
		{"411", "Services N11 (also 411-555-1234 by Local)", false},
		{"611", "Services N11 (also 611-555-1234 by Local)", false},
		{"2125551234", "Local NXXNXXXXXX", true},
		{"6175551234", "Local NXXNXXXXXX", true},
		{"6665551234", "Local NXXNXXXXXX (666 is a feature code)", false},
		{"12125551234", "LongDistance 1NXXNXXXXXX", true},
		{"18005551212", "LongDistance 1NXXNXXXXXX", true},
		{"011441632960000", "International 011.", false},
		{"2001", "extension 2001", true},
		{"2010", "extension 2010", true},
		{"2002", "extension 2002 (also 200-2xx-xxxx)", false},
		{"2099", "extension 2099 (also 209-9xx-xxxx)", false},
		{"*97", "feature voicemail/myvoicemail", true},
		{"*78", "feature donotdisturb/dnd_on", true},
		{"*70", "feature callwaiting/cwon", true},
		{"*98", "feature voicemail/dialvoicemail (+ mailbox)", false},
		{"*72", "feature callforward/cfon (+ number)", false},
		{"**2001", "feature core/pickup + 2001", false},
		{"*2001", "feature directdialvoicemail + 2001", false},
		{"7777", "feature core/simu_pstn (also 777-7xx-xxxx)", false},
	}},
	{"uk", []call{
		{"999", "Emergency 999", true},
		{"112", "Emergency 112", true},
		{"111", "Services 111", true},
		{"101", "Services 101", true},
		{"118118", "Services 118XXX", true},
		{"02079460000", "National 0ZXXXXXXXXX", true},
		{"07700900123", "National 0ZXXXXXXXXX", true},
		{"08001234567", "National 0ZXXXXXXXXX", true},
		{"0800123456", "National 0800XXXXXX (also 0ZXXXXXXXXX)", false},
		{"0033142685300", "International 00.", false},
		{"201", "extension 201", true},
		{"250", "extension 250 (also queue 2500)", false},
		{"2500", "queue 2500", true},
		{"300", "ring group 300 (also 3001-3005)", false},
		{"3001", "extension 3001", true},
		{"3005", "extension 3005", true},
		{"*50", "feature voicemail/myvoicemail (custom code)", true},
		{"*97", "not a code here (custom *50)", false},
		{"*78", "feature donotdisturb/dnd_on", true},
	}},
	{"de", []call{
		{"110", "Notruf 110", true},
		{"112", "Notruf 112", true},
		{"0110", "Notruf 0|110", true},
		{"0112", "Notruf 0|112", true},
		{"0030123456", "Amt 0|0[1-9]X.", false},
		{"000331426853", "Amt 0|00[1-9].", false},
		{"05551234", "Amt 0|[2-9]XXX.", false},
		{"31001", "extension 31001", true},
		{"31050", "extension 31050", true},
		{"*97", "feature voicemail/myvoicemail", true},
	}},
}

//go:embed testdata/featurecodes.sql
var featureSeed string

// TestDialPlanTable builds each site's dial plan from a real MariaDB,
// renders dialplan.xml with the built-in template and types every number
// into the phone emulator's dial-plan matcher.
func TestDialPlanTable(t *testing.T) {
	var table strings.Builder
	fmt.Fprintf(&table, "%-5s %-16s %-45s %-8s %s\n", "site", "number", "route", "expected", "got")
	for _, site := range sites {
		t.Run(site.name, func(t *testing.T) {
			plan := build(t, site.name)
			xml := renderPlan(t, plan)
			phone, err := phoneemu.ParseDialPlan(xml)
			if err != nil {
				t.Fatalf("%v\n%s", err, xml)
			}
			for _, c := range site.calls {
				sent := phone.Dial(c.number)
				got := "wait"
				switch {
				case sent == c.number:
					got = "dial now"
				case sent != "":
					got = "TOO EARLY: dials " + sent
				}
				want := "wait"
				if c.now {
					want = "dial now"
				}
				fmt.Fprintf(&table, "%-5s %-16s %-45s %-8s %s\n", site.name, c.number, c.route, want, got)
				if got != want {
					t.Errorf("%s (%s): want %s, got %s", c.number, c.route, want, got)
				}
				// Never too early: no proper start of a number dials.
				if sent != "" && sent != c.number {
					t.Errorf("%s dialled as %s", c.number, sent)
				}
			}
			if t.Failed() || os.Getenv("DIALPLAN_SHOW") != "" {
				t.Logf("dialplan.xml:\n%s", xml)
				for _, r := range plan.Rules {
					t.Logf("%-14s %d  %s: %s", r.Match, r.Timeout, r.Source, r.Why)
				}
			}
		})
	}
	t.Logf("\n%s", table.String())
	if out := os.Getenv("DIALPLAN_TABLE"); out != "" {
		os.WriteFile(out, []byte(table.String()), 0o644)
	}
}

func build(t *testing.T, site string) dialplan.Plan {
	t.Helper()
	db := testdb.New(t)
	db.MustExec(t, featureSeed)
	sql, err := os.ReadFile("testdata/" + site + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	db.MustExec(t, string(sql))
	ctx := context.Background()
	have, err := freepbx.Tables(ctx, db.DB, append([]string{"users"}, dialplan.Tables...)...)
	if err != nil {
		t.Fatal(err)
	}
	var users []freepbx.User
	if have["users"] {
		if users, err = freepbx.ReadUsers(ctx, db.DB); err != nil {
			t.Fatal(err)
		}
	}
	f, err := dialplan.Read(ctx, db.DB, have, users)
	if err != nil || !f.HaveRoutes || !f.HaveCodes {
		t.Fatalf("read: %+v %v", f, err)
	}
	plan, err := dialplan.Build(f.Input(5))
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// renderPlan renders the built-in dialplan.xml template with the rules.
func renderPlan(t *testing.T, plan dialplan.Plan) []byte {
	t.Helper()
	body, err := templates.FS.ReadFile("dialplan.xml.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template.Must(template.New("dialplan").Option("missingkey=error").Parse(string(body)))
	site := siteconf.Defaults()
	site.DialPlan = plan.SiteRules()
	var b bytes.Buffer
	if err := tmpl.Execute(&b, struct{ Site siteconf.Site }{site}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestNeverTooEarly types numbers drawn from every route pattern,
// extension and feature code of each site and checks that the phone never
// sends a shorter start of any of them.
func TestNeverTooEarly(t *testing.T) {
	for _, site := range sites {
		t.Run(site.name, func(t *testing.T) {
			plan := build(t, site.name)
			phone, err := phoneemu.ParseDialPlan(renderPlan(t, plan))
			if err != nil {
				t.Fatal(err)
			}
			nums := dialplan.Samples(plan, 40)
			if len(nums) < 100 {
				t.Fatalf("only %d sample numbers", len(nums))
			}
			for _, n := range nums {
				if sent := phone.Dial(n); sent != "" && sent != n && !emergency[site.name][sent] {
					t.Errorf("%s: the phone dials %s too early", n, sent)
				}
			}
			t.Logf("%d numbers, %d rules", len(nums), len(plan.Rules))
		})
	}
}

// emergency numbers dial at once even where a route pattern continues
// them (911 against NXXNXXXXXX): by design, see package doc.
var emergency = map[string]map[string]bool{
	"us": {"911": true, "9911": true},
	"uk": {"999": true, "112": true},
	"de": {"110": true, "112": true, "0110": true, "0112": true},
}

func TestEmergencyBeforeLocal(t *testing.T) {
	plan := build(t, "us")
	phone, err := phoneemu.ParseDialPlan(renderPlan(t, plan))
	if err != nil {
		t.Fatal(err)
	}
	if sent := phone.Dial("9115551234"); sent != "911" {
		t.Errorf("911 followed by more digits: sent %q, want the emergency call 911", sent)
	}
	var why string
	for _, r := range plan.Rules {
		if r.Match == "911" {
			why = r.Why
		}
	}
	if !strings.Contains(why, "emergency") || !strings.Contains(why, "NXXNXXXXXX") {
		t.Errorf("911 rule says %q", why)
	}
}

func TestUnreadablePattern(t *testing.T) {
	_, err := dialplan.Build(dialplan.Input{Routes: []freepbx.Route{{ID: 3, Name: "Bad", Patterns: []freepbx.RoutePattern{{Pass: "9[12"}}}}})
	if err == nil || !strings.Contains(err.Error(), `outbound route 3 "Bad"`) {
		t.Fatalf("err = %v", err)
	}
}

// When splitting a pattern would take too many rules, -v's reason still
// reads as a sentence naming the other pattern (it was "could be the start
// of would need more than 64 rules to tell it apart from 9NXXNXXXXXX").
func TestTooManyPiecesReason(t *testing.T) {
	plan, err := dialplan.Build(dialplan.Input{Timeout: 5, Routes: []freepbx.Route{
		{ID: 1, Name: "Local", Patterns: []freepbx.RoutePattern{{Pass: "NXXNXXXXXX"}, {Prefix: "9", Pass: "NXXNXXXXXX"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range plan.Rules {
		if r.Match == ".........." {
			found = true
			if want := "waits: could be the start of 9NXXNXXXXXX (telling them apart would need more than 64 rules)"; r.Why != want {
				t.Errorf("why %q, want %q", r.Why, want)
			}
		}
	}
	if !found {
		t.Errorf("no rule ..........: %+v", plan.Rules)
	}
}
