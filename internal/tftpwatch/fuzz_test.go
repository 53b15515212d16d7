package tftpwatch

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// FuzzLine feeds TFTP daemon log lines (seeded with the atftpd log in
// testdata) to one parser and a tracker, as watch and doctor do: no panic,
// no hang; an event has a file name, a MAC found in it is in the stored
// form, and no line shown holds a control character (the requesting host
// chooses the file name).
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
	f.Add("Nov 25 11:04:09 vm atftpd[1.2]: Serving SIP001122AABBCC.cnf\x1b[2J\x07 to 10.0.0.1:1\n" +
		"Nov 25 11:04:09 vm atftpd[1.2]: File /srv/tftp/SIP001122AABBCC.cnf\x1b[2J\x07 not found\n" +
		"Nov 25 11:04:09 vm dnsmasq-tftp[5]: cannot access /srv/tftp/a\x1b]0;x: Permission\x1b denied\n")
	f.Fuzz(func(t *testing.T, data string) {
		fuzzcheck.Within(t, func() {
			p := NewParser()
			tr := &Tracker{Describe: func(macaddr.MAC) string { return "" }}
			for _, l := range strings.Split(data, "\n") {
				e, ok := p.Line(l)
				if !ok {
					continue
				}
				if m, ok := MACOf(e.File); ok && len(m) != 12 {
					t.Fatalf("MAC %q from %q", m, e.File)
				}
				tr.DaemonRoot, tr.DaemonRootLine = p.DaemonRoot, p.DaemonRootLine
				if s := tr.Handle(e); Shown(s) != s {
					t.Fatalf("shown raw: %q", s)
				}
			}
			for _, s := range tr.Summary() {
				if Shown(s) != s {
					t.Fatalf("summary raw: %q", s)
				}
			}
		})
	})
}
