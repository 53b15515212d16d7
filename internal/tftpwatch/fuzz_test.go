package tftpwatch

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzLine feeds TFTP daemon log lines (seeded with the atftpd log in
// testdata) to one parser, as watch and doctor do: no panic, no hang; an
// event has a file name, and a MAC found in it is in the stored form.
func FuzzLine(f *testing.F) {
	// A few lines per seed: the fuzzer is slow on inputs of kilobytes.
	fuzzcheck.Seeds(f, "testdata/*.log", func(s string) {
		lines := strings.SplitAfter(s, "\n")
		for i := 0; i < len(lines); i += 4 {
			f.Add(strings.Join(lines[i:min(i+4, len(lines))], ""))
		}
	})
	f.Add("Nov 25 10:57:17 pbx in.tftpd[812]: RRQ from ::ffff:192.0.2.20 filename SIP001122AABBCC.cnf\n" +
		"Nov 25 10:57:17 pbx in.tftpd[812]: sending NAK (1, File not found) to ::ffff:192.0.2.20\n")
	f.Fuzz(func(t *testing.T, data string) {
		fuzzcheck.Within(t, func() {
			p := NewParser()
			for _, l := range strings.Split(data, "\n") {
				e, ok := p.Line(l)
				if !ok {
					continue
				}
				if m, ok := MACOf(e.File); ok && len(m) != 12 {
					t.Fatalf("MAC %q from %q", m, e.File)
				}
			}
		})
	})
}
