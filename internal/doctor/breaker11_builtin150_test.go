package doctor

import (
	"net/netip"
	"strings"
	"testing"
)

// Breaker round 11. ISC dhcpd 4.4 has a built-in name for code 150,
// tftp-server-address (dhcpd 4.4.3-P1 accepts "option tftp-server-address
// 10.77.0.1;" with no declaration; real files use it so, e.g. a
// provisioning script's subnet template, code index id 6707477983). With
// the real dhcpd in a network namespace, busybox udhcpc -O 150 gets
// opt150=0a4d0001 from the file below. doctor reports: "neither option 150
// nor option 66: phones show "Protocol Application Invalid"" - a problem on
// a server that gives phones this host as their TFTP server.
//
// Right outcome: no problem for this file and this host.
func TestBreaker11BuiltinTFTPServerAddress(t *testing.T) {
	conf := b11Write(t, "dhcpd.conf", `authoritative;
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
  option routers 10.77.0.254;
  option tftp-server-address 10.77.0.1;
}
`)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if strings.HasPrefix(f.String(), "problem") {
			t.Errorf("%s", f)
		}
	}
}
