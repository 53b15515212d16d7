package doctor

import (
	"net/netip"
	"path/filepath"
	"testing"
)

// Breaker round 17, the doctor side of b17-dnsmasq-150-this-host: dnsmasq
// serves DHCP and TFTP on the PBX with "dhcp-option=150,0.0.0.0"
// (dnsmasq(8) --dhcp-option: 0.0.0.0 is "the address of the machine
// running dnsmasq"). The real dnsmasq 2.90 in a network namespace (server
// 10.77.0.1) logs "sent size: 4 option:150 tftp-server-address 10.77.0.1"
// and a 7960's request (busybox udhcpc -O 150 -V "Cisco Systems, Inc. IP
// Phone CP-7960G") is bound with opt150=0a4d0001.
//
// What happens: CheckDHCPConfig reports "option 150 is 0.0.0.0, not this
// TFTP server (10.77.0.1)", fix "remove or change dnsmasq.conf:4": doctor
// exits 1 on a working site.
//
// Right outcome: 0.0.0.0 in a dnsmasq option is this host: no problem.
func TestBreaker17DnsmasqOption150ZeroIsThisHost(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dnsmasq.conf")
	write(t, conf, "dhcp-range=10.77.0.100,10.77.0.200,12h\nenable-tftp\ntftp-root=/srv/tftp\ndhcp-option=150,0.0.0.0\n", 0o644)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if f.Severity == Problem {
			t.Errorf("dnsmasq's dhcp-option=150,0.0.0.0 (this host) reported as another TFTP server: %s", f)
		}
	}
}
