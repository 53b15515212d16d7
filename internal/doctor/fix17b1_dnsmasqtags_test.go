package doctor

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Other members of the breaker-17 class, doctor side: a dnsmasq that
// ignores every phone through dhcp-match on option 60 is no second server
// for them; one whose tags cannot be judged still is; an untagged old
// server beside a tagged line whose tags only some models carry is still
// a problem; 0.0.0.0 in a tagged line every phone matches is this host.
func TestFix17b1DnsmasqPhoneTags(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.20 10.77.0.90; }\n", 0o644)
	start := time.Now().Add(-time.Hour)
	for name, c := range map[string]struct {
		conf   string
		second bool
	}{
		"dhcp-match 60":  {"dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-match=set:cisco,60\ndhcp-ignore=tag:cisco\n", false},
		"interface tag":  {"dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-ignore=tag:eth1\n", true},
		"juniper ignore": {"dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-vendorclass=set:j,Juniper\ndhcp-ignore=tag:j\n", true},
	} {
		dm := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".conf")
		write(t, dm, c.conf, 0o644)
		for _, f := range []string{conf, dm} {
			if err := os.Chtimes(f, start.Add(-time.Hour), start.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		dhcpd := Proc{PID: 700, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-4", "-q", "-cf", conf, "eth0"}, Start: start, UDPPort: []int{67}}
		dnsmasq := Proc{PID: 701, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "--conf-file=" + dm}, Start: start, UDPPort: []int{53, 67}}
		second := false
		for _, f := range CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf) {
			second = second || f.Severity == Problem && strings.Contains(f.Fix, "stop one of them")
		}
		if second != c.second {
			t.Errorf("%s: reported as a second server for the phones: %v, want %v", name, second, c.second)
		}
	}

	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	for name, c := range map[string]struct {
		conf    string
		problem bool
	}{
		"7960 only":      {"dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-option=150,10.77.0.9\ndhcp-vendorclass=set:p,CP-7960\ndhcp-option=tag:p,150,10.77.0.1\n", true},
		"tagged 0.0.0.0": {"dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-option=150,10.77.0.9\ndhcp-match=set:cisco,60\ndhcp-option=tag:cisco,150,0.0.0.0\n", false},
		"tag:!cisco old": {"dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-match=set:cisco,60\ndhcp-option=tag:!cisco,150,10.77.0.9\ndhcp-option=150,10.77.0.1\n", false},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+"-opt.conf")
		write(t, path, c.conf, 0o644)
		problem := false
		for _, f := range CheckDHCPConfig(path, want) {
			problem = problem || f.Severity == Problem
		}
		if problem != c.problem {
			t.Errorf("%s: problem %v, want %v: %v", name, problem, c.problem, CheckDHCPConfig(path, want))
		}
	}
}

// doctor reads the result setup-dhcp writes where the phones carry a tag
// and the other clients keep an untagged old server (a drop-in with
// tag:phones lines in the conf-dir): no problem. A dnsmasq file given as
// the phones' configuration that ignores them all is one.
func TestFix17b1DnsmasqTaggedDropInAndIgnore(t *testing.T) {
	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	dir := t.TempDir()
	main := filepath.Join(dir, "dnsmasq.conf")
	write(t, main, "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-option=66,oldcm\ndhcp-option=150,10.77.0.9\ndhcp-vendorclass=set:phones,IP Phone CP-79\nconf-dir="+filepath.Join(dir, "d")+"\n", 0o644)
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "d", "setup-dhcp.conf"), "# dnsmasq drop-in for Cisco 7940/7960 SIP phones, written by setup-dhcp.\ndhcp-option=tag:phones,150,10.77.0.1\ndhcp-option=tag:phones,66,\"10.77.0.1\"\n", 0o644)
	for _, f := range CheckDHCPConfig(main, want) {
		if f.Severity == Problem {
			t.Errorf("tagged drop-in beside the others' untagged server: %s", f)
		}
	}
	ign := filepath.Join(dir, "ignore.conf")
	write(t, ign, "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-vendorclass=set:phones,IP Phone CP-79\ndhcp-ignore=tag:phones\ndhcp-option=150,10.77.0.1\n", 0o644)
	found := false
	for _, f := range CheckDHCPConfig(ign, want) {
		found = found || f.Severity == Problem && strings.Contains(f.String(), "ignore.conf:3")
	}
	if !found {
		t.Errorf("a dnsmasq that ignores every phone, given as their DHCP configuration: %v", CheckDHCPConfig(ign, want))
	}
}
