package doctor

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckDHCPServerPihole: on a Pi-hole the DHCP server is dnsmasq built
// into pihole-FTL (Pi-hole's FTLDNS since v4: the process and its systemd
// unit are pihole-FTL, FTL's README; FTL v6 writes the dnsmasq config in
// /etc/pihole/dnsmasq.conf, pi-hole/FTL src/config/dnsmasq_config.c, with
// dhcp-range when dhcp.active). README names Pi-hole among the dnsmasq
// sites setup-dhcp --format dnsmasq serves. Pi-hole's unit runs
// "ExecStart=/usr/bin/pihole-FTL -f" (pi-hole/pi-hole
// advanced/Templates/pihole-FTL.service, user pihole with
// CAP_NET_BIND_SERVICE): /proc shows comm "pihole-FTL" on UDP 53 and 67.
//
// Today doctor says "problem: DHCP server: no dhcpd, kea-dhcp4 or dnsmasq
// is running: phones get no address; fix: systemctl start
// isc-dhcp-server (or kea-dhcp4-server, dnsmasq)": false, and the fix
// starts a second DHCP server (or a dnsmasq that cannot bind port 53 next
// to pihole-FTL).
//
// Right outcome: pihole-FTL counts as the (dnsmasq) DHCP server: no such
// problem.
func TestCheckDHCPServerPihole(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dnsmasq.conf")
	write(t, conf, "dhcp-range=192.168.0.10,192.168.0.250,24h\n", 0o644)
	ftl := Proc{PID: 812, Comm: "pihole-FTL", Args: []string{"/usr/bin/pihole-FTL", "-f"}, UID: 999, GID: 999, UDPPort: []int{53, 67}}
	for _, f := range CheckDHCPServer([]Proc{ftl}, conf) {
		if strings.Contains(f.String(), "no dhcpd, kea-dhcp4 or dnsmasq is running") {
			t.Errorf("pihole-FTL (DHCP on UDP 67) not seen as the DHCP server: %s", f)
		}
	}
}
