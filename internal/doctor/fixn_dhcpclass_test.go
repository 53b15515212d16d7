package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Other members of the breaker15 classes (92dc35e, 73594ff, 16e1578).

// A dhcpd.conf whose only subnet stands inside a shared-network (or that
// sets option 150 without one) is no stock file: with no server running,
// that is still the problem "no dhcpd ... is running".
func TestFixnSubnetInSharedNetworkIsAServerFile(t *testing.T) {
	for name, src := range map[string]string{
		"shared-network": "shared-network lan {\n  subnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n}\n",
		"option150":      "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\n",
	} {
		conf := filepath.Join(t.TempDir(), "dhcpd.conf")
		write(t, conf, src, 0o644)
		got := CheckDHCPServer(nil, conf)
		if len(got) == 0 || got[0].Severity != Problem || !strings.Contains(got[0].Fix, "systemctl start") {
			t.Errorf("%s: want the problem 'no dhcpd running', got %v", name, got)
		}
	}
	// CentOS 7's stock file read with --dhcpd-conf: as with no file, an
	// unchecked finding pointing at the router, not a setup-dhcp fix.
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, "#\n# DHCP Server Configuration file.\n#   see /usr/share/doc/dhcp*/dhcpd.conf.example\n#\n", 0o644)
	fs := CheckDHCPConfig(conf, LocalAddrs([]string{"10.77.0.1/24"}))
	if len(fs) != 1 || fs[0].Severity != Unchecked || !strings.Contains(fs[0].Fix, "router") {
		t.Errorf("stock dhcpd.conf: want one unchecked finding naming the router, got %v", fs)
	}
}

// twoServers runs CheckDHCPServer on dhcpd (option 150) and a dnsmasq
// with the given file and extra arguments.
func twoServers(t *testing.T, dnsmasqConf string, args ...string) []Finding {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n", 0o644)
	dm := filepath.Join(dir, "dnsmasq.conf")
	write(t, dm, dnsmasqConf, 0o644)
	start := time.Now().Add(-time.Hour)
	for _, f := range []string{conf, dm} {
		if err := os.Chtimes(f, start.Add(-time.Hour), start.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	dhcpd := Proc{PID: 700, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-4", "-cf", conf}, Start: start, UDPPort: []int{67}}
	dnsmasq := Proc{PID: 701, Comm: "dnsmasq", Args: append([]string{"/usr/sbin/dnsmasq", "--conf-file=" + dm}, args...), Start: start, UDPPort: []int{53, 67}}
	return CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf)
}

func hasProblem(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Problem {
			return true
		}
	}
	return false
}

// dnsmasq's other ways of serving known hosts only, and a dynamic range
// on its command line beside a static one in its file.
func TestFixnKnownHostsOnlyDnsmasq(t *testing.T) {
	if fs := twoServers(t, "dhcp-range=10.77.0.50,10.77.0.99,12h\ndhcp-ignore=tag:!known\ndhcp-host=00:11:22:33:44:55,10.77.0.60\n"); hasProblem(fs) {
		t.Errorf("dnsmasq with dhcp-ignore=tag:!known: no offer to an unknown phone, yet a problem: %v", fs)
	}
	if fs := twoServers(t, "dhcp-range=10.77.0.0,static\n", "--dhcp-range=10.77.0.50,10.77.0.99,12h"); !hasProblem(fs) {
		t.Errorf("dnsmasq with a dynamic --dhcp-range on its command line: want a problem, got %v", fs)
	}
	if fs := twoServers(t, "dhcp-range=10.77.0.0,static\ndhcp-range=10.77.0.50,10.77.0.99\n"); !hasProblem(fs) {
		t.Errorf("dnsmasq with a static and a dynamic range: want a problem, got %v", fs)
	}
}

// Debian's dnsmasq without -C: its -7 directory's filters are honoured
// (a .dpkg-old file is not read), and a drop-in setting option 150 makes
// it no problem.
func TestFixnDebianDnsmasqDropIns(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n", 0o644)
	drop := filepath.Join(dir, "dnsmasq.d")
	if err := os.Mkdir(drop, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-time.Hour)
	run := func() []Finding {
		for _, f := range []string{conf, drop} {
			_ = os.Chtimes(f, start.Add(-time.Hour), start.Add(-time.Hour))
		}
		ents, _ := os.ReadDir(drop)
		for _, e := range ents {
			_ = os.Chtimes(filepath.Join(drop, e.Name()), start.Add(-time.Hour), start.Add(-time.Hour))
		}
		dhcpd := Proc{PID: 700, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-4", "-cf", conf}, Start: start, UDPPort: []int{67}}
		dnsmasq := Proc{PID: 701, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "-x", "/run/dnsmasq/dnsmasq.pid", "-u", "dnsmasq",
			"-7", drop + ",.dpkg-dist,.dpkg-old,.dpkg-new", "--local-service"}, Start: start, UDPPort: []int{53, 67}}
		return CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf)
	}
	write(t, filepath.Join(drop, "office.conf.dpkg-old"), "dhcp-range=10.77.0.50,10.77.0.99,12h\n", 0o644)
	write(t, filepath.Join(drop, "office.conf"), "dhcp-range=10.77.0.50,10.77.0.99,12h\ndhcp-option=150,10.77.0.1\n", 0o644)
	if fs := run(); hasProblem(fs) {
		t.Errorf("Debian dnsmasq whose drop-in sets option 150: no problem wanted, got %v", fs)
	}
	write(t, filepath.Join(drop, "office.conf"), "dhcp-range=10.77.0.0,static\ndhcp-option=option:router,10.77.0.254\n", 0o644)
	if fs := run(); hasProblem(fs) {
		t.Errorf("Debian dnsmasq whose only dynamic range is in a .dpkg-old file (not read): no problem wanted, got %v", fs)
	}
}
