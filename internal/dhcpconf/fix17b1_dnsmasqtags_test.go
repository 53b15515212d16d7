package dhcpconf

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// dhcp-ignore lines are judged by the tags a 79x0's request carries:
// refused when every phone matches, a note when some may.
func TestDnsmasqIgnoresPhones(t *testing.T) {
	phone := []string{"00:1b:d4:12:34:56"}
	for _, c := range []struct {
		conf      string
		macs      []string
		err, note bool
	}{
		{"dhcp-match=set:cisco,60\ndhcp-ignore=tag:cisco\n", nil, true, false}, // every phone sends option 60
		{"dhcp-vendorclass=set:p,IP Phone CP-79\ndhcp-ignore=tag:p\n", nil, true, false},
		{"dhcp-vendorclass=set:p,CP-7960\ndhcp-ignore=tag:p\n", nil, false, true}, // the 7960s only
		{"dhcp-vendorclass=set:j,Juniper\ndhcp-ignore=tag:j\n", nil, false, false},
		{"dhcp-mac=set:c,00:1b:d4:*:*:*\ndhcp-ignore=tag:c\n", phone, true, false},
		{"dhcp-mac=set:c,00:1b:d4:*:*:*\ndhcp-ignore=tag:c\n", nil, false, true},
		{"dhcp-vendorclass=set:phones,IP Phone\ndhcp-ignore=tag:!phones\n", nil, false, false},
		{"dhcp-vendorclass=set:phones,IP Phone\ndhcp-ignore=tag:phones,tag:eth1\n", nil, false, true}, // interface tag: cannot tell
		{"dhcp-ignore=tag:!known\n", nil, false, false},                                               // KnownOnly's
	} {
		site := inspectText(t, c.conf)
		notes, err := site.IgnoresPhones(c.macs)
		if (err != nil) != c.err || (len(notes) > 0) != c.note {
			t.Errorf("%q (macs %v): err %v, notes %q; want err %v, note %v", c.conf, c.macs, err, notes, c.err, c.note)
		}
		if err != nil && !strings.Contains(err.Error(), "dnsmasq.conf:2:") {
			t.Errorf("%q: the error does not name the dhcp-ignore line: %v", c.conf, err)
		}
	}
	// tag:!known limited to the other clients does not ignore phones.
	if s := inspectText(t, "dhcp-vendorclass=set:phones,IP Phone\ndhcp-ignore=tag:!phones,tag:!known\n"); len(s.Ignores) != 0 {
		t.Errorf("dhcp-ignore=tag:!phones,tag:!known counted as ignoring unknown phones: %v", s.Ignores)
	}
	if s := inspectText(t, "dhcp-vendorclass=set:phones,IP Phone\ndhcp-ignore=tag:phones,tag:!known\n"); len(s.Ignores) != 1 {
		t.Errorf("dhcp-ignore=tag:phones,tag:!known not counted as ignoring unknown phones: %v", s.Ignores)
	}
}

// A range whose tags shut every phone out is not the phones' range.
func TestDnsmasqPhoneRanges(t *testing.T) {
	for _, c := range []struct {
		conf            string
		dynamic, static int
		closed          bool
	}{
		{"dhcp-vendorclass=set:phones,IP Phone\ndhcp-range=tag:!phones,10.77.0.100,10.77.0.200,12h\n", 0, 0, true},
		{"dhcp-vendorclass=set:phones,IP Phone\ndhcp-range=tag:phones,10.77.0.100,10.77.0.200,12h\n", 1, 0, false},
		{"dhcp-vendorclass=set:j,Juniper\ndhcp-range=tag:j,10.77.0.100,10.77.0.200,12h\ndhcp-range=10.78.0.100,10.78.0.200\n", 1, 0, true},
		{"dhcp-vendorclass=set:phones,IP Phone\ndhcp-range=tag:!phones,10.77.0.0,static\n", 0, 0, true},
		{"dhcp-range=set:lan,10.77.0.100,10.77.0.200,12h\n", 1, 0, false},                                  // set: sets, asks for nothing
		{"dhcp-range=tag:eth0,10.77.0.100,10.77.0.200,12h\n", 1, 0, false},                                 // cannot tell
		{"dhcp-vendorclass=set:phones,IP Phone\ndhcp-range=net:phones,10.77.0.1,10.77.0.9\n", 1, 0, false}, // net: in a range is set:
	} {
		site := inspectText(t, c.conf)
		d, s, closed := site.PhoneRanges(nil)
		if len(d) != c.dynamic || len(s) != c.static || (closed != "") != c.closed {
			t.Errorf("%q: dynamic %v static %v closed %q", c.conf, d, s, closed)
		}
	}
}

// Untagged lines a tagged line every phone matches overrides serve the
// other clients only; a tagged line whose tags cannot be judged does not
// override.
func TestDnsmasqOverriddenForPhones(t *testing.T) {
	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	good := func(st Setting) bool { return st.AnyOf(want) }
	for _, c := range []struct {
		conf       string
		overridden bool
	}{
		{"dhcp-option=150,10.77.0.9\ndhcp-vendorclass=set:phones,IP Phone CP-79\ndhcp-option=tag:phones,150,10.77.0.1\n", true},
		{"dhcp-option=150,10.77.0.9\ndhcp-vendorclass=set:phones,CP-7960\ndhcp-option=tag:phones,150,10.77.0.1\n", false}, // 7940s get the old one
		{"dhcp-option=150,10.77.0.9\ndhcp-option=tag:eth0,150,10.77.0.1\n", false},
		{"dhcp-option=150,10.77.0.9\ndhcp-vendorclass=set:phones,IP Phone\ndhcp-option=tag:phones,150,10.77.0.8\n", false}, // not a good one
	} {
		site := inspectText(t, c.conf)
		why, _ := site.OverriddenForPhones(site.Options[0], nil, good)
		if (why != "") != c.overridden {
			t.Errorf("%q: %q, want overridden %v", c.conf, why, c.overridden)
		}
	}
}

// 0.0.0.0 in an option 150 line is dnsmasq's own address.
func TestDnsmasqThisHost(t *testing.T) {
	site := inspectText(t, "dhcp-option=150,0.0.0.0,10.77.0.2\ndhcp-option=66,0.0.0.0\n")
	h := netip.MustParseAddr("10.77.0.1")
	st := DnsmasqThisHost(site.Options[0], h)
	if !ThisHost(site.Options[0]) || !st.Agrees([]netip.Addr{h, netip.MustParseAddr("10.77.0.2")}) || site.Options[0].Values[0] != "0.0.0.0" {
		t.Errorf("150,0.0.0.0,10.77.0.2 read as %v (original %v)", st.Values, site.Options[0].Values)
	}
	if DnsmasqThisHost(site.Options[0], netip.Addr{}).Agrees([]netip.Addr{h}) {
		t.Error("0.0.0.0 agrees with an address that is not this host's")
	}
	if st := DnsmasqThisHost(site.Options[1], h); st.Values[0] != "0.0.0.0" {
		t.Errorf("option 66 is text, not an address: %v", st.Values)
	}
}

// The drop-in's lines limited to the phones' tag are what dnsmasq accepts.
func TestDnsmasqDropInTags(t *testing.T) {
	n := Network{TFTPServer: netip.MustParseAddr("10.77.0.1")}
	out := string(GenerateDnsmasqDropIn(DropIn{Network: n, Tags: []string{"tag:phones"}}, nil))
	for _, l := range []string{"dhcp-option=tag:phones,150,10.77.0.1\n", "dhcp-option=tag:phones,66,\"10.77.0.1\"\n"} {
		if !strings.Contains(out, l) {
			t.Errorf("drop-in lacks %q:\n%s", l, out)
		}
	}
	if err := CheckContent(context.Background(), Dnsmasq, []byte(out)); err != nil && !errors.Is(err, ErrNoTool) {
		t.Errorf("dnsmasq rejects the tagged drop-in: %v", err)
	}
}

// dhcp-host lines with "ignore", wildcard MACs and tag filters.
func TestDnsmasqHostIgnore(t *testing.T) {
	h, ok := dnsmasqHost("00:1b:d4:*:*:*,set:x,tag:y,ignore")
	if !ok || !h.Ignore || !h.Tagged || len(h.Patterns) != 1 || !MACPattern(h.Patterns[0], "00:1b:d4:12:34:56") {
		t.Errorf("read as %+v", h)
	}
}
