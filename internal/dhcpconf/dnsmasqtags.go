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
		for _, m := range macs {
			if macPattern(rest[0], m) {
				return []string{t}, Yes
			}
		}
		return []string{t}, No
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
// 60 tags a 79x0 (case matters: rfc2131.c uses memcmp).
func phonesOpt60(s string) Tri {
	for _, vc := range CiscoPhoneVendorClasses {
		if strings.Contains(vc, s) {
			return Yes
		}
	}
	return No
}

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

// optionTags are the tags a dhcp-option value needs ("tag:x", "net:x" or
// a bare word before the option); negated ones ("tag:!x") are left out.
func optionTags(v string) []string {
	var tags []string
	for _, x := range strings.Split(v, ",") {
		x = strings.TrimSpace(x)
		if x == "" || strings.Trim(x, "0123456789") == "" || strings.HasPrefix(x, "option:") {
			break
		}
		if strings.HasPrefix(x, "set:") || strings.HasPrefix(x, "option6:") || strings.HasPrefix(x, "vendor:") || strings.HasPrefix(x, "encap:") || strings.HasPrefix(x, "vi-encap:") {
			continue
		}
		for _, p := range []string{"tag:", "net:"} {
			x = strings.TrimPrefix(x, p)
		}
		if !strings.HasPrefix(x, "!") && !strings.HasPrefix(x, "#") {
			tags = append(tags, x)
		}
	}
	return tags
}

// NoPhoneGets says why no 79x0 gets the tagged dhcp-option st: one of
// its tags is set only by lines a phone's request never matches (a
// dhcp-vendorclass or dhcp-match on option 60 such as "Juniper", a
// dhcp-mac no phone of macs matches). "" when a phone may get it.
func (s DnsmasqSite) NoPhoneGets(st Setting, macs []string) string {
	for _, t := range s.optTags[fmt.Sprintf("%s:%d", st.File, st.Line)] {
		setters := s.setters(macs)[t]
		if len(setters) == 0 {
			continue
		}
		carry := No
		for _, x := range setters {
			carry = carry.or(x.Phones)
		}
		if carry == No {
			var by []string
			for _, x := range setters {
				by = append(by, x.Where+": "+x.Text)
			}
			return fmt.Sprintf("%s: %s reaches only clients tagged %s, and no 79x0's request is (%s): left alone", st.Where(), st.Text, t, strings.Join(by, "; "))
		}
	}
	return ""
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
func (s DnsmasqSite) RangeInfo() string {
	if len(s.Ranges) > 0 {
		r := s.Ranges[0]
		return fmt.Sprintf("%s:%d: dnsmasq already hands out addresses (%s-%s); the drop-in adds no range", r.File, r.Line, r.First, r.Last)
	}
	r := s.StaticRanges[0]
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
