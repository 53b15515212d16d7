package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// Breaker round 14: the failover pair of b11-failover-peer after
// setup-dhcp --merge: dhcpd.conf (this server, the primary: "failover peer
// foo", peer address 10.77.0.2, split 128, include "dhcpd.master") now
// ends with setup-dhcp's block. The merge said once that the peer needs
// the same option 150; the secondary (10.77.0.2) still answers about half
// the phones from its own file, without option 150 (b11-failover-peer:
// checked with two real dhcpd, 4 of 12 clients got no option 150).
//
// Doctor, the check an admin runs afterwards and from cron, reads the same
// file and is silent about the peer: no finding names it, so "healthy"
// while half the phones show "Protocol Application Invalid". Kea HA peers
// are likewise named by setup-dhcp only.
//
// Right outcome: doctor names the failover peer (and its address) whose
// server it cannot check and that needs the same option 150.
func TestBreaker14DoctorNamesFailoverPeer(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, `failover peer "foo" {
  primary;
  address 10.77.0.1;
  port 519;
  peer address 10.77.0.2;
  peer port 520;
  max-response-delay 60;
  max-unacked-updates 10;
  mclt 3600;
  split 128;
  load balance max seconds 3;
}

include "`+filepath.Join(dir, "dhcpd.master")+`";
# BEGIN setup-dhcp (managed; do not edit)
# Option 150: the TFTP server Cisco 79x0 phones load their firmware and config from.
option voip-tftp-servers code 150 = array of ip-address;
option voip-tftp-servers 10.77.0.1;
# END setup-dhcp
`, 0o644)
	write(t, filepath.Join(dir, "dhcpd.master"), `authoritative;
subnet 10.77.0.0 netmask 255.255.255.0 {
  option routers 10.77.0.254;
  pool {
    failover peer "foo";
    range 10.77.0.100 10.77.0.200;
  }
}
`, 0o644)
	fs := CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")})
	for _, f := range fs {
		if strings.Contains(f.String(), "10.77.0.2") {
			return
		}
	}
	t.Errorf("no finding names failover peer \"foo\" (10.77.0.2); findings: %v", fs)
}
