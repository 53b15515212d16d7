package tftpwatch

import (
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
	if !strings.Contains(aa, "stopped at: refused SIPDefault.cnf") || !strings.Contains(aa, "then fetched dialplan.xml") {
		t.Errorf("refused SIPDefault.cnf not named:\n%s", sum)
	}
	if !strings.Contains(bb, "last: fetched RINGLIST.DAT") {
		t.Errorf("a config fetched after its miss still reported missing:\n%s", sum)
	}
}
