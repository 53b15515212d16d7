package doctor

import (
	"net/netip"
	"path/filepath"
	"testing"
)

// Breaker round 14: code 150 declared "string" and set with colon hex
// (dhcp-options(5): a string's bytes "as a list of hexadecimal contents
// separated by colons"). 0a:4d:00:01 is 10.77.0.1: the real dhcpd 4.4.3
// sends opt150=0a4d0001 (checked in a network namespace with busybox
// udhcpc -O 150). Doctor reads Kea's hex form as addresses (a6c9b24) but
// reports this working ISC line as a problem, "option 150 is 0a:4d:00:01,
// not this TFTP server (10.77.0.1)", and its fix (--take-over) comments
// out the line that already gives the phones this server.
func TestBreaker14ISCHexStringOption150IsThisServer(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, `option voip-tftp-server code 150 = string;
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
  option routers 10.77.0.254;
  option voip-tftp-server 0a:4d:00:01;
}
`, 0o644)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if f.Severity == Problem {
			t.Errorf("working option 150 (0a:4d:00:01 = 10.77.0.1) reported: %s", f)
		}
	}
}
