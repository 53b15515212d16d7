package dhcpconf

import (
	"fmt"
	"strings"
)

// What a 79x0 phone's DHCP request carries decides which of dnsmasq's
// tagged lines reach it. dnsmasq(8): a dhcp-option with tags applies only
// to a request carrying every one of them; a tag is set by
// dhcp-vendorclass (a substring of option 60, rfc2131.c compares the bytes
// at every offset), dhcp-userclass (option 77), dhcp-mac (a MAC pattern,
// '*' for any byte), dhcp-match (an option, or a substring of its value),
// dhcp-host, dhcp-range, tag-if, the relay's circuit/remote/subscriber id
// and the interface name. A phone sends option 60 "Cisco Systems, Inc. IP
// Phone CP-79x0G" (CiscoPhoneVendorClasses); only setters judged on that
// (or on the phones' own MACs) can say "no phone carries it".

// tagSetter is one line that sets a tag, and whether a phone's request
// makes it set the tag.
type tagSetter struct {
	Where  string // file:line
	Text   string
	Phones Tri
}

// dnsmasqSetters reads the tags a line sets. key is the option name, v
// its value, macs the phones' MACs when known (lower case, colons).
func dnsmasqSetters(key, v string, macs []string) (tags []string, phones Tri) {
	f := strings.Split(v, ",")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	first := func() (string, []string, bool) {
		if len(f) < 2 {
			return "", nil, false
		}
		t := f[0]
		for _, p := range []string{"set:", "net:"} {
			t = strings.TrimPrefix(t, p)
		}
		return t, f[1:], t != ""
	}
	switch key {
	case "dhcp-vendorclass", "dhcp-userclass":
		t, rest, ok := first()
		if !ok {
			return nil, Unknown
		}
		if key == "dhcp-userclass" || strings.HasPrefix(rest[0], "enterprise:") {
			// A 79x0's option 77 and vendor-identifying class are not
			// documented: cannot tell.
			return []string{t}, Unknown
		}
		return []string{t}, phonesOpt60(strings.Trim(strings.Join(rest, ","), `"`))
	case "dhcp-match":
		t, rest, ok := first()
		if !ok {
			return nil, Unknown
		}
		if o := strings.ToLower(rest[0]); o == "60" || o == "option:vendor-class" {
			if len(rest) == 1 {
				return []string{t}, Yes // a phone sends option 60
			}
			val := strings.Trim(strings.Join(rest[1:], ","), `"`)
			if strings.ContainsAny(val, ":*") || strings.Trim(val, "0123456789") == "" {
				return []string{t}, Unknown // hex bytes or a number: not read here
			}
			return []string{t}, phonesOpt60(val)
		}
		return []string{t}, Unknown
	case "dhcp-mac":
		t, rest, ok := first()
		if !ok {
			return nil, Unknown
		}
		if len(macs) == 0 {
			return []string{t}, Unknown
		}
		n := 0
		for _, m := range macs {
			if macPattern(rest[0], m) {
				n++
			}
		}
		return []string{t}, allSome(n, len(macs))
	}
	// Any other line: each set:TAG field sets a tag for clients we cannot
	// judge here (dhcp-host, dhcp-range, tag-if, relay ids, ...).
	for _, x := range f {
		if t, ok := strings.CutPrefix(x, "set:"); ok && t != "" {
			tags = append(tags, t)
		}
	}
	if key == "dhcp-circuitid" || key == "dhcp-remoteid" || key == "dhcp-subscrid" {
		if t, _, ok := first(); ok && !strings.HasPrefix(f[0], "set:") {
			tags = append(tags, t)
		}
	}
	return tags, Unknown
}

// phonesOpt60 says whether dnsmasq's substring match of s against option
// 60 tags the 79x0s (case matters: rfc2131.c uses memcmp): Yes when every
// 79x0 vendor class holds s, No when none does, Unknown when only some
// models would be tagged.
func phonesOpt60(s string) Tri {
	n := 0
	for _, vc := range CiscoPhoneVendorClasses {
		if strings.Contains(vc, s) {
			n++
		}
	}
	return allSome(n, len(CiscoPhoneVendorClasses))
}

// allSome is Yes when n of total is all of them, No when none, else
// Unknown.
func allSome(n, total int) Tri {
	switch {
	case n == 0:
		return No
	case n == total:
		return Yes
	}
	return Unknown
}

// MACPattern matches a dnsmasq MAC pattern ("00:1b:d4:*:*:*", as
// dhcp-mac and dhcp-host take it) against mac (lower case, colons).
func MACPattern(pat, mac string) bool { return macPattern(pat, mac) }

// macPattern matches a dhcp-mac pattern ("00:11:22:*:*:*", an optional
// "TYPE-" hardware type first) against mac.
func macPattern(pat, mac string) bool {
	if i := strings.Index(pat, "-"); i >= 0 {
		pat = pat[i+1:]
	}
	p, m := strings.Split(strings.ToLower(pat), ":"), strings.Split(mac, ":")
	if len(p) != len(m) {
		return false
	}
	for i := range p {
		if p[i] != "*" && strings.TrimLeft(p[i], "0") != strings.TrimLeft(m[i], "0") {
			return false
		}
	}
	return true
}

// tagReq is one tag a line asks for: "tag:x" (or the older "net:x", or a
// bare word before a dhcp-option's number) needs the tag set, "tag:!x"
// (or the older "#x") needs it unset (dnsmasq(8) "tag:!<tag>").
type tagReq struct {
	Tag string
	Not bool
}

func (r tagReq) String() string {
	if r.Not {
		return "tag:!" + r.Tag
	}
	return "tag:" + r.Tag
}

// readReq reads one tag field; ok false for a field that is no tag.
func readReq(x string, bare bool) (tagReq, bool) {
	x = strings.TrimSpace(x)
	pre := false
	for _, p := range []string{"tag:", "net:"} {
		if v, ok := strings.CutPrefix(x, p); ok {
			x, pre = v, true
		}
	}
	if !pre && !bare || x == "" {
		return tagReq{}, false
	}
	if v, ok := strings.CutPrefix(x, "!"); ok {
		return tagReq{Tag: v, Not: true}, v != ""
	}
	if v, ok := strings.CutPrefix(x, "#"); ok {
		return tagReq{Tag: v, Not: true}, v != ""
	}
	return tagReq{Tag: x}, true
}

// optionReqs are the tags a dhcp-option value asks for: the fields
// before the option ("tag:x", "tag:!x", "net:x" or a bare word).
func optionReqs(v string) []tagReq {
	var reqs []tagReq
	for _, x := range strings.Split(v, ",") {
		x = strings.TrimSpace(x)
		if x == "" || strings.Trim(x, "0123456789") == "" || strings.HasPrefix(x, "option:") {
			break
		}
		if strings.HasPrefix(x, "set:") || strings.HasPrefix(x, "option6:") || strings.HasPrefix(x, "vendor:") || strings.HasPrefix(x, "encap:") || strings.HasPrefix(x, "vi-encap:") {
			continue
		}
		if r, ok := readReq(x, true); ok {
			reqs = append(reqs, r)
		}
	}
	return reqs
}

// fieldReqs are the "tag:" fields of a dhcp-range or dhcp-ignore value
// (in a dhcp-range "net:x" is the old spelling of set:, so it is left
// out there: ignore says which).
func fieldReqs(v string, netIsSet bool) []tagReq {
	var reqs []tagReq
	for _, x := range strings.Split(v, ",") {
		x = strings.TrimSpace(x)
		if netIsSet && strings.HasPrefix(x, "net:") {
			continue
		}
		if r, ok := readReq(x, false); ok {
			reqs = append(reqs, r)
		}
	}
	return reqs
}

// carry says whether every 79x0's request carries tag: Yes when a line
// that tags every phone sets it, No when each line setting it tags no
// phone, Unknown otherwise, and for a tag no line sets (dnsmasq sets some
// itself: the interface's name, "known", "bootp") or a wildcard.
func carry(setters map[string][]tagSetter, tag string) Tri {
	ss := setters[tag]
	if len(ss) == 0 || strings.Contains(tag, "*") {
		return Unknown
	}
	c := No
	for _, x := range ss {
		c = c.or(x.Phones)
	}
	return c
}

// phonesMatch says whether a 79x0's request has every tag reqs asks for
// (Yes: every phone's does, No: none does), and, for No, the tag and the
// lines that decide it.
func phonesMatch(setters map[string][]tagSetter, reqs []tagReq) (Tri, string) {
	m := Yes
	for _, r := range reqs {
		c := carry(setters, r.Tag)
		if r.Not {
			c = map[Tri]Tri{Yes: No, No: Yes, Unknown: Unknown}[c]
		}
		if c == No {
			var by []string
			for _, x := range setters[r.Tag] {
				by = append(by, x.Where+": "+x.Text)
			}
			if r.Not {
				return No, fmt.Sprintf("only clients without tag %s, and every 79x0's request has it (%s)", r.Tag, strings.Join(by, "; "))
			}
			return No, fmt.Sprintf("only clients tagged %s, and no 79x0's request is (%s)", r.Tag, strings.Join(by, "; "))
		}
		m = m.and(c)
	}
	return m, ""
}

// NoPhoneGets says why no 79x0 gets the tagged dhcp-option st: it asks
// for a tag set only by lines a phone's request never matches (a
// dhcp-vendorclass or dhcp-match on option 60 such as "Juniper", a
// dhcp-mac no phone of macs matches), or for the lack of one every phone
// carries ("tag:!phones" beside "dhcp-vendorclass=set:phones,IP Phone").
// "" when a phone may get it.
func (s DnsmasqSite) NoPhoneGets(st Setting, macs []string) string {
	if m, why := phonesMatch(s.setters(macs), s.optReqs[st.Where()]); m == No {
		return fmt.Sprintf("%s: %s reaches %s: left alone", st.Where(), st.Text, why)
	}
	return ""
}

// EveryPhoneGets says whether every 79x0 matches the tags of the tagged
// dhcp-option st (never for an untagged one).
func (s DnsmasqSite) EveryPhoneGets(st Setting, macs []string) bool {
	reqs := s.optReqs[st.Where()]
	m, _ := phonesMatch(s.setters(macs), reqs)
	return len(reqs) > 0 && m == Yes
}

// PhonesTag is a tag every 79x0's request carries, with the line that
// sets it ("" when none is known): a dhcp-option tagged with it reaches
// every phone and, being tagged, is used in preference to an untagged
// line for the same option (dnsmasq(8), "tags ... used in preference to
// an untagged --dhcp-option"), so it leaves that line to the other
// clients.
func (s DnsmasqSite) PhonesTag(macs []string) (tag, where string) {
	setters := s.setters(macs)
	for _, l := range s.tagLines {
		tags, _ := dnsmasqSetters(l.key, l.value, macs)
		for _, t := range tags {
			if carry(setters, t) == Yes {
				return t, fmt.Sprintf("%s:%d: %s", l.File, l.Line, l.Text)
			}
		}
	}
	return "", ""
}

// TagFields are the tag fields of the dhcp-option st as dnsmasq reads
// them ("tag:phones", "tag:!guest"), for a line that is to reach the same
// clients.
func (s DnsmasqSite) TagFields(st Setting) []string {
	var out []string
	for _, r := range s.optReqs[st.Where()] {
		out = append(out, r.String())
	}
	return out
}

// OverriddenForPhones says why the untagged dhcp-option st reaches no
// 79x0: a tagged line for the same option that every phone matches, and
// good accepts, is used in its place (dnsmasq(8): a tagged dhcp-option is
// used in preference to an untagged one). "" otherwise.
func (s DnsmasqSite) OverriddenForPhones(st Setting, macs []string, good func(Setting) bool) (why string, by Setting) {
	if st.Kind != "" {
		return "", Setting{}
	}
	for _, o := range s.Options {
		if o.Option == st.Option && o.Kind != "" && good(o) && s.EveryPhoneGets(o, macs) {
			return fmt.Sprintf("%s: %s: every 79x0 gets option %d from %s: %s instead (a tagged dhcp-option comes before an untagged one), so this line serves only the other clients: left alone", st.Where(), st.Text, st.Option, o.Where(), o.Text), o
		}
	}
	return "", Setting{}
}

// setters judges the tag-setting lines read, with the phones' MACs.
func (s DnsmasqSite) setters(macs []string) map[string][]tagSetter {
	m := map[string][]tagSetter{}
	for _, l := range s.tagLines {
		tags, phones := dnsmasqSetters(l.key, l.value, macs)
		for _, t := range tags {
			m[t] = append(m[t], tagSetter{Where: fmt.Sprintf("%s:%d", l.File, l.Line), Text: l.Text, Phones: phones})
		}
	}
	return m
}

// DnsmasqLine is one line of a dnsmasq file.
type DnsmasqLine struct {
	File string
	Line int
	Text string

	key, value string
	reqs       []tagReq
}

// KnownOnly says what keeps dnsmasq from answering phones that have no
// dhcp-host line: a dhcp-ignore=tag:!known line (dnsmasq(8) --dhcp-ignore:
// a client without a dhcp-host entry is ignored), and, where dnsmasq has
// no dynamic range, a static one (--dhcp-range "static": only hosts
// given an address by dhcp-host or /etc/ethers are served). res are the
// reservations the drop-in adds (nil: none asked for); each message names
// the line and what to do. warnings are for phones that surely get no
// address: a phone of res without one, or a site with no dhcp-host line
// (with an address, for a static range) at all; notes (worth telling when
// a file changes) are the advice where the site's own dhcp-host lines
// may already cover the phones, which setup-dhcp cannot tell without
// --reservations: from cron, a run that changes nothing stays quiet.
func (s DnsmasqSite) KnownOnly(res []Reservation, haveRes bool) (warnings, notes []string) {
	anyHost, anyAddr := false, false
	for _, h := range s.Hosts {
		anyHost = anyHost || len(h.MACs) > 0
		anyAddr = anyAddr || len(h.MACs) > 0 && h.IP.IsValid()
	}
	for _, l := range s.Ignores {
		if !haveRes {
			m := fmt.Sprintf("%s:%d: %s: dnsmasq ignores every client without a dhcp-host line, so phones get no address and no option 150 unless each has one: rerun with --reservations (a dhcp-host line per phone)", l.File, l.Line, l.Text)
			if anyHost {
				notes = append(notes, m)
			} else {
				warnings = append(warnings, m)
			}
		}
	}
	if len(s.Ranges) > 0 || len(s.StaticRanges) == 0 {
		return warnings, notes
	}
	r := s.StaticRanges[0]
	if !haveRes {
		m := fmt.Sprintf("%s:%d: dnsmasq's range is static (known hosts only): it gives an address only to a client whose dhcp-host line has one, so phones without one get no address and no option 150: give each phone an address (setup-cisco phone set MAC --ip ADDRESS) and rerun with --reservations", r.File, r.Line)
		if anyAddr {
			return warnings, append(notes, m)
		}
		return append(warnings, m), notes
	}
	for _, x := range res {
		if !x.IP.IsValid() {
			warnings = append(warnings, fmt.Sprintf("%s:%d: dnsmasq's range is static (known hosts only): phone %s has no address, so it gets none: give it one (setup-cisco phone set %s --ip ADDRESS) and rerun", r.File, r.Line, x.MAC, strings.ToUpper(strings.ReplaceAll(x.MAC.String(), ":", ""))))
		}
	}
	return warnings, notes
}

// ProxyOnly refuses a dnsmasq whose every dhcp-range is proxy DHCP
// (dnsmasq(8) --dhcp-range "proxy": it answers PXE clients only and gives
// no address; another server hands them out): no phone would get the
// drop-in's option 150.
func (s DnsmasqSite) ProxyOnly() error {
	if len(s.ProxyRanges) == 0 || len(s.Ranges) > 0 || len(s.StaticRanges) > 0 {
		return nil
	}
	r := s.ProxyRanges[0]
	return fmt.Errorf("%s:%d: dhcp-range ...,proxy: this dnsmasq is a proxy DHCP server (PXE only): it gives phones no address and no option 150, so a drop-in here would not take effect; set option 150 on the DHCP server that hands out the addresses (e.g. the router's, or setup-dhcp --format isc/kea for a server on this host)", r.File, r.Line)
}

// RangeInfo names the range dnsmasq hands out addresses from, for the
// "adds no range" message.
func (s DnsmasqSite) RangeInfo(macs []string) string {
	dynamic, static, _ := s.PhoneRanges(macs)
	if len(dynamic) > 0 {
		r := dynamic[0]
		return fmt.Sprintf("%s:%d: dnsmasq already hands out addresses (%s-%s); the drop-in adds no range", r.File, r.Line, r.First, r.Last)
	}
	r := s.StaticRanges[0]
	if len(static) > 0 {
		r = static[0]
	}
	return fmt.Sprintf("%s:%d: dnsmasq already serves %s with a static range (known hosts only); the drop-in adds no range", r.File, r.Line, r.First)
}

// rangeMode is the mode word of a dhcp-range value ("static", "proxy"),
// which stands where the end address would (dnsmasq(8) --dhcp-range;
// dnsmasq 2.90 --test refuses "START,END,static").
func rangeMode(v string) string {
	f := strings.Split(v, ",")
	for i, x := range f {
		x = strings.TrimSpace(x)
		if strings.HasPrefix(x, "tag:") || strings.HasPrefix(x, "set:") || strings.HasPrefix(x, "net:") {
			continue
		}
		if i+1 < len(f) {
			switch m := strings.TrimSpace(f[i+1]); m {
			case "static", "proxy":
				return m
			}
		}
		return ""
	}
	return ""
}

// unknownIgnores are the dhcp-ignore lines that ignore clients without a
// dhcp-host line (tag:!known) and whose other tags do not keep every 79x0
// out ("dhcp-ignore=tag:!phones,tag:!known" ignores only the other
// unknown clients).
func (s DnsmasqSite) unknownIgnores() []DnsmasqLine {
	setters := s.setters(nil)
	var out []DnsmasqLine
	for _, l := range s.ignores {
		if !ignoresUnknown(l.value) {
			continue
		}
		var rest []tagReq
		for _, r := range l.reqs {
			if r.Tag != "known" {
				rest = append(rest, r)
			}
		}
		if m, _ := phonesMatch(setters, rest); m != No {
			out = append(out, l)
		}
	}
	return out
}

// IgnoresPhones judges the dhcp-ignore lines that do not name "known"
// (those are KnownOnly's) against a 79x0's request (dnsmasq(8)
// --dhcp-ignore: when all the given tags are set, the client gets no
// lease): err names a line every phone matches, which leaves the phones
// no address and no option 150 from this dnsmasq; notes name lines that
// may match some phones.
func (s DnsmasqSite) IgnoresPhones(macs []string) (notes []string, err error) {
	if why := s.PhonesIgnoredBy(macs); why != "" {
		return nil, fmt.Errorf("%s: the phones get no address and no option 150 from this dnsmasq, so a drop-in here would not take effect; set option 150 on the DHCP server that gives the phones their addresses, or remove that line and rerun", why)
	}
	setters := s.setters(macs)
	for _, l := range s.ignores {
		if ignoresUnknown(l.value) {
			continue
		}
		var tags []string
		for _, r := range l.reqs {
			tags = append(tags, r.String())
		}
		if m, _ := phonesMatch(setters, l.reqs); m == Unknown {
			notes = append(notes, fmt.Sprintf("%s:%d: %s: dnsmasq ignores clients with %s, which may include phones (setup-dhcp cannot tell): such a phone gets no address and no option 150 from this dnsmasq", l.File, l.Line, l.Text, strings.Join(tags, ",")))
		}
	}
	return notes, nil
}

// PhonesIgnoredBy names the first dhcp-ignore line (not naming "known")
// every 79x0 matches, and why; "" when there is none.
func (s DnsmasqSite) PhonesIgnoredBy(macs []string) string {
	setters := s.setters(macs)
	for _, l := range s.ignores {
		if ignoresUnknown(l.value) {
			continue
		}
		if m, _ := phonesMatch(setters, l.reqs); m == Yes {
			return fmt.Sprintf("%s:%d: %s: dnsmasq ignores every 79x0 (%s)", l.File, l.Line, l.Text, s.tagOrigin(l.reqs, macs))
		}
	}
	return ""
}

// tagOrigin names the lines that set (or, for a negated tag, do not set)
// the tags reqs asks for on a phone's request.
func (s DnsmasqSite) tagOrigin(reqs []tagReq, macs []string) string {
	setters := s.setters(macs)
	var out []string
	for _, r := range reqs {
		var by []string
		for _, x := range setters[r.Tag] {
			by = append(by, x.Where+": "+x.Text)
		}
		if len(by) == 0 {
			continue
		}
		if r.Not {
			out = append(out, "none is tagged "+r.Tag+" by "+strings.Join(by, "; "))
		} else {
			out = append(out, "each is tagged "+r.Tag+" by "+strings.Join(by, "; "))
		}
	}
	if len(out) == 0 {
		return "it names no tag, so it ignores every client"
	}
	return strings.Join(out, "; ")
}

// PhoneRanges are the dynamic and the static ranges a 79x0 may take an
// address from: those whose tags (dnsmasq(8) --dhcp-range: "tag:<tag>"
// limits a range to clients with the tag, "tag:!<tag>" to clients
// without) do not shut every phone out. closed is why the first range
// that does is shut, "" when none is.
func (s DnsmasqSite) PhoneRanges(macs []string) (dynamic, static []Range, closed string) {
	setters := s.setters(macs)
	keep := func(rs []Range) []Range {
		var out []Range
		for _, r := range rs {
			if m, why := phonesMatch(setters, s.rangeReqs[fmt.Sprintf("%s:%d", r.File, r.Line)]); m == No {
				if closed == "" {
					closed = fmt.Sprintf("%s:%d: the range %s-%s is for %s", r.File, r.Line, r.First, r.Last, why)
				}
				continue
			}
			out = append(out, r)
		}
		return out
	}
	return keep(s.Ranges), keep(s.StaticRanges), closed
}

// ignoresUnknown says whether a dhcp-ignore value names "not known"
// (tag:!known, or the old #known / net:#known).
func ignoresUnknown(v string) bool {
	for _, x := range strings.Split(v, ",") {
		x = strings.TrimSpace(x)
		for _, p := range []string{"tag:", "net:"} {
			x = strings.TrimPrefix(x, p)
		}
		if x == "!known" || x == "#known" {
			return true
		}
	}
	return false
}
