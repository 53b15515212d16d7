package doctor

import (
	"path/filepath"
	"strings"
	"testing"
)

// The real dnsmasq 2.90 log with --tftp-secure, run as user nobody,
// serving root-owned files as setup-cisco writes them (--log-facility
// FILE; busybox tftp as two 7960s in a private network namespace; breaker
// round 16b). @DMROOT@ is the root. Every file in the root is refused
// ("cannot access PATH: Permission denied"); no phone gets SIPDefault.cnf
// or its SIP<MAC>.cnf.
const b16DnsmasqSecure = `Nov 29 23:48:56 dnsmasq[21766]: started, version 2.90 DNS disabled
Nov 29 23:48:56 dnsmasq[21766]: compile time options: IPv6 GNU-getopt DBus no-UBus i18n IDN2 DHCP DHCPv6 no-Lua TFTP conntrack ipset nftset auth cryptohash DNSSEC loop-detect inotify dumpfile
Nov 29 23:48:56 dnsmasq-tftp[21766]: TFTP root is @DMROOT@ secure mode 
Nov 29 23:48:56 dnsmasq-tftp[21766]: cannot access @DMROOT@/SIPDefault.cnf: Permission denied
Nov 29 23:48:56 dnsmasq-tftp[21766]: cannot access @DMROOT@/SIP001122334455.cnf: Permission denied
Nov 29 23:48:56 dnsmasq-tftp[21766]: cannot access @DMROOT@/RINGLIST.DAT: Permission denied
Nov 29 23:48:56 dnsmasq-tftp[21766]: cannot access @DMROOT@/dialplan.xml: Permission denied
Nov 29 23:48:56 dnsmasq-tftp[21766]: cannot access @DMROOT@/SIPDefault.cnf: Permission denied
Nov 29 23:48:56 dnsmasq-tftp[21766]: file @DMROOT@/SIP001122334466.cnf not found for 192.0.2.12
Nov 29 23:48:56 dnsmasq-tftp[21766]: cannot access @DMROOT@/RINGLIST.DAT: Permission denied
Nov 29 23:48:56 dnsmasq-tftp[21766]: cannot access @DMROOT@/dialplan.xml: Permission denied
Nov 29 23:48:57 dnsmasq[21766]: exiting on receipt of SIGTERM
`

// doctor --tftp-log reads only "not found" lines: today the refusals of
// SIPDefault.cnf and SIP001122334455.cnf give no finding (the only one is
// 001122334466's missing file), though no phone got a file (README
// promises only still-missing files; a refused one is as fatal to the
// phone, and the log is the evidence when the live dnsmasq is elsewhere:
// a container, Pi-hole). Right: a
// problem naming the refused SIPDefault.cnf (Permission denied), whether
// or not the dnsmasq that logged it is running now for CheckAccess to see.
func TestBreaker16TFTPLogDnsmasqSecureRefusals(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"SIPDefault.cnf", "SIP001122334455.cnf", "RINGLIST.DAT", "dialplan.xml"} {
		write(t, filepath.Join(root, f), "x\n", 0o644)
	}
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, strings.ReplaceAll(b16DnsmasqSecure, "@DMROOT@", root), 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	for _, f := range fs {
		if strings.Contains(f.String(), "SIPDefault.cnf") && strings.Contains(f.String(), "Permission denied") {
			return
		}
	}
	t.Errorf("dnsmasq refused SIPDefault.cnf to every phone (Permission denied); no finding names it: %v", fs)
}
