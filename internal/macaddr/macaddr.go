// Package macaddr parses the MAC address spellings admins type and stores
// them one way: 12 upper-case hex digits, the form Cisco 79x0 phones use in
// the file names they request (SIP<MAC>.cnf, SEP<MAC>.cnf.xml).
package macaddr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MAC is a normalised MAC address: 12 upper-case hex digits, no separators.
type MAC string

// Parse accepts 001122AABBCC, 00:11:22:aa:bb:cc, 00-11-22-AA-BB-CC,
// 0011.22aa.bbcc (Cisco IOS) and "SEP001122AABBCC" (as printed on a
// phone's label for SCCP), in any case.
func Parse(s string) (MAC, error) {
	in := strings.TrimSpace(s)
	t := in
	if len(t) >= 3 && strings.EqualFold(t[:3], "SEP") {
		t = t[3:]
	}
	var b strings.Builder
	var groups []int // lengths of runs between separators, to reject 0:11:22... mixes
	run := 0
	for _, r := range t {
		// Upper-case hex digits only here, so an error quotes the
		// character as the admin typed it.
		if r >= 'a' && r <= 'f' {
			r -= 'a' - 'A'
		}
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'F':
			b.WriteRune(r)
			run++
		case r == ':' || r == '-' || r == '.' || r == ' ':
			groups = append(groups, run)
			run = 0
		default:
			return "", fmt.Errorf("invalid MAC address %q: unexpected character %q", in, r)
		}
	}
	groups = append(groups, run)
	hex := b.String()
	if len(hex) != 12 {
		return "", fmt.Errorf("invalid MAC address %q: want 12 hex digits, got %d", in, len(hex))
	}
	if len(groups) > 1 && !validGrouping(groups) {
		return "", fmt.Errorf("invalid MAC address %q: separators must split it into 6 pairs or 3 groups of 4", in)
	}
	if hex == "000000000000" || hex == "FFFFFFFFFFFF" {
		return "", fmt.Errorf("invalid MAC address %q: not a phone's address", in)
	}
	return MAC(hex), nil
}

func validGrouping(g []int) bool {
	want := 2
	if len(g) == 3 {
		want = 4
	} else if len(g) != 6 {
		return false
	}
	for _, n := range g {
		if n != want {
			return false
		}
	}
	return true
}

// Colon returns the address as 00:11:22:AA:BB:CC, the form dhcpd.conf uses.
// Number is m (12 hex digits, as Parse stores it) as a 48-bit number,
// which sorts as m does: a phone's key in 8 bytes where a string of it took
// 28. Anything else is math.MaxUint64, no MAC's number.
func (m MAC) Number() uint64 {
	n, err := strconv.ParseUint(string(m), 16, 64)
	if err != nil || len(m) != 12 {
		return math.MaxUint64
	}
	return n
}

func (m MAC) Colon() string {
	s := string(m)
	var b strings.Builder
	for i := 0; i < len(s); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(s[i : i+2])
	}
	return b.String()
}
