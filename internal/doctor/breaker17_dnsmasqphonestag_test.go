package doctor

import (
	"net/netip"
	"path/filepath"
	"testing"
)

// Breaker round 17, the doctor side of b17-dnsmasq-not-phones-tag-150 and
// b17-dnsmasq-phones-tag-overrides-global: the 79x0s are tagged by option
// 60 ("dhcp-vendorclass=set:phones,IP Phone CP-79") and get this server,
// every other device the old one, written either way:
//   - "dhcp-option=tag:!phones,150,10.77.0.9" beside the untagged
//     "dhcp-option=150,10.77.0.1";
//   - the untagged "dhcp-option=150,10.77.0.9" beside
//     "dhcp-option=tag:phones,150,10.77.0.1" (dnsmasq(8): an option with
//     tags is used in preference to an untagged one).
//
// Checked with the real dnsmasq 2.90 in a network namespace: busybox udhcpc
// -O 150 -V "Cisco Systems, Inc. IP Phone CP-7960G" gets opt150=0a4d0001,
// -V Other gets 0a4d0009, in both layouts.
//
// What happens: CheckDHCPConfig reports "option 150 is 10.77.0.9, not this
// TFTP server (10.77.0.1)" with "remove or change" the line: doctor exits 1
// on a site whose phones get the right server, and its fix takes the old
// server from every other device.
//
// Right outcome: no problem (a note at most).
func TestBreaker17DnsmasqOtherDevicesOldServer(t *testing.T) {
	for name, conf := range map[string]string{
		"tag:!phones": "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-vendorclass=set:phones,IP Phone CP-79\ndhcp-option=tag:!phones,150,10.77.0.9\ndhcp-option=150,10.77.0.1\n",
		"tag:phones":  "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-option=150,10.77.0.9\ndhcp-vendorclass=set:phones,IP Phone CP-79\ndhcp-option=tag:phones,150,10.77.0.1\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dnsmasq.conf")
			write(t, path, conf, 0o644)
			for _, f := range CheckDHCPConfig(path, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
				if f.Severity == Problem {
					t.Errorf("phones get this server through their tag, yet: %s", f)
				}
			}
		})
	}
}
