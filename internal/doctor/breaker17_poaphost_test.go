package doctor

import (
	"net/netip"
	"path/filepath"
	"testing"
)

// Breaker round 17, the doctor side of b17-isc-host-clientid-poap: Cisco's
// Nexus POAP host entry ("Setting up the DHCP Server without DNS for
// POAP", Nexus 9000 NX-OS Fundamentals Configuration Guide) on the phones'
// dhcpd: host MyDevice matched by option dhcp-client-identifier
// "\000SAL12345678" (type 0 and the switch's serial, which no 79x0 sends)
// with its own option tftp-server-address (code 150). The global option
// 150 is this server. Checked with the real dhcpd 4.4.3-P1 in a network
// namespace: a 7960's request gets opt150 10.77.0.1, the switch's
// (udhcpc -C -x 0x3d:0053414c3132333435363738) gets 10.77.0.20.
//
// What happens: CheckDHCPConfig reports the problem "option 150 is
// 10.77.0.20, not this TFTP server (10.77.0.1), in host MyDevice" with the
// fix "setup-dhcp --merge --take-over", which would take the switch's POAP
// server away; doctor exits 1 on a working site.
//
// Right outcome: like a class only other vendors join
// (TestOption150OnlyNonPhonesUse), a host no phone can match is a note.
func TestBreaker17POAPHostIsNotThePhonesProblem(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, `ddns-update-style none;
authoritative;
option tftp-server-address code 150 = ip-address;
option tftp-server-address 10.77.0.1;
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
  option routers 10.77.0.254;
}
host MyDevice {
  option dhcp-client-identifier "\000SAL12345678";
  fixed-address 10.77.0.32;
  option tftp-server-address 10.77.0.20;
  option bootfile-name "poap_nexus_script.py";
}
`, 0o644)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if f.Severity == Problem {
			t.Errorf("a POAP switch's host entry (client identifier \\000SAL..., no phone's) reported as the phones' problem: %s", f)
		}
	}
}
