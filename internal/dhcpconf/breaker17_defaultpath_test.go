package dhcpconf

import (
	"os"
	"path/filepath"
	"testing"
)

// Breaker round 17. Debian's isc-dhcp-server starts dhcpd from
// /etc/init.d/isc-dhcp-server (Debian 12 ships no unit of its own), which
// sources /etc/default/isc-dhcp-server and runs dhcpd with -cf
// "$DHCPDv4_CONF" (the stock default file: "# Path to dhcpd's config file
// (default: /etc/dhcp/dhcpd.conf). #DHCPDv4_CONF=/etc/dhcp/dhcpd.conf").
// An admin who keeps the phones' server in its own file sets
// DHCPDv4_CONF=/etc/dhcp/dhcpd-voip.conf.
//
// What happens: DefaultPath, "where the server reads its configuration on
// Debian", is /etc/dhcp/dhcpd.conf whatever DHCPDv4_CONF says, so
// "setup-dhcp --merge --tftp-server ..." (no --out) edits a file dhcpd does
// not read, prints "wrote /etc/dhcp/dhcpd.conf ... restart the DHCP
// server" and exits 0; after the restart the phones still get the old
// file's options.
//
// Right outcome: the default is the file Debian's dhcpd is started with,
// /etc/dhcp/dhcpd-voip.conf here.
func TestBreaker17DefaultPathFollowsDHCPDv4CONF(t *testing.T) {
	root := t.TempDir()
	for name, content := range map[string]string{
		"etc/dhcp/dhcpd.conf":      "# unused: see /etc/default/isc-dhcp-server\n",
		"etc/dhcp/dhcpd-voip.conf": "subnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n",
		"etc/default/isc-dhcp-server": "# Defaults for isc-dhcp-server (sourced by /etc/init.d/isc-dhcp-server)\n\n" +
			"# Path to dhcpd's config file (default: /etc/dhcp/dhcpd.conf).\n" +
			"DHCPDv4_CONF=/etc/dhcp/dhcpd-voip.conf\n#DHCPDv6_CONF=/etc/dhcp/dhcpd6.conf\n\nINTERFACESv4=\"eth0\"\nINTERFACESv6=\"\"\n",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := ISC.DefaultPath(root); got != "/etc/dhcp/dhcpd-voip.conf" {
		t.Errorf("DefaultPath = %s; Debian's dhcpd reads DHCPDv4_CONF=/etc/dhcp/dhcpd-voip.conf (/etc/default/isc-dhcp-server)", got)
	}
}
