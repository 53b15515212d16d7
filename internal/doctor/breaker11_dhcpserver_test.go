package doctor

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Breaker round 11: a FreePBX host with ISC dhcpd for the phones often runs
// other dnsmasq processes that serve no phone:
//
//   - NetworkManager's local DNS cache (NetworkManager.conf dns=dnsmasq),
//     started with the command line of NetworkManager's
//     src/core/dns/nm-dns-dnsmasq.c (NetworkManager/NetworkManager):
//     --no-resolv --keep-in-foreground --no-hosts --bind-interfaces
//     --pid-file=/run/NetworkManager/dnsmasq.pid --listen-address=127.0.0.1
//     --cache-size=400 --clear-on-reload --conf-file=/dev/null
//     --proxy-dnssec --enable-dbus=org.freedesktop.NetworkManager.dnsmasq
//     --conf-dir=/etc/NetworkManager/dnsmasq.d. It has no dhcp-range: DNS
//     only, UDP port 53, never 67.
//   - libvirt's dnsmasq for its "default" NAT network (virbr0), started as
//     /usr/sbin/dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/default.conf
//     --leasefile-ro --dhcp-script=/usr/lib/libvirt/libvirt_leaseshelper:
//     DHCP for the VMs on virbr0 only, from its own file.
//
// CheckDHCPServer counts every dnsmasq as "a DHCP server" that reads the
// checked file (only -cf/-c are read from a command line), so:
//  1. with dhcpd stopped (or crashed), NetworkManager's DNS cache alone
//     satisfies the check: doctor never says that no DHCP server runs;
//  2. after setup-dhcp changed dhcpd.conf and the admin restarted dhcpd as
//     told, doctor still reports "changed after dnsmasq (pid N) started:
//     the running server still uses the old settings" with the fix
//     "systemctl restart isc-dhcp-server", which cannot clear it: doctor
//     exits 1 on a healthy server for as long as NetworkManager's (or
//     libvirt's) dnsmasq runs.
//
// Right outcome: a dnsmasq without UDP port 67 is no DHCP server (as
// pihole-FTL already is judged); a dnsmasq whose --conf-file names another
// file than the one checked reads that one (a note, as for dhcpd -cf).

func b11Conf(t *testing.T) (string, time.Time) {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, "x", 0o644)
	fi, err := os.Stat(conf)
	if err != nil {
		t.Fatal(err)
	}
	return conf, fi.ModTime()
}

var (
	b11NMDnsmasq = []string{"/usr/sbin/dnsmasq", "--no-resolv", "--keep-in-foreground", "--no-hosts", "--bind-interfaces",
		"--pid-file=/run/NetworkManager/dnsmasq.pid", "--listen-address=127.0.0.1", "--cache-size=400", "--clear-on-reload",
		"--conf-file=/dev/null", "--proxy-dnssec", "--enable-dbus=org.freedesktop.NetworkManager.dnsmasq",
		"--conf-dir=/etc/NetworkManager/dnsmasq.d"}
	b11LibvirtDnsmasq = []string{"/usr/sbin/dnsmasq", "--conf-file=/var/lib/libvirt/dnsmasq/default.conf", "--leasefile-ro",
		"--dhcp-script=/usr/lib/libvirt/libvirt_leaseshelper"}
)

func TestBreaker11NetworkManagerDnsmasqIsNoDHCPServer(t *testing.T) {
	conf, mtime := b11Conf(t)
	nm := Proc{PID: 812, Comm: "dnsmasq", Args: b11NMDnsmasq, Start: mtime.Add(-24 * time.Hour), UDPPort: []int{53}}
	has(t, CheckDHCPServer([]Proc{nm}, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
}

func TestBreaker11OtherDnsmasqAfterDhcpdRestart(t *testing.T) {
	conf, mtime := b11Conf(t)
	// dhcpd restarted after the change, as setup-dhcp told the admin.
	dhcpd := Proc{PID: 7, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-4", "-q", "-cf", conf, "eth0"},
		Start: mtime.Add(time.Minute), UDPPort: []int{67}}
	for name, p := range map[string]Proc{
		"NetworkManager": {PID: 812, Comm: "dnsmasq", Args: b11NMDnsmasq, Start: mtime.Add(-24 * time.Hour), UDPPort: []int{53}},
		"libvirt":        {PID: 1490, Comm: "dnsmasq", Args: b11LibvirtDnsmasq, Start: mtime.Add(-24 * time.Hour), UDPPort: []int{53, 67}},
	} {
		fs := CheckDHCPServer([]Proc{dhcpd, p}, conf)
		for _, f := range fs {
			if f.Severity == Problem {
				t.Errorf("%s's dnsmasq: %s", name, f)
			}
		}
		if name == "libvirt" {
			has(t, fs, "pid 1490 reads /var/lib/libvirt/dnsmasq/default.conf")
		}
	}
}
