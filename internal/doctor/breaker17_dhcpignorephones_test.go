package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Breaker round 17. dhcpd gives the phones their addresses and option 150;
// a dnsmasq on the same host (Pi-hole style, the PCs' DHCP and DNS) is
// told to leave the phones alone: "dhcp-vendorclass=set:phones,IP Phone
// CP-79" tags every 79x0 by its option 60 (dnsmasq(8) --dhcp-vendorclass:
// a substring of the vendor class) and "dhcp-ignore=tag:phones" (or, the
// other way, "dhcp-range=tag:!phones,...") keeps them out. Checked with
// the real dnsmasq 2.90 in a network namespace: busybox udhcpc -O 150 -V
// "Cisco Systems, Inc. IP Phone CP-7960G" is "DHCPDISCOVER(...) ...
// ignored" (and "no address available" with the tag:!phones range), -V
// Other is bound.
//
// What happens: CheckDHCPServer reports dnsmasq as a second server the
// phones may take an offer from, with the fix "stop one of them" (the
// PCs' DHCP). The breaker15 static-range case was fixed the same way.
//
// Right outcome: a dnsmasq that offers the phones nothing is not a second
// server for them: no problem.
func TestBreaker17DnsmasqIgnoringPhonesIsNotASecondPhoneServer(t *testing.T) {
	for name, dmConf := range map[string]string{
		"dhcp-ignore=tag:phones": "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-vendorclass=set:phones,IP Phone CP-79\ndhcp-ignore=tag:phones\n",
		"dhcp-range=tag:!phones": "dhcp-vendorclass=set:phones,IP Phone CP-79\ndhcp-range=tag:!phones,10.77.0.100,10.77.0.200,12h\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			conf := filepath.Join(dir, "dhcpd.conf")
			write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.20 10.77.0.90; }\n", 0o644)
			dm := filepath.Join(dir, "dnsmasq.conf")
			write(t, dm, dmConf, 0o644)
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
					t.Errorf("a dnsmasq that ignores the phones reported as a second server for them: %s", f)
				}
			}
		})
	}
}
