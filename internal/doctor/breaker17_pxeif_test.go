package doctor

import (
	"net/netip"
	"path/filepath"
	"testing"
)

// Breaker round 17, the doctor side of b17-isc-pxe-if-option66: the
// phones' subnet carries the usual PXE block, "if substring (option
// vendor-class-identifier, 0, 9) = "PXEClient" { option tftp-server-name
// "10.77.0.20"; next-server 10.77.0.20; filename "pxelinux.0"; }", and
// option 150 is this server globally. The real dhcpd 4.4.3-P1 in a network
// namespace gives a 7960's request (busybox udhcpc -O 150 -O 66 -V "Cisco
// Systems, Inc. IP Phone CP-7960G") opt150=0a4d0001 and no option 66; only
// -V "PXEClient:..." gets tftp=10.77.0.20.
//
// What happens: CheckDHCPConfig reports the problem "option 66 is
// "10.77.0.20", not this TFTP server, in ... if substring(...) =
// "PXEClient"" with the fix "setup-dhcp --merge --take-over", which points
// the PXE clients at the PBX: doctor exits 1 on a working site.
//
// Right outcome: like a class no phone joins (TestOption150OnlyNonPhonesUse),
// an if block no 79x0 enters is a note, not a problem.
func TestBreaker17PXEIfBlockIsNotThePhonesProblem(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, `authoritative;
option voip-tftp-servers code 150 = array of ip-address;
option voip-tftp-servers 10.77.0.1;
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
  option routers 10.77.0.254;
  if substring (option vendor-class-identifier, 0, 9) = "PXEClient" {
    option tftp-server-name "10.77.0.20";
    next-server 10.77.0.20;
    filename "pxelinux.0";
  }
}
`, 0o644)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if f.Severity == Problem {
			t.Errorf("a PXEClient-only if block reported as the phones' problem: %s", f)
		}
	}
}
