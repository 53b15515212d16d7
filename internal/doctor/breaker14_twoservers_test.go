package doctor

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Breaker round 14: two DHCP servers answering the phones' LAN from this
// host: isc-dhcp-server for the phones (option 150 merged by setup-dhcp)
// and a dnsmasq with its own dhcp-range on the same subnet (Pi-hole's or a
// home-lab dnsmasq with DHCP switched on), both on UDP 67. A phone takes
// whichever offer arrives first, so some boot with dnsmasq's answer and no
// option 150 ("Protocol Application Invalid", changing from boot to boot).
// CheckDHCPServer counts both as serving and only notes "pid N reads
// dnsmasq.conf, not dhcpd.conf: check that one": exit 0, healthy.
//
// Right outcome: more than one DHCP server handing out addresses on this
// host is a problem naming both (pid and file), or at least the second
// one's file is checked for option 150 (it has none).
func TestBreaker14TwoDHCPServersOnePhoneLAN(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n", 0o644)
	dm := filepath.Join(dir, "dnsmasq.conf")
	write(t, dm, "dhcp-range=10.77.0.50,10.77.0.99,12h\ndhcp-option=option:router,10.77.0.254\n", 0o644)
	start := time.Now().Add(-time.Hour)
	for _, f := range []string{conf, dm} { // both servers started after their files were written
		if err := os.Chtimes(f, start.Add(-time.Hour), start.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	dhcpd := Proc{PID: 700, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-4", "-q", "-cf", conf, "eth0"}, Start: start, UDPPort: []int{67}}
	dnsmasq := Proc{PID: 701, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "--conf-file=" + dm}, Start: start, UDPPort: []int{53, 67}}
	fs := CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf)
	for _, f := range fs {
		if f.Severity == Problem {
			return
		}
	}
	t.Errorf("two DHCP servers (dhcpd pid 700, dnsmasq pid 701 without option 150) on one LAN: no problem reported: %v", fs)
}
