package hostnet

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// hexLE writes an address the way /proc/net/route does on this machine.
func hexLE(a string) string {
	b := netip.MustParseAddr(a).As4()
	var n [4]byte
	binary.NativeEndian.PutUint32(n[:], binary.BigEndian.Uint32(b[:]))
	return fmt.Sprintf("%02X%02X%02X%02X", n[0], n[1], n[2], n[3])
}

type row struct {
	iface, dst, gw, flags string
	metric                int
	mask                  string
}

func routeTable(rows ...row) string {
	var b strings.Builder
	b.WriteString("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t0\t0\t%d\t%s\t0\t0\t0\n", r.iface, hexLE(r.dst), hexLE(r.gw), r.flags, r.metric, hexLE(r.mask))
	}
	return b.String()
}

func TestParseRoutes(t *testing.T) {
	table := routeTable(
		row{"eth0", "0.0.0.0", "192.168.0.1", "0003", 100, "0.0.0.0"},
		row{"eth0", "192.168.0.0", "0.0.0.0", "0001", 0, "255.255.255.0"},
		row{"wlan0", "0.0.0.0", "10.0.0.1", "0003", 600, "0.0.0.0"},
	)
	routes, err := ParseRoutes(strings.NewReader(table))
	if err != nil {
		t.Fatal(err)
	}
	want := []Route{
		{"eth0", netip.MustParsePrefix("0.0.0.0/0"), netip.MustParseAddr("192.168.0.1"), 100, true},
		{"eth0", netip.MustParsePrefix("192.168.0.0/24"), netip.Addr{}, 0, true},
		{"wlan0", netip.MustParsePrefix("0.0.0.0/0"), netip.MustParseAddr("10.0.0.1"), 600, true},
	}
	if fmt.Sprint(routes) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", routes, want)
	}
	if _, err := ParseRoutes(strings.NewReader("hdr\neth0 zz\n")); err == nil {
		t.Error("short line accepted")
	}
	if _, err := ParseRoutes(strings.NewReader("hdr\neth0 00000000 00000000 0003 0 0 0 00FF00FF 0 0 0\n")); err == nil {
		t.Error("non-contiguous mask accepted")
	}
}

func TestChoose(t *testing.T) {
	p := netip.MustParsePrefix
	a := netip.MustParseAddr
	routes := []Route{
		{"wlan0", p("0.0.0.0/0"), a("10.0.0.1"), 600, true},
		{"eth0", p("0.0.0.0/0"), a("192.168.0.1"), 100, true},
		{"eth1", p("0.0.0.0/0"), a("172.16.0.1"), 0, false}, // down
	}
	ifaces := []Interface{
		{"lo", true, true, []netip.Prefix{p("127.0.0.1/8")}},
		{"wlan0", true, false, []netip.Prefix{p("10.0.0.7/24")}},
		{"eth0", true, false, []netip.Prefix{p("10.9.9.9/8"), p("192.168.0.130/24")}},
		{"eth1", true, false, []netip.Prefix{p("172.16.0.5/16")}},
	}
	h, err := Choose(routes, ifaces)
	if err != nil {
		t.Fatal(err)
	}
	want := Host{"eth0", a("192.168.0.130"), p("192.168.0.0/24"), a("192.168.0.1")}
	if h != want {
		t.Errorf("got %+v, want %+v", h, want)
	}

	// No default route: first up, non-loopback interface with IPv4.
	ifaces[1].Up = false
	h, err = Choose(nil, ifaces)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Host{"eth0", a("10.9.9.9"), p("10.0.0.0/8"), netip.Addr{}}); h != want {
		t.Errorf("fallback: got %+v, want %+v", h, want)
	}
	if _, err := Choose(nil, ifaces[:1]); err == nil {
		t.Error("loopback only: no error")
	}
}

func TestNameservers(t *testing.T) {
	got := Nameservers(strings.NewReader("# x\nnameserver 127.0.0.53\nnameserver 192.168.0.1\nnameserver ::1\nnameserver fe80::1\noptions edns0\nnameserver 9.9.9.9 \n"))
	if fmt.Sprint(got) != "[192.168.0.1 9.9.9.9]" {
		t.Errorf("got %v", got)
	}
}

// Detect on this machine must agree with its own interface list.
func TestDetectHere(t *testing.T) {
	h, err := Detect()
	if err != nil {
		ifaces, ierr := Interfaces()
		if ierr != nil {
			t.Fatal(ierr)
		}
		for _, ifc := range ifaces {
			if ifc.Up && !ifc.Loopback && len(ifc.Addrs) > 0 {
				t.Fatalf("Detect: %v, but %s has %v", err, ifc.Name, ifc.Addrs)
			}
		}
		t.Skipf("no IPv4 interface here: %v", err)
	}
	if !h.Addr.Is4() || !h.Prefix.Contains(h.Addr) || h.Prefix != h.Prefix.Masked() {
		t.Errorf("inconsistent: %+v", h)
	}
	ifaces, err := Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ifc := range ifaces {
		for _, p := range ifc.Addrs {
			found = found || ifc.Name == h.Interface && p.Addr() == h.Addr
		}
	}
	if !found {
		t.Errorf("%s is not an address of %s", h.Addr, h.Interface)
	}
	a, err := PrimaryIPv4()
	if err != nil || a != h.Addr {
		t.Errorf("PrimaryIPv4 = %v, %v; Detect said %v", a, err, h.Addr)
	}
}
