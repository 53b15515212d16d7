package macaddr

import (
	"math"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := map[string]string{
		"001122AABBCC":        "001122AABBCC",
		"001122aabbcc":        "001122AABBCC",
		"00:11:22:aa:bb:cc":   "001122AABBCC",
		"00-11-22-AA-BB-CC":   "001122AABBCC",
		"0011.22aa.bbcc":      "001122AABBCC",
		" SEP0011.22aa.bbcc ": "001122AABBCC",
		"sep001122aabbcc":     "001122AABBCC",
	}
	for in, want := range good {
		got, err := Parse(in)
		if err != nil || string(got) != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{"", "001122AABBC", "001122AABBCCD", "00:11:22:aa:bb:cg", "0:011:22:aa:bb:cc",
		"000000000000", "ffffffffffff", "00_11_22_aa_bb_cc", "0011.22aa.bb.cc"}
	for _, in := range bad {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %q, want error", in, got)
		}
	}
}

func TestColon(t *testing.T) {
	if got := MAC("001122AABBCC").Colon(); got != "00:11:22:AA:BB:CC" {
		t.Errorf("Colon = %q", got)
	}
}

// An error quotes the bad character as typed, not upper-cased: "unexpected
// character 'N'" for a pasted file name ending in .cnf sent admins hunting
// for an N that is not there.
func TestParseQuotesCharacterAsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"001122aabbcc.cnf":  "unexpected character 'n'",
		"00:11:22:aa:bb:cg": "unexpected character 'g'",
		"00:11:22:AA:BB:CG": "unexpected character 'G'",
	} {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error with %s", in, err, want)
		}
	}
}

func TestNumber(t *testing.T) {
	for mac, want := range map[MAC]uint64{"000000000000": 0, "0011223344AA": 0x0011223344aa, "FFFFFFFFFFFF": 1<<48 - 1, "": math.MaxUint64, "0011223344": math.MaxUint64, "0011223344GG": math.MaxUint64} {
		if got := mac.Number(); got != want {
			t.Errorf("%q: %#x, want %#x", mac, got, want)
		}
	}
	if a, b := MAC("0011223344AA").Number(), MAC("0011223344AB").Number(); a >= b {
		t.Error("not in the MACs' order")
	}
}
