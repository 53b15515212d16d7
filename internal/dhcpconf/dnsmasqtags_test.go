package dhcpconf

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func inspectText(t *testing.T, conf string) DnsmasqSite {
	t.Helper()
	p := filepath.Join(t.TempDir(), "dnsmasq.conf")
	if err := os.WriteFile(p, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	site, err := InspectDnsmasq(p, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// A tagged option 150 reaches phones unless its tag is set only by lines
// a 79x0's request never matches (option 60 "Cisco Systems, Inc. IP Phone
// CP-7960G", dnsmasq's case-sensitive substring match).
func TestNoPhoneGetsTaggedOption(t *testing.T) {
	for _, c := range []struct {
		conf string
		macs []string
		left bool // left alone: no phone gets it
	}{
		{"dhcp-vendorclass=set:juniper,Juniper\ndhcp-option=tag:juniper,150,10.77.0.5\n", nil, true},
		{"dhcp-vendorclass=juniper,Juniper\ndhcp-option=net:juniper,150,10.77.0.5\n", nil, true},
		{"dhcp-match=set:ztp,option:vendor-class,\"Juniper\"\ndhcp-option=tag:ztp,option:tftp-server-address,10.77.0.5\n", nil, true},
		{"dhcp-vendorclass=set:cisco,IP Phone\ndhcp-option=tag:cisco,150,10.77.0.5\n", nil, false},
		{"dhcp-vendorclass=set:ci,cisco systems\ndhcp-option=tag:ci,150,10.77.0.5\n", nil, true}, // case differs
		{"dhcp-match=set:any60,60\ndhcp-option=tag:any60,150,10.77.0.5\n", nil, false},
		{"dhcp-vendorclass=set:j,Juniper\ndhcp-host=00:11:22:33:44:55,set:j\ndhcp-option=tag:j,150,10.77.0.5\n", nil, false},
		{"dhcp-option=tag:eth0,150,10.77.0.5\n", nil, false},
		{"dhcp-mac=set:jnpr,3c:61:04:*:*:*\ndhcp-option=tag:jnpr,150,10.77.0.5\n", nil, false},
		{"dhcp-mac=set:jnpr,3c:61:04:*:*:*\ndhcp-option=tag:jnpr,150,10.77.0.5\n", []string{"00:1b:d4:12:34:56"}, true},
		{"dhcp-mac=set:p,1-00:1B:D4:*:*:*\ndhcp-option=tag:p,150,10.77.0.5\n", []string{"00:1b:d4:12:34:56"}, false},
		{"dhcp-userclass=set:u,Juniper\ndhcp-option=tag:u,150,10.77.0.5\n", nil, false},
	} {
		site := inspectText(t, c.conf)
		if len(site.Options) != 1 {
			t.Fatalf("%q: options %v", c.conf, site.Options)
		}
		why := site.NoPhoneGets(site.Options[0], c.macs)
		if (why != "") != c.left {
			t.Errorf("%q (macs %v): %q, want left alone %v", c.conf, c.macs, why, c.left)
		}
	}
}

func TestDnsmasqRangeModes(t *testing.T) {
	site := inspectText(t, "dhcp-range=set:a,10.77.0.0,static,255.255.255.0,12h\ndhcp-range=10.78.0.0,proxy\ndhcp-ignore=net:#known\n")
	if len(site.Ranges) != 0 || len(site.StaticRanges) != 1 || len(site.ProxyRanges) != 1 || len(site.Ignores) != 1 {
		t.Fatalf("ranges %v static %v proxy %v ignores %v", site.Ranges, site.StaticRanges, site.ProxyRanges, site.Ignores)
	}
	if err := site.ProxyOnly(); err != nil {
		t.Errorf("a static range next to the proxy one serves phones: %v", err)
	}
	w, _ := site.KnownOnly([]Reservation{{MAC: mustMAC(t, "00:1b:d4:12:34:56")}}, true)
	if len(w) != 1 || !strings.Contains(w[0], "001BD4123456") || !strings.Contains(w[0], ":1:") {
		t.Errorf("reservation without address in a static range: %q", w)
	}
	proxy := inspectText(t, "dhcp-range=10.77.0.0,proxy,255.255.255.0\n")
	if err := proxy.ProxyOnly(); err == nil || !strings.Contains(err.Error(), "dnsmasq.conf:1") {
		t.Errorf("proxy only: %v", err)
	}
}

func mustMAC(t *testing.T, s string) net.HardwareAddr {
	t.Helper()
	m, err := ParseMAC(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
