package doctor

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Breaker round 15 (the two-servers check of 814e91a, as Debian starts
// dnsmasq). Debian's dnsmasq service runs "/usr/sbin/dnsmasq -x
// /run/dnsmasq/dnsmasq.pid -u dnsmasq -7 /etc/dnsmasq.d,.dpkg-dist,
// .dpkg-old,.dpkg-new --local-service" (/etc/init.d/dnsmasq,
// systemd-helper): no -C/--conf-file, so it reads /etc/dnsmasq.conf and
// the drop-ins of -7. A site's drop-in there hands out addresses
// (dhcp-range) without option 150, next to the dhcpd that gives the
// phones option 150.
//
// What happens: CheckDHCPServer skips every server whose command line
// names no file (procConf ""), so this dnsmasq is never weighed: no
// problem, no note, though both answer the phones' DISCOVER and a phone
// taking dnsmasq's offer gets no TFTP server. The same dnsmasq started
// with --conf-file=FILE is reported (814e91a).
//
// Right outcome: a dnsmasq without -C is judged by the files it reads by
// default (dnsmasq.conf and its -7 drop-ins): the problem "hands out
// addresses too ... sets neither option 150 nor option 66", as with
// --conf-file.
func TestBreaker15DebianDnsmasqWithoutConfFileIsASecondServer(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n", 0o644)
	dropDir := filepath.Join(dir, "dnsmasq.d")
	if err := os.Mkdir(dropDir, 0o755); err != nil {
		t.Fatal(err)
	}
	drop := filepath.Join(dropDir, "office.conf")
	write(t, drop, "dhcp-range=10.77.0.50,10.77.0.99,12h\ndhcp-option=option:router,10.77.0.254\n", 0o644)
	start := time.Now().Add(-time.Hour)
	for _, f := range []string{conf, drop} {
		if err := os.Chtimes(f, start.Add(-time.Hour), start.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	dhcpd := Proc{PID: 700, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-4", "-q", "-cf", conf, "eth0"}, Start: start, UDPPort: []int{67}}
	dnsmasq := Proc{PID: 701, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "-x", "/run/dnsmasq/dnsmasq.pid", "-u", "dnsmasq",
		"-7", dropDir + ",.dpkg-dist,.dpkg-old,.dpkg-new", "--local-service"}, Start: start, UDPPort: []int{53, 67}}
	fs := CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf)
	for _, f := range fs {
		if f.Severity == Problem {
			return
		}
	}
	t.Errorf("dhcpd (option 150) and Debian's dnsmasq (-7 drop-in with a dhcp-range, no option 150) both on UDP 67: no problem reported: %v", fs)
}
