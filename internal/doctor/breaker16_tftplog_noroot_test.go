package doctor

import (
	"path/filepath"
	"testing"
)

// dnsmasq --enable-tftp without --tftp-root: "TFTP enabled", and it looks
// every name up from / (dnsmasq(8): the files are relative to its working
// directory, /).
const b16DnsmasqNoRoot = `Nov 29 23:45:52 dnsmasq[18557]: started, version 2.90 DNS disabled
Nov 29 23:45:52 dnsmasq[18557]: compile time options: IPv6 GNU-getopt DBus no-UBus i18n IDN2 DHCP DHCPv6 no-Lua TFTP conntrack ipset nftset auth cryptohash DNSSEC loop-detect inotify dumpfile
Nov 29 23:45:52 dnsmasq-tftp[18557]: TFTP enabled  
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /SIPDefault.cnf not found for 192.0.2.11
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /SIP001122334455.cnf not found for 192.0.2.11
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /RINGLIST.DAT not found for 192.0.2.11
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /dialplan.xml not found for 192.0.2.11
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /SIPDefault.cnf not found for 192.0.2.12
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /SIP001122334466.cnf not found for 192.0.2.12
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /RINGLIST.DAT not found for 192.0.2.12
Nov 29 23:45:53 dnsmasq-tftp[18557]: file /dialplan.xml not found for 192.0.2.12
Nov 29 23:45:54 dnsmasq[18557]: exiting on receipt of SIGTERM
`

// dnsmasq without tftp-root looks up /SIPDefault.cnf (the log names the
// absolute paths): today doctor --tftp-log says nothing about any of it
// (each "/NAME" is taken for NAME in setup-cisco's root, which exists, so
// "there now"): no phone got a file, doctor reports the log healthy.
// Right: a problem naming that the daemon looked the files up outside
// setup-cisco's root.
func TestBreaker16TFTPLogDnsmasqNoRoot(t *testing.T) {
	root := b16Root(t)
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, b16DnsmasqNoRoot, 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	if ExitCode(fs) == 0 {
		t.Errorf("every phone's every file was not found by dnsmasq (it looked in /), doctor finds nothing: %v", fs)
	}
}
