package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// Breaker round 17, the doctor side of b17-kea-merge-stock-no-interfaces:
// Debian 12's stock /etc/kea/kea-dhcp4.conf (kea-dhcp4-server 2.2.0-6)
// has "interfaces-config": { "interfaces": [ ] } ("no interfaces are
// listed. Therefore, the servers will not listen or respond to any
// queries", its own header); an admin gave it the phones' subnet and
// option 150 (by hand or with setup-dhcp --format kea --merge), and
// kea-dhcp4-server runs. Checked with the real kea-dhcp4 2.2.0 in a network
// namespace: it logs DHCPSRV_NO_SOCKETS_OPEN, opens no UDP 67, and busybox
// udhcpc -O 150 -V "Cisco Systems, Inc. IP Phone CP-7960G" gets no lease.
//
// What happens: CheckDHCPConfig finds option 150 right and reports
// nothing; CheckDHCPServer counts any kea-dhcp4 process as a DHCP server.
// doctor calls the DHCP side healthy while no phone gets an address.
//
// Right outcome: a problem naming the empty interfaces list (add the LAN
// interface, or "*").
func TestBreaker17KeaListeningOnNoInterface(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "kea-dhcp4.conf")
	write(t, conf, `// This is a basic configuration for the Kea DHCPv4 server. Subnet declarations
// are mostly commented out and no interfaces are listed. Therefore, the servers
// will not listen or respond to any queries.
{
"Dhcp4": {
    "interfaces-config": {
        "interfaces": [ ]
    },
    "option-def": [ { "name": "voip-tftp-servers", "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" } ],
    "option-data": [ { "name": "voip-tftp-servers", "data": "10.77.0.1" } ],
    "lease-database": { "type": "memfile", "lfc-interval": 3600 },
    "subnet4": [ { "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ]
}
}
`, 0o644)
	fs := CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")})
	for _, f := range fs {
		if f.Severity == Problem && strings.Contains(f.String(), "interface") {
			return
		}
	}
	t.Errorf("Kea listens on no interface (\"interfaces\": [ ]) and doctor reports no problem naming it: %v", fs)
}
