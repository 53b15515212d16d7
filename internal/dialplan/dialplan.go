// Package dialplan derives the phone's dial plan (dialplan.xml TEMPLATE
// rules) from FreePBX: the outbound routes' dial patterns, the extensions
// in use and the feature codes. A number that can only be complete gets a
// rule with Timeout 0, so the phone dials it at once; everything else keeps
// a timeout.
//
// The phone's rules (Cisco SIP IP Phone Administrator Guide 6.x/7.x,
// "How to Create Dial Plans", p.3-22/3-23; 2.x guide p.2-18; CUCM Admin
// Guide OL-18611-01 ch. 40 "SIP Dial Rules", pattern 7940_7960_OTHER): in
// MATCH '.' is any one character, '*' one or more characters and '\*' a
// literal star; a dialled star is matched by '.' and '*'. The longest
// matching rule is used, where characters matched by a wildcard do not
// count, and a complete rule wins only with more non-wildcard matches than
// any rule still incomplete. Timeout 0 dials at once.
//
// The phone has no character classes, so Asterisk's X, Z, N and [a-b]
// become '.', which also matches other digits, '*' and '#'. A rule is given
// Timeout 0 only when nothing it matches is the start of a longer number
// the PBX accepts (from any route, extension or feature code); where the
// wider '.' would break that, the rule is split into rules with literal
// digits, and whatever still could go on waits.
package dialplan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// Rule is one TEMPLATE of dialplan.xml.
type Rule struct {
	Match   string // phone syntax: digits, '.', '*', '\*'
	Timeout int    // seconds after the last digit; 0 dials at once
	Source  string // where it came from, for -v
	Why     string // why this timeout, for -v
}

// Input is what the dial plan is built from.
type Input struct {
	Routes       []freepbx.Route
	Extensions   []string // extension numbers in use
	FeatureCodes []freepbx.FeatureCode
	// Timeout is the seconds to wait for a number that may go on.
	Timeout int
}

// Plan is the rules, most specific first, ending with a catch-all.
type Plan struct {
	Rules []Rule
	Notes []string // what was left to the timeout and why, for -v

	accepted []cand // the numbers the PBX accepts, for Samples
}

// maxPieces bounds how many literal rules one pattern may be split into;
// beyond it the pattern keeps one rule with a timeout.
const maxPieces = 64

// Feature codes by what follows the code. Sources are the FreePBX modules'
// functions.inc.php (release 16): a code added to the dial plan only as
// itself is exact; one also added as _CODE. or as CODE+extension takes
// digits after it. In-call codes go to features.conf and are dialled
// during a call, never from the dial plan.
var (
	exactFeatures = map[string]bool{
		"voicemail/myvoicemail":      true, // voicemail 16.0.58 voicemail_myvoicemail
		"core/userlogoff":            true, // core 16.0.68.30 app-userlogonoff
		"donotdisturb/dnd_on":        true, // donotdisturb 16.0.3
		"donotdisturb/dnd_off":       true,
		"donotdisturb/dnd_toggle":    true,
		"callwaiting/cwon":           true, // callwaiting 16.0.5
		"callwaiting/cwoff":          true,
		"infoservices/calltrace":     true, // infoservices 16.0.2
		"infoservices/echotest":      true,
		"infoservices/speakingclock": true,
		"infoservices/speakextennum": true,
		"core/zapbarge":              true, // core 16.0.68.30 app-zapbarge, app-chanspy, ext-test
		"core/chanspy":               true,
		"core/simu_pstn":             true,
	}
	inCallFeatures = map[string]bool{
		"core/blindxfer": true, "core/atxfer": true, "core/automon": true, "core/disconnect": true,
	}
	// perExtensionFeatures are dialled as CODE followed by an extension
	// (voicemail_directdialvoicemail adds CODE+ext for each one).
	perExtensionFeatures = map[string]bool{"voicemail/directdialvoicemail": true}
)

// source is a set of numbers the PBX accepts, with its origin.
type source struct {
	p     pattern
	name  string
	exact bool // may get Timeout 0 rules (fixed length, typeable)
	rule  bool // gets a rule at all (wait when not exact)
	why   string
	// group: a rule for a group of extensions, not numbers the PBX
	// accepts (those are the extensions themselves).
	group bool
	route bool // from an outbound route pattern
	// emergency: from an emergency route; dials at once even where a
	// route pattern (a wildcard over the public numbering plan, such as
	// NXXNXXXXXX against 911) starts the same way.
	emergency bool
}

// cand is a set of numbers the PBX accepts, for the conflict check.
type cand struct {
	p     pattern
	route bool
}

// Build derives the plan. An outbound route pattern that is not Asterisk
// pattern syntax is an error naming the route: the caller then keeps its
// default plan, since numbers it cannot read could be cut short.
func Build(in Input) (Plan, error) {
	var plan Plan
	if in.Timeout <= 0 {
		in.Timeout = 5
	}
	// srcs are what may get rules; all every number the PBX accepts
	// (routes, extensions, feature codes), in that order. An extension is
	// only the latter: one cand each, not a source with a name (at
	// 100,000 extensions the sources were 24 MB at once).
	var srcs []source
	all := make([]cand, 0, len(in.Extensions)+len(in.Routes))
	for _, r := range in.Routes {
		for _, rp := range r.Patterns {
			d := rp.Dialled()
			name := fmt.Sprintf("route %q pattern %s", r.Name, shown(rp))
			p, err := parsePattern(d)
			if err != nil {
				return Plan{}, fmt.Errorf("outbound route %d %q, pattern %s: %v", r.ID, r.Name, shown(rp), err)
			}
			s := source{p: p, name: name, rule: true, route: true, emergency: r.Emergency}
			if r.Emergency {
				s.name = "emergency " + s.name
			}
			switch {
			case !p.typeable() || hasSym(p, symHash):
				s.rule, s.why = false, "has + or #, which the phone sends differently"
			case p.tail != tailNone:
				s.why = "no fixed length: only the timeout can end it"
			default:
				s.exact = true
			}
			if rp.CID != "" {
				s.name += " (caller ID " + rp.CID + ")"
			}
			srcs = append(srcs, s)
			all = append(all, cand{p: s.p, route: true})
		}
	}
	all, groups := extensionSources(in.Extensions, all)
	srcs = append(srcs, groups...)
	for _, f := range in.FeatureCodes {
		key := f.Key()
		name := fmt.Sprintf("feature code %s (%s)", f.Code, key)
		switch {
		case inCallFeatures[key]:
			continue
		case perExtensionFeatures[key]:
			for _, e := range in.Extensions {
				if p, ok := literal(f.Code + e); ok {
					all = append(all, cand{p: p})
				}
			}
			plan.Notes = append(plan.Notes, name+": followed by an extension, waits")
			continue
		}
		p, ok := literal(f.Code)
		if !ok {
			plan.Notes = append(plan.Notes, name+": not digits, * or #; left out")
			continue
		}
		s := source{p: p, name: name}
		switch {
		case hasSym(p, symHash):
			plan.Notes = append(plan.Notes, name+": has #, which ends dialling on the phone; left to the timeout")
		case exactFeatures[key]:
			s.exact, s.rule = true, true
		default:
			// Codes this table does not know may take digits after them
			// (_CODE. in their module's dial plan): never cut them short.
			s.p.tail = tailZeroOrMore
			plan.Notes = append(plan.Notes, name+": may take digits after the code, waits")
		}
		srcs = append(srcs, s)
		all = append(all, cand{p: s.p})
	}
	plan.accepted = all
	var now, wait []Rule
	for _, s := range srcs {
		if !s.rule {
			if s.why != "" {
				plan.Notes = append(plan.Notes, s.name+": "+s.why+"; left to the timeout")
			}
			continue
		}
		whole := widen(s.p.fixed)
		if !s.exact {
			wait = append(wait, Rule{Match: waitMatch(s.p, whole), Timeout: in.Timeout, Source: s.name, Why: "waits: " + s.why})
			continue
		}
		budget := maxPieces
		others := all
		if s.emergency {
			others = nil
			for _, c := range all {
				if !c.route {
					others = append(others, c)
				}
			}
		}
		pieces, partial, why := split(s.p.fixed, whole, others, &budget)
		if budget < 0 {
			pieces, partial, why = nil, true, fmt.Sprintf("%s (telling them apart would need more than %d rules)", why, maxPieces)
		}
		nowWhy := "dials at once: nothing longer starts this way"
		if s.emergency {
			for _, c := range all {
				if c.route && conflict(whole, c.p) {
					nowWhy = "dials at once as an emergency number, although " + describe(c.p) + " starts the same way"
					break
				}
			}
		}
		for _, pc := range pieces {
			now = append(now, Rule{Match: render(pc), Timeout: 0, Source: s.name, Why: nowWhy})
		}
		if partial {
			w := Rule{Match: render(whole), Timeout: in.Timeout, Source: s.name, Why: "waits: could be the start of " + why}
			if len(pieces) > 0 {
				w.Why = "waits where it could be the start of " + why
			}
			wait = append(wait, w)
		}
	}
	sort.SliceStable(now, func(i, j int) bool { return literals(now[i].Match) > literals(now[j].Match) })
	sort.SliceStable(wait, func(i, j int) bool { return literals(wait[i].Match) > literals(wait[j].Match) })
	seen := map[string]bool{}
	for _, r := range append(now, wait...) {
		if seen[r.Match] {
			continue
		}
		seen[r.Match] = true
		plan.Rules = append(plan.Rules, r)
	}
	plan.Rules = append(plan.Rules, Rule{Match: "*", Timeout: in.Timeout, Source: "everything else", Why: "waits for more digits"})
	return plan, nil
}

func shown(rp freepbx.RoutePattern) string {
	s := rp.Pass
	if rp.Prefix != "" {
		s = rp.Prefix + "|" + rp.Pass
	}
	if rp.Prepend != "" {
		s = "(" + rp.Prepend + ") " + s
	}
	return s
}

func hasSym(p pattern, sym int) bool {
	for _, c := range p.fixed {
		if c.has(sym) {
			return true
		}
	}
	return false
}

// extensionSources adds every extension to all, as a number the PBX
// accepts, and gives one rule source per group of extensions of the same
// length and first digit, whose rule is their common start followed by
// '.'. A group keeps its first and last extension and a count: the common
// start of sorted strings is that of the first and the last.
func extensionSources(exts []string, all []cand) ([]cand, []source) {
	type key struct {
		n     int
		first byte
	}
	type group struct {
		lo, hi string
		n      int
	}
	byKey := map[key]*group{}
	var keys []key
	for _, e := range exts {
		p, ok := literal(e)
		if !ok {
			continue
		}
		all = append(all, cand{p: p})
		if strings.Trim(e, "0123456789") != "" {
			continue // extensions with * or # get no rule
		}
		k := key{len(e), e[0]}
		g, ok := byKey[k]
		if !ok {
			keys = append(keys, k)
			g = &group{lo: e, hi: e}
			byKey[k] = g
		}
		g.lo, g.hi, g.n = min(g.lo, e), max(g.hi, e), g.n+1
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].n != keys[j].n {
			return keys[i].n < keys[j].n
		}
		return keys[i].first < keys[j].first
	})
	var groups []source
	for _, k := range keys {
		g := byKey[k]
		head := g.lo
		for !strings.HasPrefix(g.hi, head) {
			head = head[:len(head)-1]
		}
		prefix := make([]class, k.n)
		for i := range prefix {
			prefix[i] = digits
			if i < len(head) {
				prefix[i] = 1 << (head[i] - '0')
			}
		}
		name := fmt.Sprintf("extensions %s-%s (%d in use)", g.lo, g.hi, g.n)
		if g.n == 1 {
			name = "extension " + g.lo
		}
		groups = append(groups, source{p: pattern{fixed: prefix}, name: name, exact: true, rule: true, group: true})
	}
	return all, groups
}

// widen is what the phone can express of a sequence of classes: a single
// keypad symbol stays, anything else becomes '.' (any keypad symbol).
func widen(cs []class) []class {
	out := make([]class, len(cs))
	for i, c := range cs {
		if c.single() && c&keypad != 0 {
			out[i] = c
		} else {
			out[i] = keypad
		}
	}
	return out
}

// conflict says whether some string the phone rule matches is the start of
// a longer number of q: then dialling it at once could cut that number
// short.
func conflict(phone []class, q pattern) bool {
	n := len(phone)
	if !q.longerThan(n) {
		return false
	}
	for i := 0; i < n; i++ {
		if phone[i]&q.at(i) == 0 {
			return false
		}
	}
	return true
}

// split returns the pieces of a fixed pattern (exact classes, and what the
// phone matches of them) that may dial at once: the whole rule when it
// cuts nothing short, else rules with literal digits where that separates
// them from the longer numbers; partial is set when some of its numbers
// must wait, why names what they could be the start of.
func split(exact, phone []class, all []cand, budget *int) (pieces [][]class, partial bool, why string) {
	var q *pattern
	for i := range all {
		if conflict(phone, all[i].p) {
			q = &all[i].p
			break
		}
	}
	if q == nil && literalCount(phone) > 0 {
		return [][]class{phone}, false, ""
	}
	// Split at the widened position where most of the exact symbols fall
	// outside the conflicting numbers (or, with no conflict, the first
	// widened one, so that the rule has a literal to win with).
	at, best := -1, -1
	for i := range phone {
		if phone[i].single() {
			continue
		}
		escape := exact[i].size()
		if q != nil {
			escape = (exact[i] &^ q.at(i)).size()
		}
		if escape > best {
			at, best = i, escape
		}
		if q == nil {
			break
		}
	}
	if q != nil {
		why = describe(*q)
	}
	if at < 0 || best <= 0 {
		return nil, true, why
	}
	syms := (exact[at] & keypad).members()
	*budget -= len(syms) - 1
	if *budget < 0 {
		return nil, true, why
	}
	for _, s := range syms {
		e := append([]class(nil), exact...)
		p := append([]class(nil), phone...)
		e[at], p[at] = 1<<s, 1<<s
		sub, part, w := split(e, p, all, budget)
		if *budget < 0 {
			return nil, true, why
		}
		pieces = append(pieces, sub...)
		if part {
			partial = true
			if why == "" {
				why = w
			}
		}
	}
	return pieces, partial, why
}

func describe(p pattern) string {
	var b strings.Builder
	for _, c := range p.fixed {
		switch {
		case c.single():
			b.WriteByte(symChar(c.first()))
		case c == digits:
			b.WriteByte('X')
		case c == digits&^1:
			b.WriteByte('Z')
		case c == digits&^3:
			b.WriteByte('N')
		default:
			b.WriteByte('[')
			for _, s := range c.members() {
				b.WriteByte(symChar(s))
			}
			b.WriteByte(']')
		}
	}
	switch p.tail {
	case tailOneOrMore:
		b.WriteByte('.')
	case tailZeroOrMore:
		b.WriteByte('!')
	}
	return b.String()
}

func literalCount(phone []class) int {
	n := 0
	for _, c := range phone {
		if c.single() {
			n++
		}
	}
	return n
}

// render writes a phone rule: a digit as itself, a star as \*, '#' as
// itself, anything else as '.'.
func render(phone []class) string {
	var b strings.Builder
	for _, c := range phone {
		switch {
		case c.single() && c.has(symStar):
			b.WriteString(`\*`)
		case c.single():
			b.WriteByte(symChar(c.first()))
		default:
			b.WriteByte('.')
		}
	}
	return b.String()
}

func waitMatch(p pattern, whole []class) string {
	m := render(whole)
	if p.tail != tailNone {
		m += "*"
	}
	return m
}

// literals counts the non-wildcard characters of a MATCH string.
func literals(m string) int {
	n := 0
	for i := 0; i < len(m); i++ {
		switch m[i] {
		case '.', '*', ',':
		case '\\':
			n++
			i++
		default:
			n++
		}
	}
	return n
}

// SiteRules is the plan as the settings' dial plan rules.
func (p Plan) SiteRules() []siteconf.DialRule {
	out := make([]siteconf.DialRule, len(p.Rules))
	for i, r := range p.Rules {
		out[i] = siteconf.DialRule{Match: r.Match, Timeout: r.Timeout}
	}
	return out
}
