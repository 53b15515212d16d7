package doctor

import (
	"net/netip"
	"path/filepath"
	"testing"
)

// Breaker round 17, the doctor side of
// b17-isc-phones-class-overrides-global: the global option 150 is the old
// call manager (for every other device) and class "sip-phones" (match if
// substring(option vendor-class-identifier, 0, 28) = "Cisco Systems, Inc.
// IP Phone") sets option 150 to this server. The real dhcpd 4.4.3-P1 in a
// network namespace gives a 7960's request (busybox udhcpc -O 150 -V
// "Cisco Systems, Inc. IP Phone CP-7960G") opt150=0a4d0001, this server;
// -V Other gets 0a4d0009.
//
// What happens: CheckDHCPConfig reports the problem "option 150 is
// 10.77.0.9, not this TFTP server (10.77.0.1)" with the fix "setup-dhcp
// --merge --take-over", which takes the old server from the other devices:
// doctor exits 1 on a site whose phones get the right server.
//
// Right outcome: a global value every 79x0's own class overrides with this
// server is not the phones' problem (a note at most).
func TestBreaker17PhonesClassOverridesGlobal150(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, `authoritative;
option voip-tftp code 150 = array of ip-address;
option voip-tftp 10.77.0.9;
class "sip-phones" {
  match if substring(option vendor-class-identifier, 0, 28) = "Cisco Systems, Inc. IP Phone";
  option voip-tftp 10.77.0.1;
}
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
}
`, 0o644)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if f.Severity == Problem {
			t.Errorf("a global option 150 the phones' class overrides with this server reported as the phones' problem: %s", f)
		}
	}
}
