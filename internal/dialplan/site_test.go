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
	notes := strings.Join(apply(t, &site, f), "\n")
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
	notes = strings.Join(apply(t, &site, f), "\n")
	if site.MessagesURI != "*98" || len(site.DialPlan) != 1 || site.DialPlan[0].Timeout != 7 ||
		!strings.Contains(notes, "settings file, line 2") || !strings.Contains(notes, "line 3 (dial_plan)") {
		t.Errorf("override lost: %q %v\n%s", site.MessagesURI, site.DialPlan, notes)
	}

	// No voicemail code: the default stays; a bad route keeps *:timeout.
	site = siteconf.Defaults()
	f.FeatureCodes = nil
	f.Routes[0].Patterns[0].Pass = "11[2"
	notes = strings.Join(apply(t, &site, f), "\n")
	if site.MessagesURI != "*97" || len(site.DialPlan) != 1 || site.DialPlan[0].Match != "*" || !strings.Contains(notes, `outbound route 1 "Emergency"`) {
		t.Errorf("fallback: %q %v\n%s", site.MessagesURI, site.DialPlan, notes)
	}
}

func apply(t *testing.T, site *siteconf.Site, f dialplan.FreePBX) []string {
	t.Helper()
	notes, err := dialplan.Apply(site, f)
	if err != nil {
		t.Fatal(err)
	}
	return notes
}

// A My Voicemail code that cannot be a cnf value (a quote, '#', ';', a
// space) was written into SIPDefault.cnf as messages_uri: "*97"x", exit 0.
// It is an error naming the feature code and both fixes; messages_uri in
// the settings file still wins over it.
func TestApplyRefusesBadMessagesCode(t *testing.T) {
	for _, code := range []string{`*97"x`, "#97;x", "*9 7"} {
		f := dialplan.FreePBX{HaveCodes: true,
			FeatureCodes: []freepbx.FeatureCode{{Module: "voicemail", Feature: "myvoicemail", Code: code, Custom: true}}}
		site := siteconf.Defaults()
		_, err := dialplan.Apply(&site, f)
		if err == nil || !strings.Contains(err.Error(), "voicemail/myvoicemail") || !strings.Contains(err.Error(), "messages_uri") {
			t.Errorf("code %q: %v, want an error naming the feature code and messages_uri", code, err)
		}
		site = siteconf.Defaults()
		if err := siteconf.Parse(&site, "site.conf", []byte("time_zone = GMT\nmessages_uri = *98\n")); err != nil {
			t.Fatal(err)
		}
		if _, err := dialplan.Apply(&site, f); err != nil || site.MessagesURI != "*98" {
			t.Errorf("code %q with messages_uri set: %v, %q", code, err, site.MessagesURI)
		}
	}
}
