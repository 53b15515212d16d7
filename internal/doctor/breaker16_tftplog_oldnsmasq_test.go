package doctor

import (
	"path/filepath"
	"strings"
	"testing"
)

// dnsmasq before 2.86 (CentOS 7's 2.76, Debian 11's 2.85) logs a miss as
// "file PATH not found" without the client (src/tftp.c; tftpwatch's
// parser reads that form). Two phones: 001122334455's SIP<MAC>.cnf is
// missing, then another phone's request for a missing SIPDefault.cnf
// (the lines of the real dnsmasq 2.90 run of breaker round 16b with the
// pre-2.86 wording). Today doctor keys the MAC seen by client address, and
// every line without a client shares the key "invalid IP": the
// SIPDefault.cnf miss is reported as "phone 001122334455 (7960, ext
// 1001): asked for SIPDefault.cnf", naming a phone that never asked for
// it. Right: a miss whose client the log does not name is not credited
// to the phone of an earlier line.
func TestBreaker16TFTPLogOldDnsmasqNoClient(t *testing.T) {
	root := t.TempDir()
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, strings.ReplaceAll(`Nov 29 23:45:49 dnsmasq-tftp[18450]: TFTP root is @DMROOT@
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/SIP001122334455.cnf not found
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/SIPDefault.cnf not found
`, "@DMROOT@", root), 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	for _, f := range fs {
		if strings.Contains(f.String(), "SIPDefault.cnf") && strings.Contains(f.Subject, "001122334455") {
			t.Errorf("SIPDefault.cnf miss (no client logged) credited to phone 001122334455: %s", f)
		}
	}
}
