package dialplan

import (
	"fmt"
	"math/bits"
	"strings"
)

// class is a set of keypad symbols: bits 0-9 the digits, then '*', '#'
// and '+' (which FreePBX allows in patterns but a phone keypad cannot
// send).
type class uint16

const (
	symStar = 10
	symHash = 11
	symPlus = 12

	digits class = 1<<10 - 1
	// keypad is everything the phone's '.' matches: a digit, '*' or '#'
	// (CUCM-DIALRULES: a dialled * is matched by both '.' and '*').
	keypad class = digits | 1<<symStar | 1<<symHash
)

func symbol(r byte) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r == '*':
		return symStar, true
	case r == '#':
		return symHash, true
	case r == '+':
		return symPlus, true
	}
	return 0, false
}

func symChar(s int) byte {
	switch s {
	case symStar:
		return '*'
	case symHash:
		return '#'
	case symPlus:
		return '+'
	}
	return byte('0' + s)
}

func (c class) size() int      { return bits.OnesCount16(uint16(c)) }
func (c class) single() bool   { return c.size() == 1 }
func (c class) first() int     { return bits.TrailingZeros16(uint16(c)) }
func (c class) has(s int) bool { return c&(1<<s) != 0 }

// members lists the symbols of c in keypad order.
func (c class) members() []int {
	var out []int
	for s := 0; s <= symPlus; s++ {
		if c.has(s) {
			out = append(out, s)
		}
	}
	return out
}

// tail is what may follow a pattern's fixed part.
type tail int

const (
	tailNone       tail = iota
	tailOneOrMore       // Asterisk '.': one or more of anything
	tailZeroOrMore      // Asterisk '!': zero or more of anything
)

// pattern is an Asterisk extension pattern as a sequence of classes and a
// tail. Asterisk's syntax (doc.asterisk.org "Pattern Matching"): X 0-9,
// Z 1-9, N 2-9, [..] a set of digits and ranges, '.' one or more and '!'
// zero or more characters (both end the pattern), '-' ignored, anything
// else literal. FreePBX keeps only 0-9 * # + - . [ ] X N Z in route
// patterns (core Components/Outboundrouting.php updatePatterns).
type pattern struct {
	fixed []class
	tail  tail
}

func parsePattern(s string) (pattern, error) {
	var p pattern
	s = strings.TrimPrefix(s, "_")
	for i := 0; i < len(s); i++ {
		if p.tail != tailNone {
			return p, fmt.Errorf("%q: %q after the end of the pattern", s, s[i])
		}
		switch r := s[i]; {
		case r == '-' || r == ' ':
		case r == 'X' || r == 'x':
			p.fixed = append(p.fixed, digits)
		case r == 'Z' || r == 'z':
			p.fixed = append(p.fixed, digits&^1)
		case r == 'N' || r == 'n':
			p.fixed = append(p.fixed, digits&^3)
		case r == '.':
			p.tail = tailOneOrMore
		case r == '!':
			p.tail = tailZeroOrMore
		case r == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return p, fmt.Errorf("%q: '[' without ']'", s)
			}
			c, err := parseSet(s[i+1 : i+end])
			if err != nil {
				return p, fmt.Errorf("%q: %v", s, err)
			}
			p.fixed = append(p.fixed, c)
			i += end
		default:
			sym, ok := symbol(r)
			if !ok {
				return p, fmt.Errorf("%q: %q is not pattern syntax (0-9 * # + X Z N [ ] . !)", s, r)
			}
			p.fixed = append(p.fixed, 1<<sym)
		}
	}
	if len(p.fixed) == 0 && p.tail == tailNone {
		return p, fmt.Errorf("empty pattern")
	}
	return p, nil
}

// parseSet reads the inside of [...]: symbols and ranges a-b.
func parseSet(s string) (class, error) {
	var c class
	for i := 0; i < len(s); i++ {
		lo, ok := symbol(s[i])
		if !ok {
			return 0, fmt.Errorf("[%s]: %q in a set", s, s[i])
		}
		if i+2 < len(s) && s[i+1] == '-' {
			hi, ok := symbol(s[i+2])
			if !ok || lo > 9 || hi > 9 || hi < lo {
				return 0, fmt.Errorf("[%s]: bad range %s", s, s[i:i+3])
			}
			for d := lo; d <= hi; d++ {
				c |= 1 << d
			}
			i += 2
			continue
		}
		c |= 1 << lo
	}
	if c == 0 {
		return 0, fmt.Errorf("empty set []")
	}
	return c, nil
}

// literal is a pattern of exactly the string s.
func literal(s string) (pattern, bool) {
	var p pattern
	for i := 0; i < len(s); i++ {
		sym, ok := symbol(s[i])
		if !ok {
			return p, false
		}
		p.fixed = append(p.fixed, 1<<sym)
	}
	return p, len(s) > 0
}

// at is the class of position i for numbers long enough to have one.
func (p pattern) at(i int) class {
	if i < len(p.fixed) {
		return p.fixed[i]
	}
	return keypad | 1<<symPlus
}

// longerThan says whether the pattern has numbers longer than n.
func (p pattern) longerThan(n int) bool {
	return p.tail != tailNone || len(p.fixed) > n
}

// typeable says whether every position can be typed on the keypad.
func (p pattern) typeable() bool {
	for _, c := range p.fixed {
		if c&keypad == 0 {
			return false
		}
	}
	return true
}
