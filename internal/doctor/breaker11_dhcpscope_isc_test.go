package doctor

import (
	"net/netip"
	"testing"
)

// Breaker round 11, the ISC case of breaker11_dhcpscope_test.go (case 3
// there), split off so the Kea cases could land first.

func TestBreaker11ISCTwoAddressRecord(t *testing.T) {
	conf := b11Write(t, "dhcpd.conf", `option voip-tftp-server code 150 = { ip-address, ip-address };

shared-network opsi {
	subnet 192.168.3.0 netmask 255.255.255.0 {
		range 192.168.3.100 192.168.3.200;
		option voip-tftp-server 192.168.3.20 192.168.3.21;
		group {
			next-server 192.168.3.33;
			filename "linux/pxelinux.0";
		}
	}
}
# BEGIN setup-dhcp (managed; do not edit)
# Option 150: the TFTP server Cisco 79x0 phones load their firmware and config from.
option voip-tftp-servers code 150 = array of ip-address;
option voip-tftp-servers 192.168.3.5;
# END setup-dhcp
`)
	has(t, CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("192.168.3.5")}), "problem", "192.168.3.20")
}
