package doctor

import (
	"net/netip"
	"path/filepath"
	"testing"
)

// Breaker round 19: doctor's DHCP check of a dhcpd.conf whose option 150 is
// right but whose only subnet gives a phone no lease. doctor reports the
// Kea form of this as a problem ("no pool gives an address to a client
// without a reservation (subnet4 10.77.0.0/24's pools are for client-class
// KNOWN only)"), and setup-dhcp warns about the ISC forms
// (b14-isc-deny-unknown-clients, b17-isc-subnet-no-range); doctor says
// nothing about the same ISC files: no finding at all, so a site whose
// phones all sit at "Configuring IP" gets a clean DHCP report.
//
// Checked with the real dhcpd 4.4.3-P1 in a network namespace for the
// members-only pool (b19-isc-pool-members-only): busybox udhcpc -O 150 -V
// "Cisco Systems, Inc. IP Phone CP-7960G" gets no lease. dhcpd.conf(5)
// PERMIT LISTS and "the unknown-clients keyword" say the same for the
// others; none of these files has a host declaration.
//
// Right outcome: a finding (a problem, as for Kea) naming the subnet or
// pool that gives a phone without a host entry no address.
func TestBreaker19DoctorISCNoLeaseForPhones(t *testing.T) {
	const global = "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\n"
	for name, body := range map[string]string{
		"deny-unknown-clients": "subnet 10.77.0.0 netmask 255.255.255.0 {\n  range 10.77.0.100 10.77.0.200;\n  deny unknown-clients;\n}\n",
		"no-range":             "subnet 10.77.0.0 netmask 255.255.255.0 {\n  option routers 10.77.0.254;\n}\n",
		"pool-members-only":    "class \"pxeclients\" {\n  match if substring (option vendor-class-identifier, 0, 9) = \"PXEClient\";\n}\nsubnet 10.77.0.0 netmask 255.255.255.0 {\n  pool {\n    allow members of \"pxeclients\";\n    range 10.77.0.100 10.77.0.200;\n  }\n}\n",
	} {
		t.Run(name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "dhcpd.conf")
			write(t, conf, global+body, 0o644)
			fs := CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")})
			for _, f := range fs {
				if f.Severity == Problem {
					return
				}
			}
			t.Errorf("no problem reported for a dhcpd.conf that leases no phone; findings: %v", fs)
		})
	}
}

// The dnsmasq member: doctor names a dnsmasq range tagged for clients no
// 79x0 is ("the range ... is for only clients tagged pxe, and no 79x0's
// request is": a problem), but says nothing about a range only for
// dhcp-host clients ("dhcp-range=10.77.0.0,static", dnsmasq(8): only
// addresses from dhcp-host lines) or "dhcp-ignore=tag:!known" (dnsmasq(8):
// clients without a dhcp-host are ignored), both with no dhcp-host line at
// all. setup-dhcp warns about both (b14-dnsmasq-static-range,
// b14-dnsmasq-ignore-unknown). dnsmasq 2.90 --test accepts both files.
//
// Right outcome: a problem naming the line that leaves a phone without a
// dhcp-host no lease.
func TestBreaker19DoctorDnsmasqNoLeaseForPhones(t *testing.T) {
	for name, body := range map[string]string{
		"static-range":   "dhcp-range=10.77.0.0,static\ndhcp-option=150,10.77.0.1\n",
		"ignore-unknown": "dhcp-range=10.77.0.100,10.77.0.200\ndhcp-ignore=tag:!known\ndhcp-option=150,10.77.0.1\n",
	} {
		t.Run(name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "dnsmasq.conf")
			write(t, conf, body, 0o644)
			fs := CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")})
			for _, f := range fs {
				if f.Severity == Problem {
					return
				}
			}
			t.Errorf("no problem reported for a dnsmasq file that leases no phone; findings: %v", fs)
		})
	}
}
