package doctor

import (
	"path/filepath"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
)

// Real atftpd 0.8.0 (Debian 12) at --verbose=5, Debian's default OPTIONS
// in /etc/default/atftpd, through syslog(3), captured from /dev/log in a
// private namespace (breaker round 16b); busybox tftp as two 7960s.
// 192.0.2.12's SIP001122334466.cnf is not in the root: atftpd answered
// "File not found" (busybox: "server error: (1) File not found"), but at
// this level it logs only "Serving F" (LOG_NOTICE), never the miss
// (LOG_INFO).
const b16AtftpdVerbose5 = `Nov 29 23:46:43 pbx atftpd[19885]: Advanced Trivial FTP server started (0.8.0)
Nov 29 23:46:44 pbx atftpd[19885]: Serving SIPDefault.cnf to 192.0.2.11:50753
Nov 29 23:46:44 pbx atftpd[19885]: Serving SIP001122334455.cnf to 192.0.2.11:44462
Nov 29 23:46:44 pbx atftpd[19885]: Serving RINGLIST.DAT to 192.0.2.11:58130
Nov 29 23:46:44 pbx atftpd[19885]: Serving dialplan.xml to 192.0.2.11:51827
Nov 29 23:46:44 pbx atftpd[19885]: Serving SIPDefault.cnf to 192.0.2.12:59325
Nov 29 23:46:44 pbx atftpd[19885]: Serving SIP001122334466.cnf to 192.0.2.12:52818
Nov 29 23:46:44 pbx atftpd[19885]: Serving RINGLIST.DAT to 192.0.2.12:36886
Nov 29 23:46:44 pbx atftpd[19885]: Serving dialplan.xml to 192.0.2.12:39882
Nov 29 23:46:45 pbx atftpd[19885]: SIGTERM received, stopping threads and exiting.
Nov 29 23:46:45 pbx atftpd[19885]: tftpd.c: 468: select: Interrupted system call
Nov 29 23:46:45 pbx atftpd[19885]: atftpd terminating
Nov 29 23:46:45 pbx atftpd[19885]: Main thread exiting
`

// doctor --tftp-log on Debian's default atftpd log: today no finding at
// all (only "File F not found" lines are read, and this level has none),
// so the new phone 001122334466 that got no SIP<MAC>.cnf reads as fine,
// where watch on the same log says "asked for SIP001122334466.cnf, which
// is not in ROOT". Right: the requested SIP001122334466.cnf that is not in
// the root is named (or at least that the log cannot show misses).
func TestBreaker16TFTPLogAtftpdVerbose5(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"SIPDefault.cnf", "SIP001122334455.cnf", "RINGLIST.DAT", "dialplan.xml"} {
		write(t, filepath.Join(root, f), "x\n", 0o644)
	}
	log := filepath.Join(t.TempDir(), "syslog")
	write(t, log, b16AtftpdVerbose5, 0o644)
	in := inventory.Inventory{Phones: []inventory.Phone{{MAC: "001122334455", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}}}
	fs := CheckTFTPLog(log, root, in)
	if len(fs) == 0 {
		t.Errorf("phone 001122334466 asked for SIP001122334466.cnf, not in %s; doctor --tftp-log finds nothing", root)
	}
}
