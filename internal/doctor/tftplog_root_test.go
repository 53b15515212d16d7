package doctor

import (
	"path/filepath"
	"strings"
	"testing"
)

// dnsmasq's "TFTP root is OTHER secure mode" (tftp-secure) names OTHER;
// after a restart on setup-cisco's root, misses are the phones' again.
func TestTFTPLogDnsmasqRootRestart(t *testing.T) {
	root, other := t.TempDir(), t.TempDir()
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, "Nov 29 10:00:00 pbx dnsmasq-tftp[10]: TFTP root is "+other+" secure mode\n"+
		"Nov 29 10:00:01 pbx dnsmasq-tftp[10]: file "+other+"/SIPDefault.cnf not found for 192.0.2.11\n"+
		"Nov 29 10:00:01 pbx dnsmasq-tftp[10]: file "+other+"/SIP001122334455.cnf not found for 192.0.2.11\n"+
		"Nov 29 10:05:00 pbx dnsmasq-tftp[11]: TFTP root is "+root+"\n"+
		"Nov 29 10:05:01 pbx dnsmasq-tftp[11]: file "+root+"/SIP001122334477.cnf not found for 192.0.2.13\n", 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	var mismatch, phone int
	for _, f := range fs {
		s := f.String()
		switch {
		case strings.Contains(s, "serving "+other+" (") && !strings.Contains(s, "secure mode ("):
			mismatch++
		case strings.Contains(s, "asked for SIP001122334477.cnf") && strings.Contains(f.Fix, "phone add"):
			phone++
		}
	}
	if mismatch != 1 || phone != 1 || len(fs) != 2 {
		t.Errorf("want one root mismatch (%s) and one missing SIP001122334477.cnf, got %d, %d: %v", other, mismatch, phone, fs)
	}
}
