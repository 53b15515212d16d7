package doctor

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// iscMatch are the "match if" forms of a dhcpd.conf class that test only
// option 60 (dhcp-options(5) vendor-class-identifier; dhcp-eval(5)
// substring(data, offset, length) and data = data): the forms of vendor
// classes such as Juniper's ZTP ("substring(option
// vendor-class-identifier, 0, 7) = "Juniper"").
var (
	iscMatchSub = regexp.MustCompile(`^match if substring \( option (?:dhcp\.)?vendor-class-identifier ?, ?(\d+) ?, ?(\d+) \) ?= ?"([^"]*)" ?;?$`)
	iscMatchEq  = regexp.MustCompile(`^match if option (?:dhcp\.)?vendor-class-identifier ?= ?"([^"]*)" ?;?$`)
)

// iscClassPhones says whether a 79x0's request can be a member of the
// class (or the class of the subclass) st stands in: No when the class's
// "match if" tests option 60 in a way none of
// dhcpconf.CiscoPhoneVendorClasses passes, Yes when one does, Unknown
// for every other class (subclasses, MAC tests, "and"/"or", none).
func iscClassPhones(in *dhcpconf.Inspection, st dhcpconf.Setting) dhcpconf.Tri {
	if in == nil || in.Config == nil || st.Kind != "class" {
		return dhcpconf.Unknown
	}
	stmts := in.Config.Stmts
	class := -1
	for _, s := range stmts {
		if s.File == st.File && s.Line <= st.Line && st.Line <= s.EndLine && s.Word(0) == "option" && s.Parent >= 0 {
			class = s.Parent
			break
		}
	}
	if class < 0 || stmts[class].Word(0) != "class" {
		return dhcpconf.Unknown
	}
	var match []string
	for _, s := range stmts {
		if s.Parent == class && s.Word(0) == "match" {
			match = append(match, spaceParens(s.Text()))
		}
	}
	if len(match) != 1 {
		return dhcpconf.Unknown
	}
	test := func(vc string) bool { return false }
	if m := iscMatchSub.FindStringSubmatch(match[0]); m != nil {
		off, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		test = func(vc string) bool { return substring(vc, off, n) == m[3] }
	} else if m := iscMatchEq.FindStringSubmatch(match[0]); m != nil {
		test = func(vc string) bool { return vc == m[1] }
	} else {
		return dhcpconf.Unknown
	}
	for _, vc := range dhcpconf.CiscoPhoneVendorClasses {
		if test(vc) {
			return dhcpconf.Yes
		}
	}
	return dhcpconf.No
}

// spaceParens writes each parenthesis as its own word, " ( " and " ) ",
// so that the lexer's words ("substring(option") compare in one form.
func spaceParens(s string) string {
	s = strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// substring is dhcp-eval(5)'s: bytes from offset, at most length.
func substring(s string, off, n int) string {
	if off >= len(s) {
		return ""
	}
	return s[off:min(len(s), off+n)]
}

// dnsmasqTagPhones says whether a 79x0 can carry every tag a dnsmasq
// dhcp-option line st requires ("tag:T"; dnsmasq(8) --dhcp-option): No
// when a tag it needs is set only by dhcp-vendorclass lines (a substring
// of option 60, dnsmasq(8) --dhcp-vendorclass) that no
// dhcpconf.CiscoPhoneVendorClasses contains, Unknown when a tag is set
// any other way (dhcp-host, dhcp-mac, dhcp-match, tag-if, a range, ...)
// or the files cannot be read.
func dnsmasqTagPhones(files []string, st dhcpconf.Setting) dhcpconf.Tri {
	_, v, _ := strings.Cut(st.Text, "=")
	var need []string
	for _, f := range strings.Split(v, ",") {
		if t, ok := strings.CutPrefix(strings.TrimSpace(f), "tag:"); ok && !strings.HasPrefix(t, "!") {
			need = append(need, t)
		}
	}
	if len(need) == 0 {
		return dhcpconf.Unknown
	}
	// Every line that sets a tag, by the tag.
	vendor := map[string][]string{} // tag -> dhcp-vendorclass strings
	other := map[string]bool{}      // tag set some other way
	for _, file := range files {
		b, err := dhcpconf.ReadExisting(file)
		if err != nil {
			return dhcpconf.Unknown
		}
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || l[0] == '#' {
				continue
			}
			key, val, _ := strings.Cut(l, "=")
			fields := strings.Split(val, ",")
			if strings.TrimSpace(key) == "dhcp-vendorclass" && len(fields) >= 2 {
				// set:TAG,[enterprise:N,]STRING; before 2.46 TAG,STRING.
				tag := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(fields[0]), "set:"), "net:")
				rest := fields[1:]
				if strings.HasPrefix(strings.TrimSpace(rest[0]), "enterprise:") {
					other[tag] = true // vendor-identifying option 125: not judged
					continue
				}
				vendor[tag] = append(vendor[tag], strings.Trim(strings.Join(rest, ","), "\" "))
				continue
			}
			for _, f := range fields {
				f = strings.TrimSpace(f)
				if t, ok := strings.CutPrefix(f, "set:"); ok {
					other[t] = true
				} else if t, ok := strings.CutPrefix(f, "net:"); ok && !strings.Contains(key, "option") {
					other[t] = true
				}
			}
		}
	}
	for _, t := range need {
		if other[t] || len(vendor[t]) == 0 {
			continue
		}
		phone := false
		for _, s := range vendor[t] {
			for _, vc := range dhcpconf.CiscoPhoneVendorClasses {
				phone = phone || strings.Contains(vc, s)
			}
		}
		if !phone {
			return dhcpconf.No
		}
	}
	return dhcpconf.Unknown
}
