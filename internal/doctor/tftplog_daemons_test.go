package doctor

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
)

// A log in a format doctor does not read is named, not passed as healthy.
func TestCheckTFTPLogUnknownFormat(t *testing.T) {
	fs := CheckTFTPLog("../tftpwatch/testdata/tftp-unknown-format.log", t.TempDir(), inv())
	has(t, fs, "no line is in a format doctor reads: atftpd", "dnsmasq")
	if ExitCode(fs) != 2 {
		t.Errorf("exit %d for %v", ExitCode(fs), fs)
	}
}

// dnsmasq's real log (full paths): the missing SIP<MAC>.cnf of a phone in
// the inventory asks for a run; of a phone whose row is bad, names the
// problem, never "phone add".
func TestCheckTFTPLogDnsmasq(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "SIPDefault.cnf"), "x", 0o644)
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, "Nov 29 14:48:27 dnsmasq-tftp[1]: TFTP root is "+root+"\n"+
		"Nov 29 14:48:28 dnsmasq-tftp[1]: sent "+root+"/SIPDefault.cnf to 10.0.0.5\n"+
		"Nov 29 14:48:28 dnsmasq-tftp[1]: file "+root+"/SIP001B54796001.cnf not found for 10.0.0.5\n"+
		"Nov 29 14:48:29 dnsmasq-tftp[1]: file "+root+"/SIP001122334416.cnf not found for 10.0.0.6\n", 0o644)
	in := inv()
	in.Problems = []inventory.Problem{{MAC: "001122334416", Source: inventory.EndpointMan, Line: 3, Ext: "1004", Msg: "line 3 is beyond the 7940's 2 lines"}}
	fs := CheckTFTPLog(log, root, in)
	has(t, fs, "phone 001B54796001 (7960, ext 1001): asked for SIP001B54796001.cnf", "fix: setup-cisco",
		"phone 001122334416: asked for SIP001122334416.cnf", "fix: fix its inventory entry (phone 001122334416 line 3")
	for _, f := range fs {
		if s := f.String(); contains(s, "phone add") {
			t.Errorf("phone add advised for an inventory phone: %s", s)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
