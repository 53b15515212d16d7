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
