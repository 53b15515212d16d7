package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Breaker round 15 (the two-servers check of 814e91a against the static
// ranges of b19fa48). dhcpd gives the phones their addresses and option
// 150; a dnsmasq on the same host (Pi-hole style, or the site's DNS) keeps
// DHCP only for the devices it names: "dhcp-range=10.77.0.0,static" and
// dhcp-host lines for the printer and the NAS. dnsmasq(8) on "static":
// only hosts given an address by dhcp-host or /etc/ethers are served; the
// real dnsmasq 2.90 answers an unknown client (a 7960) with no offer (91328a3)
// ("no address available"), as setup-dhcp itself says of such a range
// since b19fa48.
//
// What happens: CheckDHCPServer reports the problem "dnsmasq hands out
// addresses too (... sets neither option 150 nor option 66): a phone that
// takes its offer ... gets no TFTP server" with the fix "stop one of
// them, or give dnsmasq.conf option 150 too": exit 1 on a working site, and
// the fix stops the printers' DHCP. No phone can take an offer dnsmasq
// never makes.
//
// Right outcome: a dnsmasq whose IPv4 ranges are all static (or proxy)
// offers the phones nothing and is not a second server for them: no
// problem; at most a note.
func TestBreaker15StaticOnlyDnsmasqIsNotASecondPhoneServer(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n", 0o644)
	dm := filepath.Join(dir, "dnsmasq.conf")
	write(t, dm, "dhcp-range=10.77.0.0,static,255.255.255.0,12h\ndhcp-host=00:11:22:33:44:55,printer,10.77.0.20\ndhcp-host=00:11:22:33:44:66,nas,10.77.0.21\n", 0o644)
	start := time.Now().Add(-time.Hour)
	for _, f := range []string{conf, dm} {
		if err := os.Chtimes(f, start.Add(-time.Hour), start.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	dhcpd := Proc{PID: 700, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-4", "-q", "-cf", conf, "eth0"}, Start: start, UDPPort: []int{67}}
	dnsmasq := Proc{PID: 701, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "--conf-file=" + dm}, Start: start, UDPPort: []int{53, 67}}
	for _, f := range CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf) {
		if f.Severity == Problem || strings.Contains(f.Fix, "stop one of them") {
			t.Errorf("a static-only dnsmasq (offers unknown phones nothing) reported as a second server for the phones: %s", f)
		}
	}
}
