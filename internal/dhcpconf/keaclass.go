package dhcpconf

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
)

// CiscoPhoneVendorClasses are the vendor class identifiers (DHCP option
// 60) 79x0 phones send, "Cisco Systems, Inc. IP Phone CP-79x0G" (the same
// string Kea's automatic class VENDOR_CLASS_<option 60> takes). The
// non-G names of the first 7940/7960 are listed too: a test that admits
// any of them admits phones.
var CiscoPhoneVendorClasses = []string{
	"Cisco Systems, Inc. IP Phone CP-7960G",
	"Cisco Systems, Inc. IP Phone CP-7940G",
	"Cisco Systems, Inc. IP Phone CP-7960",
	"Cisco Systems, Inc. IP Phone CP-7940",
}

// Tri is a three-valued answer: yes, no, or cannot tell.
type Tri int

const (
	Unknown Tri = iota
	Yes
	No
)

func (t Tri) and(u Tri) Tri {
	switch {
	case t == No || u == No:
		return No
	case t == Yes && u == Yes:
		return Yes
	}
	return Unknown
}

func (t Tri) or(u Tri) Tri {
	switch {
	case t == Yes || u == Yes:
		return Yes
	case t == No && u == No:
		return No
	}
	return Unknown
}

func (t Tri) not() Tri {
	switch t {
	case Yes:
		return No
	case No:
		return Yes
	}
	return Unknown
}

// KeaClassHoldsPhones says whether a 79x0 phone's DHCP request can be a
// member of the Kea client class name, as Kea classifies it (Kea ARM,
// "Client Classification" and "Using Expressions in Classification"):
// Kea's automatic VENDOR_CLASS_<option 60> class, the class's "test"
// evaluated on a request whose option 60 is each of
// CiscoPhoneVendorClasses, member() of other classes of classes followed.
// Yes when the test admits a phone, No only when it shows that none is
// admitted; Unknown when it rests on what this cannot know (the MAC,
// relay options, hooks, host reservations: a class with no test gets its
// members from reservations or hooks). classes maps each class name of
// the file to its map.
func KeaClassHoldsPhones(classes map[string]map[string]any, name string) Tri {
	res := No
	for _, vc := range CiscoPhoneVendorClasses {
		e := keaEval{classes: classes, opt60: vc, memo: map[string]Tri{}, busy: map[string]bool{}}
		res = res.or(e.member(name, 0))
		if res == Yes {
			break
		}
	}
	return res
}

// KeaClassHoldsAllPhones says whether every 79x0's request (each of
// CiscoPhoneVendorClasses) is a member of the class name, as
// KeaClassHoldsPhones judges one.
func KeaClassHoldsAllPhones(classes map[string]map[string]any, name string) bool {
	for _, vc := range CiscoPhoneVendorClasses {
		e := keaEval{classes: classes, opt60: vc, memo: map[string]Tri{}, busy: map[string]bool{}}
		if e.member(name, 0) != Yes {
			return false
		}
	}
	return true
}

// keaClassPhoneModels lists the option 60 strings of CiscoPhoneVendorClasses
// whose requests are surely members of the class name.
func keaClassPhoneModels(classes map[string]map[string]any, name string) []string {
	var out []string
	for _, vc := range CiscoPhoneVendorClasses {
		e := keaEval{classes: classes, opt60: vc, memo: map[string]Tri{}, busy: map[string]bool{}}
		if e.member(name, 0) == Yes {
			out = append(out, vc)
		}
	}
	return out
}

// keaClassAdmitsUnreserved is KeaClassHoldsPhones for a phone with no
// host reservation: not a member of the built-in class KNOWN, a member
// of UNKNOWN (Kea ARM, "Client Classification": KNOWN holds the clients
// with a reservation).
func keaClassAdmitsUnreserved(classes map[string]map[string]any, name string) Tri {
	res := No
	for _, vc := range CiscoPhoneVendorClasses {
		e := keaEval{classes: classes, opt60: vc, memo: map[string]Tri{}, busy: map[string]bool{}, unreserved: true}
		res = res.or(e.member(name, 0))
		if res == Yes {
			break
		}
	}
	return res
}

// keaEval evaluates Kea's classification expressions for one request.
type keaEval struct {
	classes map[string]map[string]any
	opt60   string
	// unreserved: the request is of a client without a host
	// reservation (KNOWN no, UNKNOWN yes); otherwise either is unknown.
	unreserved bool
	memo       map[string]Tri  // each class judged once
	busy       map[string]bool // classes being judged: a loop reads as Unknown
}

func (e keaEval) member(name string, depth int) Tri {
	switch {
	case name == "ALL":
		return Yes
	case name == "BOOTP":
		return No // the phones use DHCP
	case name == "KNOWN" && e.unreserved:
		return No
	case name == "UNKNOWN" && e.unreserved:
		return Yes
	case strings.HasPrefix(name, "VENDOR_CLASS_"):
		if strings.TrimPrefix(name, "VENDOR_CLASS_") == e.opt60 {
			return Yes
		}
		return No
	}
	c, ok := e.classes[name]
	if !ok || depth > 16 || e.busy[name] {
		return Unknown // KNOWN, UNKNOWN, HA_*, a hook's class, or a loop
	}
	if t, ok := e.memo[name]; ok {
		return t
	}
	test, ok := c["test"].(string)
	if !ok || strings.TrimSpace(test) == "" {
		return Unknown
	}
	e.busy[name] = true
	p := keaParser{e: e, depth: depth + 1, toks: keaTokens(test)}
	t, ok := p.boolExpr()
	if !ok || p.i != len(p.toks) {
		t = Unknown
	}
	delete(e.busy, name)
	e.memo[name] = t
	return t
}

// keaParser reads a test expression (Kea's src/lib/eval/parser.yy: bool
// expressions of ==, and, or, not, member(), option[].exists; string
// expressions of literals, option[].hex/.text, substring, concat,
// ifelse) and evaluates it as it goes. What it does not know (pkt4.mac,
// relay4[], vendor[], split, ...) is read past and valued Unknown.
type keaParser struct {
	e     keaEval
	depth int
	toks  []string
	i     int
}

// keaVal is a string expression's value; ok false when not known.
type keaVal struct {
	s  string
	ok bool
}

func (p *keaParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *keaParser) next() string {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

func (p *keaParser) expect(t string) bool {
	if p.peek() != t {
		return false
	}
	p.i++
	return true
}

func (p *keaParser) boolExpr() (Tri, bool) {
	t, ok := p.andExpr()
	for ok && p.peek() == "or" {
		p.next()
		var u Tri
		u, ok = p.andExpr()
		t = t.or(u)
	}
	return t, ok
}

func (p *keaParser) andExpr() (Tri, bool) {
	t, ok := p.unary()
	for ok && p.peek() == "and" {
		p.next()
		var u Tri
		u, ok = p.unary()
		t = t.and(u)
	}
	return t, ok
}

func (p *keaParser) unary() (Tri, bool) {
	switch p.peek() {
	case "not":
		p.next()
		t, ok := p.unary()
		return t.not(), ok
	case "(":
		p.next()
		t, ok := p.boolExpr()
		return t, ok && p.expect(")")
	case "member":
		p.next()
		if !p.expect("(") {
			return Unknown, false
		}
		name, ok := unquote(p.next())
		if !ok || !p.expect(")") {
			return Unknown, false
		}
		return p.e.member(name, p.depth), true
	case "true":
		p.next()
		return Yes, true
	case "false":
		p.next()
		return No, true
	}
	// option[N].exists, or string == string.
	start := p.i
	if p.peek() == "option" {
		code, ok := p.optionRef()
		if ok && p.peek() == "." && p.i+1 < len(p.toks) && p.toks[p.i+1] == "exists" {
			p.i += 2
			if code == 60 {
				return Yes, true
			}
			return Unknown, true
		}
		p.i = start
	}
	a, ok := p.strExpr()
	if !ok {
		return Unknown, false
	}
	if p.peek() != "==" {
		// A bool-valued thing this does not know (pkt4.* compared
		// another way, a newer function): read, not judged.
		return Unknown, true
	}
	p.next()
	b, ok := p.strExpr()
	if !ok {
		return Unknown, false
	}
	if !a.ok || !b.ok {
		return Unknown, true
	}
	if a.s == b.s {
		return Yes, true
	}
	return No, true
}

// optionRef reads option[code or name] and returns the code (-1 for a
// name other than vendor-class-identifier).
func (p *keaParser) optionRef() (int, bool) {
	p.next() // option
	if !p.expect("[") {
		return 0, false
	}
	t := p.next()
	if !p.expect("]") {
		return 0, false
	}
	if t == "vendor-class-identifier" {
		return 60, true
	}
	if n, err := strconv.Atoi(t); err == nil {
		return n, true
	}
	return -1, true
}

func (p *keaParser) strExpr() (keaVal, bool) {
	t := p.next()
	switch {
	case t == "":
		return keaVal{}, false
	case strings.HasPrefix(t, "'"):
		s, ok := unquote(t)
		return keaVal{s, true}, ok
	case strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X"):
		h := t[2:]
		if len(h)%2 == 1 {
			h = "0" + h
		}
		b, err := hex.DecodeString(h)
		return keaVal{string(b), err == nil}, err == nil
	case t[0] >= '0' && t[0] <= '9' || t[0] == '-' && len(t) > 1 && t[1] >= '0' && t[1] <= '9':
		if a, err := netip.ParseAddr(t); err == nil && a.Is4() {
			b := a.As4()
			return keaVal{string(b[:]), true}, true
		}
		// An integer literal: a string of its digits (as Kea's
		// substring arguments take it).
		return keaVal{t, true}, true
	case t == "option":
		p.i--
		code, ok := p.optionRef()
		if !ok || !p.expect(".") {
			return keaVal{}, false
		}
		switch p.next() {
		case "hex", "text":
			if code == 60 {
				return keaVal{p.e.opt60, true}, true
			}
			return keaVal{}, true
		}
		return keaVal{}, false
	case t == "substring":
		if !p.expect("(") {
			return keaVal{}, false
		}
		s, ok1 := p.strExpr()
		st, ok2 := p.intArg(true)
		ln, ok3 := p.intArg(false)
		if !ok1 || !ok2 || !ok3 || !p.expect(")") {
			return keaVal{}, false
		}
		if !s.ok || st == nil || ln == nil {
			return keaVal{}, true
		}
		return keaVal{keaSubstring(s.s, *st, *ln), true}, true
	case t == "concat":
		if !p.expect("(") {
			return keaVal{}, false
		}
		a, ok1 := p.strExpr()
		ok2 := p.expect(",")
		b, ok3 := p.strExpr()
		if !ok1 || !ok2 || !ok3 || !p.expect(")") {
			return keaVal{}, false
		}
		return keaVal{a.s + b.s, a.ok && b.ok}, true
	case t == "ifelse":
		if !p.expect("(") {
			return keaVal{}, false
		}
		c, ok1 := p.boolExpr()
		ok2 := p.expect(",")
		a, ok3 := p.strExpr()
		ok4 := p.expect(",")
		b, ok5 := p.strExpr()
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !p.expect(")") {
			return keaVal{}, false
		}
		switch c {
		case Yes:
			return a, true
		case No:
			return b, true
		}
		if a.ok && b.ok && a.s == b.s {
			return a, true
		}
		return keaVal{}, true
	}
	// Anything else (pkt4.mac, relay4[82].hex, hexstring(...), split(...),
	// vendor[...].enterprise, ...): its tokens are read, its value unknown.
	if !isWord(t) {
		return keaVal{}, false
	}
	for {
		switch p.peek() {
		case "[", "(":
			if !p.skipGroup() {
				return keaVal{}, false
			}
		case ".":
			p.next()
			if !isWord(p.next()) {
				return keaVal{}, false
			}
		default:
			return keaVal{}, true
		}
	}
}

// intArg reads substring's start (or its length, which may be 'all'):
// nil when not a known number.
func (p *keaParser) intArg(first bool) (*int, bool) {
	if !p.expect(",") {
		return nil, false
	}
	if !first && p.peek() == "all" {
		p.next()
		n := 1 << 30
		return &n, true
	}
	v, ok := p.strExpr()
	if !ok || !v.ok {
		return nil, ok
	}
	if !first && v.s == "all" {
		n := 1 << 30
		return &n, true
	}
	n, err := strconv.Atoi(v.s)
	if err != nil {
		return nil, true
	}
	return &n, true
}

// skipGroup reads a bracketed group whole.
func (p *keaParser) skipGroup() bool {
	depth := 0
	for {
		switch p.next() {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
			if depth == 0 {
				return true
			}
		case "":
			return false
		}
	}
}

// keaSubstring is Kea's substring(s, start, length) (Kea ARM,
// "Substring"; TokenSubstring in src/lib/eval/token.cc): a start outside
// the string gives "", a negative start counts from the end, a negative
// length takes the bytes before start.
func keaSubstring(s string, start, length int) string {
	n := len(s)
	if start >= n || start < -n {
		return ""
	}
	if start < 0 {
		start += n
	}
	if length < 0 {
		if -length <= start {
			return s[start+length : start]
		}
		return s[:start]
	}
	return s[start:min(start+min(length, n), n)]
}

func unquote(t string) (string, bool) {
	if len(t) >= 2 && t[0] == '\'' && t[len(t)-1] == '\'' {
		return t[1 : len(t)-1], true
	}
	return "", false
}

func isWord(t string) bool {
	if t == "" {
		return false
	}
	for _, c := range t {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// keaTokens splits an expression into Kea's tokens: 'quoted strings',
// ==, punctuation, and words (names, numbers, addresses, 0x hex).
func keaTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return append(out, s[i:]) // unterminated: unquote fails
			}
			out = append(out, s[i:i+j+2])
			i += j + 2
		case c == '=' && i+1 < len(s) && s[i+1] == '=':
			out = append(out, "==")
			i += 2
		case strings.IndexByte("()[],.", c) >= 0:
			out = append(out, string(c))
			i++
		default:
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '-' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' ||
				s[j] == '.' && j > i && s[i] >= '0' && s[i] <= '9') {
				j++
			}
			if j == i {
				j++ // a byte Kea does not take: its own token, which fails the parse
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}
