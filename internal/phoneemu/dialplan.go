package phoneemu

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// DialPlan is a parsed dialplan.xml, evaluated as the phone does.
//
// The phone's rules (Cisco SIP IP Phone Administrator Guide 6.x/7.x, "How
// to Create Dial Plans", p.3-22/3-23, and the 2.x guide p.2-18; CUCM Admin
// Guide OL-18611-01 ch. 40, pattern 7940_7960_OTHER): in MATCH '.' matches
// any one character, '*' one or more, '\*' is a literal star (a dialled
// star is matched by '.' and '*' too) and ',' only plays the secondary
// dial tone. Rules are matched from start to finish and the longest match
// is used, where matches against a wildcard do not count; a complete rule
// is taken only when it has more non-wildcard matches than every rule that
// is still incomplete. A complete rule with Timeout 0 dials at once; any
// other waits for more digits or its timeout.
type DialPlan struct {
	Rules []DialRule
}

// DialRule is one TEMPLATE.
type DialRule struct {
	Match   string
	Timeout int
	toks    []dtok
}

type dtok struct {
	kind byte // 'l' literal, '.' any one, '*' zero or more (after a '.')
	c    byte
}

// ParseDialPlan reads dialplan.xml. A TEMPLATE without MATCH or with a
// Timeout that is not a number is an error, as the phone would not use it.
func ParseDialPlan(data []byte) (DialPlan, error) {
	var doc struct {
		XMLName   xml.Name `xml:"DIALTEMPLATE"`
		Templates []struct {
			Match   string `xml:"MATCH,attr"`
			Timeout string `xml:"Timeout,attr"`
		} `xml:"TEMPLATE"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return DialPlan{}, fmt.Errorf("dialplan.xml: %w", err)
	}
	var p DialPlan
	for i, t := range doc.Templates {
		if t.Match == "" {
			return DialPlan{}, fmt.Errorf("dialplan.xml: TEMPLATE %d has no MATCH", i+1)
		}
		sec, err := strconv.Atoi(t.Timeout)
		if err != nil || sec < 0 {
			return DialPlan{}, fmt.Errorf("dialplan.xml: TEMPLATE %d (%s): Timeout %q is not a number of seconds", i+1, t.Match, t.Timeout)
		}
		r := DialRule{Match: t.Match, Timeout: sec}
		for j := 0; j < len(t.Match); j++ {
			switch c := t.Match[j]; c {
			case ',':
			case '.':
				r.toks = append(r.toks, dtok{kind: '.'})
			case '*':
				r.toks = append(r.toks, dtok{kind: '.'}, dtok{kind: '*'})
			case '\\':
				if j+1 < len(t.Match) {
					j++
					r.toks = append(r.toks, dtok{kind: 'l', c: t.Match[j]})
				}
			default:
				r.toks = append(r.toks, dtok{kind: 'l', c: c})
			}
		}
		p.Rules = append(p.Rules, r)
	}
	return p, nil
}

const noMatch = -1 << 20

// match returns the most literals with which the rule matches all of s
// (complete), and the most with which s is the start of a longer match
// (incomplete); noMatch when it does not.
func (r DialRule) match(s string) (complete, incomplete int) {
	n, m := len(r.toks), len(s)
	// full[i][j]: tokens i.. against s[j:] entirely; pre[i][j]: s[j:]
	// consumed by tokens i.. with at least one more character possible.
	full := make([][]int, n+1)
	pre := make([][]int, n+1)
	for i := range full {
		full[i] = make([]int, m+1)
		pre[i] = make([]int, m+1)
	}
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			f, p := noMatch, noMatch
			switch {
			case i == n:
				if j == m {
					f = 0
				}
			case j == m:
				p = 0 // tokens remain: the number can go on
				if r.toks[i].kind == '*' {
					f = full[i+1][j]
				}
			default:
				t := r.toks[i]
				switch t.kind {
				case 'l':
					if s[j] == t.c {
						f, p = 1+full[i+1][j+1], 1+pre[i+1][j+1]
					}
				case '.':
					f, p = full[i+1][j+1], pre[i+1][j+1]
				case '*':
					f, p = max(full[i+1][j], full[i][j+1]), max(pre[i+1][j], pre[i][j+1])
				}
			}
			if f < 0 {
				f = noMatch
			}
			if p < 0 {
				p = noMatch
			}
			full[i][j], pre[i][j] = f, p
		}
	}
	return full[0][0], pre[0][0]
}

// Decision is what the phone does after the digits typed so far.
type Decision struct {
	Now     bool // dials at once
	Rule    int  // index of the rule used, -1 for none
	Timeout int  // seconds it waits when not Now
}

// Decide applies the rules to the digits typed so far.
func (p DialPlan) Decide(s string) Decision {
	best, bestLit, inc := -1, noMatch, noMatch
	incRule := -1
	for i, r := range p.Rules {
		c, in := r.match(s)
		if c >= 0 {
			if c > bestLit {
				best, bestLit = i, c
			}
			continue
		}
		if in > inc {
			inc, incRule = in, i
		}
	}
	if best >= 0 && bestLit > inc {
		r := p.Rules[best]
		return Decision{Now: r.Timeout == 0, Rule: best, Timeout: r.Timeout}
	}
	if incRule >= 0 {
		return Decision{Rule: incRule, Timeout: p.Rules[incRule].Timeout}
	}
	return Decision{Rule: -1}
}

// Dial types number digit by digit and returns what the phone sends at
// once: number itself, a shorter start of it (dialled too early), or ""
// when it waits for the timeout or more digits.
func (p DialPlan) Dial(number string) string {
	for k := 1; k <= len(number); k++ {
		if p.Decide(number[:k]).Now {
			return number[:k]
		}
	}
	return ""
}

// String shows the rules, one per line.
func (p DialPlan) String() string {
	var b strings.Builder
	for _, r := range p.Rules {
		fmt.Fprintf(&b, "%s:%d\n", r.Match, r.Timeout)
	}
	return b.String()
}
