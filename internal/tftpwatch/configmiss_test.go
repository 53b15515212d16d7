package tftpwatch

import (
	"fmt"
	"strings"
	"testing"
)

// A refused SIPDefault.cnf (tftpd-hpa -vv NAK) is what the summary names
// though the phone fetched its dial plan after it; a SIP<MAC>.cnf missing
// once and fetched on a later boot is not.
func TestSummaryNamesMissingConfig(t *testing.T) {
	lines := []string{
		"Nov 29 10:00:00 pbx in.tftpd[900]: RRQ from 192.0.2.20 filename SIPDefault.cnf",
		"Nov 29 10:00:00 pbx in.tftpd[900]: sending NAK (2, Only absolute filenames allowed) to 192.0.2.20",
		"Nov 29 10:00:01 pbx in.tftpd[901]: RRQ from 192.0.2.20 filename SIP0011223344AA.cnf",
		"Nov 29 10:00:01 pbx in.tftpd[901]: Client 192.0.2.20 finished SIP0011223344AA.cnf",
		"Nov 29 10:00:02 pbx in.tftpd[902]: RRQ from 192.0.2.20 filename dialplan.xml",
		"Nov 29 10:00:02 pbx in.tftpd[902]: Client 192.0.2.20 finished dialplan.xml",
		"Nov 29 10:00:03 pbx in.tftpd[903]: RRQ from 192.0.2.21 filename SIP0011223344BB.cnf",
		"Nov 29 10:00:03 pbx in.tftpd[903]: Client 192.0.2.21 File not found SIP0011223344BB.cnf",
		"Nov 29 10:05:00 pbx in.tftpd[904]: RRQ from 192.0.2.21 filename SIP0011223344BB.cnf",
		"Nov 29 10:05:00 pbx in.tftpd[904]: Client 192.0.2.21 finished SIP0011223344BB.cnf",
		"Nov 29 10:05:01 pbx in.tftpd[905]: RRQ from 192.0.2.21 filename RINGLIST.DAT",
		"Nov 29 10:05:01 pbx in.tftpd[905]: Client 192.0.2.21 finished RINGLIST.DAT",
	}
	_, sum := track(NewParser(), &Tracker{}, lines)
	var aa, bb string
	for _, l := range strings.Split(sum, "\n") {
		switch {
		case strings.Contains(l, "0011223344AA"):
			aa = l
		case strings.Contains(l, "0011223344BB"):
			bb = l
		}
	}
	if !strings.Contains(aa, "stopped at: refused SIPDefault.cnf") || !strings.Contains(aa, "last logged: fetched dialplan.xml") {
		t.Errorf("refused SIPDefault.cnf not named:\n%s", sum)
	}
	if !strings.Contains(bb, "last: fetched RINGLIST.DAT") {
		t.Errorf("a config fetched after its miss still reported missing:\n%s", sum)
	}
}

// atftpd at --verbose=5 logs requests only: a SIP<MAC>.cnf asked for and
// not in the root is named though the phone asked for dialplan.xml after
// it, with atftpd's advice; tftpd-hpa's RRQ lines get tftpd-hpa's.
func TestSummaryUnansweredConfig(t *testing.T) {
	root := t.TempDir()
	for _, c := range []struct{ line, advice, not string }{
		{"Nov 29 10:00:0%d pbx atftpd[20]: Serving %s to 192.0.2.30:2000", "--verbose=6", "tftpd-hpa"},
		{"Nov 29 10:00:0%d pbx in.tftpd[20]: RRQ from 192.0.2.30 filename %s", "-v -v", "atftpd"},
	} {
		var lines []string
		for i, f := range []string{"SIP0011223344CC.cnf", "dialplan.xml"} {
			lines = append(lines, fmt.Sprintf(c.line, i, f))
		}
		_, sum := track(NewParser(), &Tracker{Root: root}, lines)
		if !strings.Contains(sum, "stopped at: asked for SIP0011223344CC.cnf, which is not in "+root) ||
			!strings.Contains(sum, c.advice) || strings.Contains(sum, c.not) {
			t.Errorf("want SIP0011223344CC.cnf named with %q:\n%s", c.advice, sum)
		}
	}
}
