package dialplan_test

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dialplan"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

func TestApplyMessagesAndOverrides(t *testing.T) {
	f := dialplan.FreePBX{
		HaveRoutes: true, HaveCodes: true,
		Routes:       []freepbx.Route{{ID: 1, Name: "Emergency", Emergency: true, Patterns: []freepbx.RoutePattern{{Pass: "112"}}}},
		FeatureCodes: []freepbx.FeatureCode{{Module: "voicemail", Feature: "myvoicemail", Code: "*50", Custom: true}},
		Users:        []freepbx.User{{Extension: "201"}, {Extension: "202"}},
	}
	site := siteconf.Defaults()
	notes := strings.Join(dialplan.Apply(&site, f), "\n")
	if site.MessagesURI != "*50" || !strings.Contains(notes, "Messages key: *50 (FreePBX feature code voicemail/myvoicemail, custom code)") {
		t.Errorf("messages %q; notes:\n%s", site.MessagesURI, notes)
	}
	if len(site.DialPlan) != 4 || site.DialPlan[0] != (siteconf.DialRule{Match: "112", Timeout: 0}) {
		t.Errorf("dial plan %v", site.DialPlan)
	}

	// The settings file wins for both.
	site = siteconf.Defaults()
	if err := siteconf.Parse(&site, "site.conf", []byte("time_zone = GMT\nmessages_uri = *98\ndial_plan = *:7\n")); err != nil {
		t.Fatal(err)
	}
	notes = strings.Join(dialplan.Apply(&site, f), "\n")
	if site.MessagesURI != "*98" || len(site.DialPlan) != 1 || site.DialPlan[0].Timeout != 7 ||
		!strings.Contains(notes, "settings file, line 2") || !strings.Contains(notes, "line 3 (dial_plan)") {
		t.Errorf("override lost: %q %v\n%s", site.MessagesURI, site.DialPlan, notes)
	}

	// No voicemail code: the default stays; a bad route keeps *:timeout.
	site = siteconf.Defaults()
	f.FeatureCodes = nil
	f.Routes[0].Patterns[0].Pass = "11[2"
	notes = strings.Join(dialplan.Apply(&site, f), "\n")
	if site.MessagesURI != "*97" || len(site.DialPlan) != 1 || site.DialPlan[0].Match != "*" || !strings.Contains(notes, `outbound route 1 "Emergency"`) {
		t.Errorf("fallback: %q %v\n%s", site.MessagesURI, site.DialPlan, notes)
	}
}
