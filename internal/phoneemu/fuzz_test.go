package phoneemu

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzParseCnf reads whole .cnf files as the emulated phone does: no panic;
// every key read is one ParseLine finds on some line, and FirstLineImage
// agrees with the first line alone.
func FuzzParseCnf(f *testing.F) {
	fuzzcheck.Seeds(f, "../../templates/*.cnf.tmpl", func(s string) { f.Add(s) })
	f.Add("image_version: P0S3-8-12-00\r\nproxy1_address: \"192.0.2.10\" ; x\n# comment\nsync:2")
	f.Fuzz(func(t *testing.T, data string) {
		var c Cnf
		fuzzcheck.Within(t, func() { c = ParseCnf([]byte(data)) })
		for k := range c {
			if k == "" || strings.ContainsAny(k, " \t\":") {
				t.Fatalf("key %q", k)
			}
		}
		img, ok := FirstLineImage([]byte(data))
		first, _, _ := strings.Cut(data, "\n")
		if ok != strings.HasPrefix(strings.TrimSpace(first), "image_version") && ok {
			t.Fatalf("image %q from first line %q", img, first)
		}
	})
}
