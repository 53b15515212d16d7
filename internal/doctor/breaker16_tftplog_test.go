package doctor

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
)

// Real dnsmasq 2.90 logs (--enable-tftp, --log-facility FILE), captured in
// a private network namespace (breaker round 16b): busybox tftp as two
// 7960s at 192.0.2.11 and .12 fetch SIPDefault.cnf, SIP<MAC>.cnf,
// RINGLIST.DAT and dialplan.xml. @DMROOT@ stands for the root dnsmasq
// served.

// dnsmasq --tftp-root=OTHER (a root other than setup-cisco's).
const b16DnsmasqOtherRoot = `Nov 29 23:45:49 dnsmasq[18450]: started, version 2.90 DNS disabled
Nov 29 23:45:49 dnsmasq[18450]: compile time options: IPv6 GNU-getopt DBus no-UBus i18n IDN2 DHCP DHCPv6 no-Lua TFTP conntrack ipset nftset auth cryptohash DNSSEC loop-detect inotify dumpfile
Nov 29 23:45:49 dnsmasq-tftp[18450]: TFTP root is @DMROOT@  
Nov 29 23:45:50 dnsmasq-tftp[18450]: sent @DMROOT@/SIPDefault.cnf to 192.0.2.11
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/SIP001122334455.cnf not found for 192.0.2.11
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/RINGLIST.DAT not found for 192.0.2.11
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/dialplan.xml not found for 192.0.2.11
Nov 29 23:45:50 dnsmasq-tftp[18450]: sent @DMROOT@/SIPDefault.cnf to 192.0.2.12
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/SIP001122334466.cnf not found for 192.0.2.12
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/RINGLIST.DAT not found for 192.0.2.12
Nov 29 23:45:50 dnsmasq-tftp[18450]: file @DMROOT@/dialplan.xml not found for 192.0.2.12
Nov 29 23:45:51 dnsmasq[18450]: exiting on receipt of SIGTERM
`

func b16Inv() inventory.Inventory {
	return inventory.Inventory{Phones: []inventory.Phone{
		{MAC: "001122334455", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
		{MAC: "001122334466", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1002"}}},
	}}
}

// b16Root writes every file the phones asked for into setup-cisco's root,
// as a run does.
func b16Root(t *testing.T) string {
	root := t.TempDir()
	for _, f := range []string{"SIPDefault.cnf", "SIP001122334455.cnf", "SIP001122334466.cnf", "RINGLIST.DAT", "dialplan.xml"} {
		write(t, filepath.Join(root, f), "x\n", 0o644)
	}
	return root
}

// dnsmasq serves another root, and says so in the log ("TFTP root is
// OTHER"): today doctor --tftp-log reports "asked for OTHER/SIP<MAC>.cnf,
// which is still missing; fix: setup-cisco" for both phones, whose files
// are in setup-cisco's root: a run changes nothing, the phones stay
// without lines. Right: the finding names the daemon's root against
// setup-cisco's (the mismatch), and no run or phone add is advised.
func TestBreaker16TFTPLogDnsmasqOtherRoot(t *testing.T) {
	root, other := b16Root(t), t.TempDir()
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, strings.ReplaceAll(b16DnsmasqOtherRoot, "@DMROOT@", other), 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	named := false
	for _, f := range fs {
		s := f.String()
		if strings.Contains(s, other) && strings.Contains(s, root) {
			named = true
		}
		if f.Fix == FixWrite || strings.Contains(f.Fix, "phone add") {
			t.Errorf("advises writing files that are in %s: %s", root, s)
		}
	}
	if !named {
		t.Errorf("no finding names dnsmasq's root %s against setup-cisco's %s: %v", other, root, fs)
	}
}
