package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Breaker round 15 (a new member of b14's "DHCP from the router" class,
// 47b5b02). The router serves DHCP, but the distribution's DHCP server
// package is installed and left stopped, so its stock dhcpd.conf exists:
// CentOS 7 / Sangoma Linux 7 (FreePBX Distro) ship /etc/dhcp/dhcpd.conf
// as five comment lines ("see /usr/share/doc/dhcp*/dhcpd.conf.example"),
// Debian's isc-dhcp-server ships one with global options and every subnet
// commented out. Neither declares a subnet: the real dhcpd 4.4.3 started
// on either does not start ("No subnet declaration for lo", "Not configured to listen on
// any interfaces!", exit, checked in a netns), so it serves no phone.
//
// What happens: CheckDHCPServer reports the problem "no dhcpd, kea-dhcp4
// or dnsmasq is running: phones get no address" with the fix "systemctl
// start isc-dhcp-server": doctor exits 1 on every healthy run of a
// router-DHCP site, and the fix is a server that fails to start (or, once
// the admin adds a subnet to make it start, a second DHCP server on the
// phones' LAN). With no dhcpd.conf at all the same site gets a note
// (fixed since 47b5b02); the stock file alone turns it into a problem.
//
// Right outcome: a dhcpd.conf that declares no subnet (and no LDAP) serves
// nobody: no local server is then not a problem, and never the advice to
// start one: at most a note that the phones' DHCP is elsewhere.
func TestBreaker15StockDhcpdConfNoServerIsNotAProblem(t *testing.T) {
	stock := map[string]string{
		"centos7": "#\n# DHCP Server Configuration file.\n#   see /usr/share/doc/dhcp*/dhcpd.conf.example\n#   see dhcpd.conf(5) man page\n#\n",
		"debian12": "# dhcpd.conf\n#\n# Sample configuration file for ISC dhcpd\n#\n\n" +
			"option domain-name \"example.org\";\noption domain-name-servers ns1.example.org, ns2.example.org;\n\n" +
			"default-lease-time 600;\nmax-lease-time 7200;\n\nddns-update-style none;\n\n" +
			"# No service will be given on this subnet, but declaring it helps the\n# DHCP server to understand the network topology.\n\n" +
			"#subnet 10.152.187.0 netmask 255.255.255.0 {\n#}\n",
	}
	atftpd := Proc{PID: 501, Comm: "atftpd", Args: []string{"/usr/sbin/atftpd", "--daemon", "/tftpboot"},
		Start: time.Now().Add(-time.Hour), UDPPort: []int{69}}
	for name, src := range stock {
		conf := filepath.Join(t.TempDir(), "dhcpd.conf")
		if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range CheckDHCPServer([]Proc{atftpd}, conf) {
			if f.Severity == Problem || strings.Contains(f.Fix, "systemctl start") {
				t.Errorf("%s: stock dhcpd.conf (no subnet) with DHCP from the router reported as a problem: %s", name, f)
			}
		}
	}
}
