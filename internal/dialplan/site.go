package dialplan

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// Tables are the FreePBX tables Read looks for.
var Tables = append(append([]string{"featurecodes"}, freepbx.RouteTables...), freepbx.NumberTables...)

// FreePBX is what the phone's dialling takes from FreePBX.
type FreePBX struct {
	Routes       []freepbx.Route
	HaveRoutes   bool // the route tables exist
	FeatureCodes []freepbx.FeatureCode
	HaveCodes    bool // the featurecodes table exists
	Users        []freepbx.User
	Numbers      []freepbx.Number // ring groups, queues, conferences
}

// Read loads the outbound routes and the enabled feature codes; users are
// FreePBX's users as freepbx.Read already read them (Data.Users), not read
// again. have says which tables exist (freepbx.Tables).
func Read(ctx context.Context, db *sql.DB, have map[string]bool, users []freepbx.User) (FreePBX, error) {
	f := FreePBX{Users: users}
	var err error
	if f.Routes, f.HaveRoutes, err = freepbx.ReadRoutes(ctx, db, have); err != nil {
		return f, err
	}
	f.HaveCodes = have["featurecodes"]
	if f.FeatureCodes, err = freepbx.ReadFeatureCodes(ctx, db, have); err != nil {
		return f, err
	}
	if f.Numbers, err = freepbx.ReadNumbers(ctx, db, have); err != nil {
		return f, err
	}
	return f, nil
}

// Input is what Build needs from f, waiting timeout seconds for numbers
// that may go on. Ring groups, queues and conferences are dialled like
// extensions, so they count as extensions.
func (f FreePBX) Input(timeout int) Input {
	in := Input{Routes: f.Routes, FeatureCodes: f.FeatureCodes, Timeout: timeout}
	for _, u := range f.Users {
		in.Extensions = append(in.Extensions, u.Extension)
	}
	for _, n := range f.Numbers {
		in.Extensions = append(in.Extensions, n.Number)
	}
	return in
}

// Apply sets on site what comes from FreePBX, unless the settings file
// set it: the dial plan (dial_plan) and the Messages key (messages_uri,
// from the voicemail module's "My Voicemail" code, custom over default).
// The notes say what was used and where each rule came from, for -v. A
// route pattern that cannot be read keeps the default plan, with a note.
// A feature code that cannot be written as messages_uri (a space, '#',
// ';', a quote: it would break SIPDefault.cnf's line) is an error naming
// the featurecodes row.
func Apply(site *siteconf.Site, f FreePBX) (notes []string, err error) {
	if line, ok := site.Set["messages_uri"]; ok {
		notes = append(notes, fmt.Sprintf("Messages key: %s (settings file, line %d)", site.MessagesURI, line))
	} else if fc, ok := freepbx.Feature(f.FeatureCodes, "voicemail", "myvoicemail"); ok {
		kind := "default"
		if fc.Custom {
			kind = "custom"
		}
		if err := siteconf.CheckDialString(fc.Code); err != nil {
			return notes, fmt.Errorf("FreePBX feature code voicemail/myvoicemail (featurecodes, %s code) cannot be the Messages key: %w; fix the code in FreePBX (Admin, Feature Codes) or set messages_uri in the settings file", kind, err)
		}
		site.MessagesURI = fc.Code
		notes = append(notes, fmt.Sprintf("Messages key: %s (FreePBX feature code voicemail/myvoicemail, %s code)", fc.Code, kind))
	} else {
		notes = append(notes, fmt.Sprintf("Messages key: %s (built-in default: FreePBX has no enabled voicemail/myvoicemail feature code)", site.MessagesURI))
	}

	if line, ok := site.Set["dial_plan"]; ok {
		notes = append(notes, fmt.Sprintf("dial plan: %d rule(s) from the settings file, line %d (dial_plan); FreePBX's routes not used", len(site.DialPlan), line))
		for _, r := range site.DialPlan {
			notes = append(notes, fmt.Sprintf("dial plan: %s Timeout=%d  settings file, line %d", r.Match, r.Timeout, line))
		}
		return notes, nil
	}
	in := f.Input(site.DialTimeout)
	site.DialPlan = []siteconf.DialRule{{Match: "*", Timeout: site.DialTimeout}}
	plan, err := Build(in)
	if err != nil {
		return append(notes, fmt.Sprintf("dial plan: %v; every number waits %d s (*:%d) until the pattern is fixed in FreePBX or dial_plan is set", err, site.DialTimeout, site.DialTimeout)), nil
	}
	if !f.HaveRoutes {
		notes = append(notes, "dial plan: no outbound route tables in this database; rules from extensions and feature codes only")
	}
	site.DialPlan = plan.SiteRules()
	notes = append(notes, fmt.Sprintf("dial plan: %d rule(s) from FreePBX (%d route(s), %d extension(s), %d ring group/queue/conference number(s), %d feature code(s))",
		len(plan.Rules), len(f.Routes), len(f.Users), len(f.Numbers), len(f.FeatureCodes)))
	for _, r := range plan.Rules {
		notes = append(notes, fmt.Sprintf("dial plan: %s Timeout=%d  %s: %s", r.Match, r.Timeout, r.Source, r.Why))
	}
	for _, n := range plan.Notes {
		notes = append(notes, "dial plan: "+n)
	}
	return notes, nil
}
