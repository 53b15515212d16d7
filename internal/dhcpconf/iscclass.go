package dhcpconf

import (
	"fmt"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/isc"
)

// iscNoPhone says why no 79x0 can receive the setting at index i of stmts
// ("" when one may): an enclosing class whose "match if" admits no
// request with a 79x0's option 60 (CiscoPhoneVendorClasses), or an
// enclosing pool whose permit list lets no such request in (dhcpd.conf(5)
// "PERMIT LISTS": an allow list admits only what it names; "deny members
// of" a class every phone joins). A class judged so is another vendor's
// (Juniper's zero-touch "match if substring(option
// vendor-class-identifier, 0, 7) = \"Juniper\""), and its option 150 is
// its own. So are an if, elsif or else block no phone's request enters
// (PXE's "if substring(option vendor-class-identifier, 0, 9) =
// \"PXEClient\""; branchHoldsPhones) and a host matched by a client
// identifier no phone sends (Nexus POAP; hostNoPhone). What cannot be told
// (a class filled by subclass or host entries, a test on the MAC or relay
// options) counts as reaching phones.
func iscNoPhone(stmts []isc.Stmt, i int) string {
	classes := iscClasses(stmts)
	for p := stmts[i].Parent; p >= 0; p = stmts[p].Parent {
		s := stmts[p]
		switch {
		case s.Block && s.Word(0) == "class":
			if KeaClassHoldsPhones(classes, s.Word(1)) == No {
				return fmt.Sprintf("class %q (%s:%d) matches no 79x0's request (option 60 %q)", s.Word(1), s.File, s.Line, CiscoPhoneVendorClasses[0])
			}
		case s.Block && s.Word(0) == "pool":
			if poolHoldsPhones(stmts, p, classes) == No {
				return fmt.Sprintf("the pool at %s:%d admits no 79x0 (its permit list)", s.File, s.Line)
			}
		case s.Block && s.Word(0) == "host":
			if why := hostNoPhone(stmts, p); why != "" {
				return why
			}
		case s.Block && isBranch(s):
			if branchHoldsPhones(stmts, p, classes, false) == No {
				return fmt.Sprintf("no 79x0's request (option 60 %q) enters the %s block at %s:%d", CiscoPhoneVendorClasses[0], s.Word(0), s.File, s.Line)
			}
		}
	}
	return ""
}

// NoPhone says why no 79x0 can receive st, a setting of this dhcpd.conf
// ("" when one may), by iscNoPhone's rule: what setup-dhcp --merge leaves
// alone as another vendor's, and doctor with it.
func (in *Inspection) NoPhone(st Setting) string {
	if in == nil || in.Config == nil || st.index < 0 || st.index >= len(in.Config.Stmts) {
		return ""
	}
	return iscNoPhone(in.Config.Stmts, st.index)
}

// iscClasses gives each class of stmts a Kea-syntax test translated from
// its "match if" (dhcp-eval(5)), so that KeaClassHoldsPhones judges both
// servers' classes alike; a class without one, or with what the
// translation does not know, gets no test (Unknown).
func iscClasses(stmts []isc.Stmt) map[string]map[string]any {
	out := map[string]map[string]any{}
	for i, s := range stmts {
		if !s.Block || s.Word(0) != "class" {
			continue
		}
		c := map[string]any{}
		for _, k := range isc.Children(stmts, i) {
			m := stmts[k]
			if m.Block || m.Word(0) != "match" || m.Word(1) != "if" {
				continue
			}
			if t, ok := iscToKeaTest(m.Words[2:]); ok {
				c["test"] = t
			}
		}
		out[s.Word(1)] = c
	}
	return out
}

// iscToKeaTest writes a dhcpd "match if" expression in Kea's test syntax:
// "option NAME" is option[CODE].hex (vendor-class-identifier is 60),
// "exists NAME" option[CODE].exists, "=" "==", "quoted" 'quoted'; and,
// or, not, parentheses, substring and numbers are the same in both.
// Anything else (suffix, !=, ~=, hardware, packet, binary-to-ascii) is not
// translated: ok false.
func iscToKeaTest(toks []isc.Token) (string, bool) {
	optRef := func(name string) string {
		name = strings.TrimPrefix(name, "dhcp.")
		if name == "vendor-class-identifier" {
			return "option[60]"
		}
		return "option[" + name + "]"
	}
	// dhcpd's lexer keeps "substring(option" one word: split it at the
	// parentheses.
	var ws []isc.Token
	for _, t := range toks {
		if t.Kind != isc.Word {
			ws = append(ws, t)
			continue
		}
		cur := ""
		for _, c := range t.Text {
			if c == '(' || c == ')' {
				if cur != "" {
					ws = append(ws, isc.Token{Kind: isc.Word, Text: cur})
				}
				ws = append(ws, isc.Token{Kind: isc.Punct, Text: string(c)})
				cur = ""
				continue
			}
			cur += string(c)
		}
		if cur != "" {
			ws = append(ws, isc.Token{Kind: isc.Word, Text: cur})
		}
	}
	var b []string
	for j := 0; j < len(ws); j++ {
		w := ws[j]
		switch {
		case w.Kind == isc.String:
			if strings.ContainsAny(w.Text, "'\\") {
				return "", false
			}
			b = append(b, "'"+w.Text+"'")
		case w.Text == "=" && w.Kind == isc.Punct:
			b = append(b, "==")
		case w.Text == "option" && j+1 < len(ws) && ws[j+1].Kind == isc.Word:
			j++
			b = append(b, optRef(ws[j].Text)+".hex")
		case w.Text == "exists" && j+1 < len(ws) && ws[j+1].Kind == isc.Word:
			j++
			b = append(b, optRef(ws[j].Text)+".exists")
		case w.Text == "and" || w.Text == "or" || w.Text == "not" || w.Text == "substring" ||
			w.Text == "(" || w.Text == ")" || w.Text == ",":
			b = append(b, w.Text)
		case w.Text != "" && w.Text[0] >= '0' && w.Text[0] <= '9' && strings.Trim(w.Text, "0123456789") == "":
			b = append(b, w.Text)
		default:
			return "", false
		}
	}
	return strings.Join(b, " "), len(b) > 0
}

// poolHoldsPhones judges a pool's permit list for a 79x0's request: No
// when a "deny" names all clients or a class every phone joins, or when
// its "allow" entries all name classes no phone joins; Unknown where an
// entry rests on what a request alone does not tell (known-clients,
// dynamic bootp, authenticated).
func poolHoldsPhones(stmts []isc.Stmt, i int, classes map[string]map[string]any) Tri {
	allows, anyAllow := No, false
	for _, p := range poolPermits(stmts, i) {
		c := stmts[p.stmt]
		var t Tri
		switch {
		case p.what == "all clients":
			t = Yes
		case strings.HasPrefix(p.what, "members of ") && len(c.Words) == 4:
			t = KeaClassHoldsPhones(classes, c.Word(3))
		default:
			t = Unknown
		}
		if p.deny {
			if t == Yes {
				return No
			}
			continue
		}
		anyAllow = true
		allows = allows.or(t)
	}
	if !anyAllow {
		return Yes
	}
	return allows
}
