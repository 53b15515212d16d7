package syncdir

import (
	"strconv"
	"testing"
)

// The manifest's numbers are read as strconv reads them.
func TestParseNumbersAsStrconv(t *testing.T) {
	cases := []string{"", "0", "7", "-7", "+7", "-", "+", "--1", "1a", " 1", "007",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616", "99999999999999999999", "1795968222117464908"}
	for _, c := range cases {
		wi, err := strconv.ParseInt(c, 10, 64)
		gi, ok := parseInt([]byte(c))
		if ok != (err == nil) || ok && gi != wi {
			t.Errorf("parseInt(%q) = %d, %v; strconv %d, %v", c, gi, ok, wi, err)
		}
		wu, err := strconv.ParseUint(c, 10, 64)
		gu, ok := parseUint([]byte(c))
		if ok != (err == nil) || ok && gu != wu {
			t.Errorf("parseUint(%q) = %d, %v; strconv %d, %v", c, gu, ok, wu, err)
		}
	}
}
