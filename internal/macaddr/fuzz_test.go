package macaddr

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzParse: any input is a MAC in the stored form or an error; the stored
// form and its other spellings parse back to the same MAC.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"001122AABBCC", "00:11:22:aa:bb:cc", "00-11-22-AA-BB-CC", "0011.22aa.bbcc",
		"SEP001122AABBCC", " 00 11 22 aa bb cc ", "0:11:22:aa:bb:cc", "", "sep0011.22aa.bbcc", "00:11:22:aa:bb:cc:dd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m MAC
		var err error
		fuzzcheck.Within(t, func() { m, err = Parse(s) })
		if err != nil {
			return
		}
		if len(m) != 12 || strings.Trim(string(m), "0123456789ABCDEF") != "" {
			t.Fatalf("Parse(%q) = %q: not 12 upper-case hex digits", s, m)
		}
		h := string(m)
		for _, sp := range []string{h, strings.ToLower(h), "SEP" + h,
			strings.Join([]string{h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12]}, ":"),
			strings.Join([]string{h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12]}, "-"),
			strings.Join([]string{h[0:4], h[4:8], h[8:12]}, ".")} {
			if back, err := Parse(sp); err != nil || back != m {
				t.Fatalf("Parse(%q) = %q, %v; want %q (from %q)", sp, back, err, m, s)
			}
		}
	})
}
