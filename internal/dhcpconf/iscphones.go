package dhcpconf

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/isc"
)

// This file judges, for a 79x0 phone's DHCP request (option 60 one of
// CiscoPhoneVendorClasses, option 61 absent or type 1 and its MAC), the
// dhcpd.conf scopes iscclass.go does not: host entries by client
// identifier, if/elsif/else blocks, a class that overrides a wider
// setting for every phone, and the booting flag that makes dhcpd ignore
// the phones.

// hostNoPhone says why no 79x0 can match the host declaration at i (""
// when one may). dhcpd matches a host by the client identifier it gives
// (option dhcp-client-identifier, or host-identifier option
// dhcp-client-identifier) or else by its hardware address (dhcpd.conf(5),
// "host"): a host without a hardware statement whose identifier is not
// type 1 (Ethernet) and a six-byte MAC (RFC 2132 9.14) matches no phone.
// Cisco's Nexus POAP host entries ("\000SAL..." with the switch's serial,
// Nexus 9000 NX-OS Fundamentals Configuration Guide, "Setting up the DHCP
// Server without DNS for POAP") are such hosts.
func hostNoPhone(stmts []isc.Stmt, i int) string {
	id := ""
	for _, k := range isc.Children(stmts, i) {
		c := stmts[k]
		if c.Block {
			continue
		}
		w := c.Words
		switch {
		case c.Word(0) == "hardware":
			return ""
		case c.Word(0) == "host-identifier" && c.Word(1) == "option" && len(w) >= 4:
			if c.Word(2) != "dhcp-client-identifier" && c.Word(2) != "dhcp.dhcp-client-identifier" {
				return "" // agent.circuit-id and the like: a phone may sit behind it
			}
			w = w[3:]
		case c.Word(0) == "option" && (c.Word(1) == "dhcp-client-identifier" || c.Word(1) == "dhcp.dhcp-client-identifier") && len(w) >= 3:
			w = w[2:]
		default:
			continue
		}
		b, ok := iscData(w[0])
		if !ok || len(w) != 1 {
			return ""
		}
		if len(b) == 7 && b[0] == 1 {
			return "" // an Ethernet MAC: may be a phone's
		}
		id = c.Text()
	}
	if id == "" {
		return ""
	}
	return fmt.Sprintf("host %s (%s:%d) is matched by its client identifier alone (%s), which is not type 1 and a MAC as a 79x0's would be", stmts[i].Word(1), stmts[i].File, stmts[i].Line, id)
}

// iscData reads a dhcpd data constant: a quoted string with its escapes
// (\ooo octal, \xHH, \t, \n, \r, \\, \") or colon-separated hex bytes.
func iscData(t isc.Token) ([]byte, bool) {
	if t.Kind == isc.Word {
		var b []byte
		for _, h := range strings.Split(t.Text, ":") {
			v, err := strconv.ParseUint(h, 16, 8)
			if err != nil || len(h) == 0 || len(h) > 2 {
				return nil, false
			}
			b = append(b, byte(v))
		}
		return b, true
	}
	if t.Kind != isc.String {
		return nil, false
	}
	s := t.Text
	var b []byte
	for j := 0; j < len(s); j++ {
		if s[j] != '\\' || j+1 == len(s) {
			b = append(b, s[j])
			continue
		}
		j++
		switch c := s[j]; {
		case c >= '0' && c <= '7':
			n := 0
			k := j
			for ; k < len(s) && k < j+3 && s[k] >= '0' && s[k] <= '7'; k++ {
				n = n*8 + int(s[k]-'0')
			}
			b = append(b, byte(n))
			j = k - 1
		case c == 'x':
			k := j + 1
			for k < len(s) && k < j+3 && strings.IndexByte("0123456789abcdefABCDEF", s[k]) >= 0 {
				k++
			}
			v, err := strconv.ParseUint(s[j+1:k], 16, 8)
			if err != nil {
				return nil, false
			}
			b = append(b, byte(v))
			j = k - 1
		case c == 't':
			b = append(b, '\t')
		case c == 'n':
			b = append(b, '\n')
		case c == 'r':
			b = append(b, '\r')
		default:
			b = append(b, c)
		}
	}
	return b, true
}

// ifChain lists the if, elsif and else blocks of the chain that the
// block at i belongs to, in order, and i's place in it.
func ifChain(stmts []isc.Stmt, i int) (chain []int, at int) {
	start := i
	for start >= 0 && stmts[start].Word(0) != "if" {
		// the block before start among its siblings
		prev := -1
		for k := start - 1; k >= 0 && stmts[k].Depth >= stmts[start].Depth; k-- {
			if stmts[k].Parent == stmts[start].Parent {
				prev = k
				break
			}
		}
		if prev < 0 || !stmts[prev].Block || !isBranch(stmts[prev]) {
			return []int{i}, 0
		}
		start = prev
	}
	for k := start; k >= 0; {
		chain = append(chain, k)
		if k == i {
			at = len(chain) - 1
		}
		next := -1
		for j := k + 1; j < len(stmts) && stmts[j].Depth >= stmts[k].Depth; j++ {
			if stmts[j].Parent == stmts[k].Parent {
				next = j
				break
			}
		}
		if next < 0 || !stmts[next].Block || stmts[next].Word(0) == "if" || !isBranch(stmts[next]) {
			break
		}
		k = next
	}
	return chain, at
}

func isBranch(s isc.Stmt) bool {
	w := s.Word(0)
	return w == "if" || w == "elsif" || w == "else"
}

// branchCond is the condition tokens of an if or elsif block (an "else
// if" too); ok is false for a plain else.
func branchCond(s isc.Stmt) ([]isc.Token, bool) {
	switch {
	case s.Word(0) == "if" || s.Word(0) == "elsif":
		return s.Words[1:], true
	case s.Word(0) == "else" && s.Word(1) == "if":
		return s.Words[2:], true
	}
	return nil, false
}

// branchHoldsPhones says whether a 79x0's request enters the if, elsif or
// else block at i (dhcp-eval(5), "CONDITIONAL BEHAVIOUR": the first
// branch whose condition is true): its condition must hold and every
// earlier one fail. Conditions are read as iscToKeaTest reads a class's
// match; one it cannot read is Unknown. every: Yes only when every
// phone's option 60 enters (else Yes when any does).
func branchHoldsPhones(stmts []isc.Stmt, i int, classes map[string]map[string]any, every bool) Tri {
	cl, enters := branchEval(stmts, i, classes)
	return perPhone(every, enters, cl)
}

// branchEval returns classes with the conditions of i's chain added, and
// whether one request (a keaEval over those classes) enters block i.
func branchEval(stmts []isc.Stmt, i int, classes map[string]map[string]any) (map[string]map[string]any, func(keaEval) Tri) {
	chain, at := ifChain(stmts, i)
	cl := maps.Clone(classes)
	names := make([]string, len(chain))
	for n, k := range chain {
		toks, ok := branchCond(stmts[k])
		if !ok {
			continue
		}
		names[n] = fmt.Sprintf("\x00branch%d.%d", i, n)
		c := map[string]any{}
		if t, ok := iscToKeaTest(toks); ok {
			c["test"] = t
		}
		cl[names[n]] = c
	}
	return cl, func(e keaEval) Tri {
		cond := func(n int) Tri {
			if names[n] == "" {
				return Yes // a plain else
			}
			return e.member(names[n], 0)
		}
		enter := cond(at)
		for n := 0; n < at; n++ {
			enter = enter.and(cond(n).not())
		}
		return enter
	}
}

// perPhone evaluates f for each of CiscoPhoneVendorClasses: with every,
// Yes when all say Yes, No when any says No; else Yes when any says Yes,
// No when all say No.
func perPhone(every bool, f func(keaEval) Tri, classes map[string]map[string]any) Tri {
	res := No
	if every {
		res = Yes
	}
	for _, vc := range CiscoPhoneVendorClasses {
		t := f(keaEval{classes: classes, opt60: vc, memo: map[string]Tri{}, busy: map[string]bool{}})
		if every {
			res = res.and(t)
		} else {
			res = res.or(t)
		}
	}
	return res
}

// classHoldsEveryPhone: every 79x0's request is a member of class name
// (its match admits each of CiscoPhoneVendorClasses).
func classHoldsEveryPhone(classes map[string]map[string]any, name string) bool {
	return perPhone(true, func(e keaEval) Tri { return e.member(name, 0) }, classes) == Yes
}

// phonesIn lists the phone models (of CiscoPhoneVendorClasses, by option
// 60) whose request is surely inside every block around statement i: each
// a class whose match it meets, or an if, elsif or else branch it enters;
// what names the innermost such block for messages ("" at global scope,
// where every request is).
func phonesIn(stmts []isc.Stmt, i int, classes map[string]map[string]any) (models []string, what string) {
	type step func(keaEval) Tri
	var steps []step
	cl := classes
	for p := stmts[i].Parent; p >= 0; p = stmts[p].Parent {
		s := stmts[p]
		switch {
		case s.Word(0) == "class":
			name := s.Word(1)
			steps = append(steps, func(e keaEval) Tri { return e.member(name, 0) })
		case isBranch(s):
			var f func(keaEval) Tri
			cl, f = branchEval(stmts, p, cl)
			steps = append(steps, f)
		default:
			return nil, ""
		}
		if what == "" {
			what = fmt.Sprintf("the %s block at %s:%d", s.Word(0), s.File, s.Line)
			if s.Word(0) == "class" {
				what = fmt.Sprintf("class %q (%s:%d)", s.Word(1), s.File, s.Line)
			}
		}
	}
	for _, vc := range CiscoPhoneVendorClasses {
		e := keaEval{classes: cl, opt60: vc, memo: map[string]Tri{}, busy: map[string]bool{}}
		in := true
		for _, f := range steps {
			in = in && f(e) == Yes
		}
		if in {
			models = append(models, vc)
		}
	}
	return models, what
}

// OverriddenForPhones says why no 79x0 receives st ("" when one may):
// a class every phone joins sets the same option to a value good
// accepts, and st stands in a scope dhcpd applies before the class's:
// global, shared-network, subnet, pool, group or an if block among them.
// dhcpd evaluates a lease's statements subnet (with its shared-network,
// groups and the global scope around it) first, then the pool, then the
// client's classes, then its host (ISC DHCP server/dhcp.c, ack_lease), so
// a class's "option" (or "supersede") wins over all of those; a "default"
// there would not, and a host's own setting is judged on its own.
func (in *Inspection) OverriddenForPhones(st Setting, good func(Setting) bool) string {
	if in == nil || in.Config == nil || st.index < 0 || st.index >= len(in.Config.Stmts) {
		return ""
	}
	stmts := in.Config.Stmts
	for p := stmts[st.index].Parent; p >= 0; p = stmts[p].Parent {
		if w := stmts[p].Word(0); w == "class" || w == "subclass" || w == "host" {
			return ""
		}
	}
	classes := iscClasses(stmts)
	for _, o := range append(append([]Setting(nil), in.Settings...), in.Block...) {
		if o.Option != st.Option || o.index == st.index || !good(o) {
			continue
		}
		if c := in.everyPhonesClass(o, classes); c >= 0 {
			return fmt.Sprintf("class %q (%s:%d), which every 79x0 joins, sets %s at %s, and dhcpd applies a class's options after this scope's", stmts[c].Word(1), stmts[c].File, stmts[c].Line, o.Value(), o.Where())
		}
	}
	return ""
}

// everyPhonesClass is the class that o, an "option" or "supersede"
// statement directly in it, gives every 79x0 (a class whose match each
// phone's request meets); -1 when o is not such a setting.
func (in *Inspection) everyPhonesClass(o Setting, classes map[string]map[string]any) int {
	stmts := in.Config.Stmts
	s := stmts[o.index]
	if w := s.Word(0); w != "option" && w != "supersede" {
		return -1
	}
	c := s.Parent
	if c < 0 || stmts[c].Word(0) != "class" || !classHoldsEveryPhone(classes, stmts[c].Word(1)) {
		return -1
	}
	return c
}

// PhonesClassGives reports whether a class every 79x0 joins sets option
// (150 or 66) to a value good accepts: then every phone receives that,
// whatever the global, subnet or pool scopes say (OverriddenForPhones).
func (in *Inspection) PhonesClassGives(option int, good func(Setting) bool) bool {
	classes := iscClasses(in.Config.Stmts)
	for _, o := range in.Settings {
		if o.Option == option && good(o) && in.everyPhonesClass(o, classes) >= 0 {
			return true
		}
	}
	return false
}

// bootingDenied reports whether s is "deny booting" or "ignore booting":
// dhcpd answers no request it applies to (dhcpd.conf(5), "The booting
// keyword"; the flag is read from every scope of the request, class
// scopes included, ISC DHCP server/dhcp.c "booting disallowed").
func bootingDenied(s isc.Stmt) bool {
	return !s.Block && len(s.Words) == 2 && (s.Word(0) == "deny" || s.Word(0) == "ignore") && s.Word(1) == "booting"
}

// RefusesPhones lists the statements that make dhcpd answer no 79x0
// phone (or none of one model), each as "file:line: what, why": "deny
// booting" or "ignore booting" at global scope, or in a class (or if
// block) a phone's request is surely in (a class matching the phones'
// option 60; phonesIn). An "allow
// booting" anywhere outside a host may undo it for them and is not
// weighed: then nothing is listed. A host's own flag concerns one MAC
// (HostRefuses).
func (in *Inspection) RefusesPhones() []string {
	stmts := in.Config.Stmts
	for i, s := range stmts {
		if !s.Block && s.Word(0) == "allow" && s.Word(1) == "booting" && !in.inBlock(i) && !inHost(stmts, i) {
			return nil
		}
	}
	classes := iscClasses(stmts)
	var out []string
	for i, s := range stmts {
		if !bootingDenied(s) || in.inBlock(i) {
			continue
		}
		models, why := phonesIn(stmts, i, classes)
		switch {
		case len(models) == 0:
			continue
		case why == "":
			out = append(out, fmt.Sprintf("%s:%d: %s at global scope: dhcpd answers no client at all, no 79x0 phone either", s.File, s.Line, s.Text()))
			continue
		}
		which := fmt.Sprintf("every 79x0's request meets (option 60 %q)", models[0])
		if len(models) < len(CiscoPhoneVendorClasses) {
			which = fmt.Sprintf("a 79x0's request with option 60 %q meets", strings.Join(models, `" or "`))
		}
		out = append(out, fmt.Sprintf("%s:%d: %s in %s, whose match %s: dhcpd answers no such phone, which gets no address and no option 150", s.File, s.Line, s.Text(), why, which))
	}
	return out
}

func inHost(stmts []isc.Stmt, i int) bool {
	for p := stmts[i].Parent; p >= 0; p = stmts[p].Parent {
		if stmts[p].Word(0) == "host" {
			return true
		}
	}
	return false
}

// hostRefuses is the "deny booting" or "ignore booting" statement that
// applies to the host declared at h: in the host or a group around it
// (-1: none).
func hostRefuses(stmts []isc.Stmt, h int) int {
	for p := h; p >= 0; p = stmts[p].Parent {
		for _, k := range isc.Children(stmts, p) {
			if bootingDenied(stmts[k]) {
				return k
			}
		}
	}
	return -1
}

// RefusedPhones names each of macs (phones' MACs, in any form ParseMAC
// reads) whose own host entry outside our block is refused by "deny
// booting" or "ignore booting" in it or a group around it (hostRefuses):
// dhcpd never answers that phone. Each entry is "file:line: statement
// applies to host NAME (file:line), phone MAC's entry"; the rule
// setup-dhcp --merge --reservations refuses a run by.
func (in *Inspection) RefusedPhones(macs []string) []string {
	want := map[string]string{}
	for _, m := range macs {
		if hw, err := ParseMAC(m); err == nil {
			want[hw.String()] = strings.ToUpper(strings.ReplaceAll(hw.String(), ":", ""))
		}
	}
	stmts := in.Config.Stmts
	var out []string
	for i, s := range stmts {
		if in.inBlock(i) || s.Block || s.Word(0) != "hardware" || s.Word(1) != "ethernet" || s.Parent < 0 || stmts[s.Parent].Word(0) != "host" {
			continue
		}
		hw, err := parseISCMAC(s.Word(2))
		if err != nil || want[hw.String()] == "" {
			continue
		}
		if k := hostRefuses(stmts, s.Parent); k >= 0 {
			f, h := stmts[k], stmts[s.Parent]
			out = append(out, fmt.Sprintf("%s:%d: %s applies to host %s (%s:%d), phone %s's entry", f.File, f.Line, f.Text(), h.Word(1), s.File, s.Line, want[hw.String()]))
		}
	}
	return out
}
