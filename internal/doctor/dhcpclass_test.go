package doctor

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Other members of breaker round 14's classes: a server that gives a
// 79x0 no address is no DHCP server for it; an entry only non-phones can
// use is not the phones' problem, while one phones can use still is.

func TestDHCPServerThatLeasesPhonesNothing(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "subnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n", 0o644)
	start := time.Now().Add(time.Hour)
	// dhcpd -6 seen by its socket only (started without -6 in a way
	// doctor reads: e.g. a wrapper).
	v6 := Proc{PID: 1, Comm: "dhcpd", Args: []string{"/usr/sbin/dhcpd", "-cf", conf}, Start: start, UDPPort: []int{547}}
	has(t, CheckDHCPServer([]Proc{v6}, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
	// Proxy-DHCP given on the command line; an IPv6-only range.
	proxy := Proc{PID: 2, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "--conf-file=/dev/null", "--dhcp-range=10.77.0.0,proxy"}}
	has(t, CheckDHCPServer([]Proc{proxy}, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
	dm := filepath.Join(dir, "v6.conf")
	write(t, dm, "dhcp-range=::100,::1ff,constructor:eth0\n", 0o644)
	six := Proc{PID: 3, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "-C", dm}, UDPPort: []int{67, 547}}
	has(t, CheckDHCPServer([]Proc{six}, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
	// One real range next to a proxy one: it leases.
	write(t, dm, "dhcp-range=10.77.0.0,proxy\ndhcp-range=10.78.0.10,10.78.0.20\n", 0o644)
	fs := CheckDHCPServer([]Proc{six}, conf)
	if problemNaming(fs, "no dhcpd") {
		t.Errorf("a dnsmasq with an address range counted as no server: %v", fs)
	}
}

func TestSecondDHCPServerWithOption150IsANote(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\n", 0o644)
	dm := filepath.Join(dir, "dnsmasq.conf")
	write(t, dm, "dhcp-range=10.77.0.50,10.77.0.99,12h\ndhcp-option=150,10.77.0.1\n", 0o644)
	old := time.Now().Add(-2 * time.Hour)
	for _, f := range []string{conf, dm} {
		os.Chtimes(f, old, old)
	}
	dhcpd := Proc{PID: 700, Comm: "dhcpd", Args: []string{"dhcpd", "-cf", conf}, Start: old.Add(time.Hour), UDPPort: []int{67}}
	dnsmasq := Proc{PID: 701, Comm: "dnsmasq", Args: []string{"dnsmasq", "--conf-file=" + dm}, Start: old.Add(time.Hour), UDPPort: []int{67}}
	fs := CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf)
	has(t, fs, "note: dnsmasq: pid 701 reads "+dm)
	if len(problems(fs)) > 0 {
		t.Errorf("a second server that gives option 150 too reported: %v", fs)
	}
	write(t, dm, "dhcp-range=10.77.0.50,10.77.0.99,12h\n", 0o644)
	has(t, CheckDHCPServer([]Proc{dhcpd, dnsmasq}, conf), "problem: dnsmasq: dhcpd (pid 700, "+conf+"): dnsmasq hands out addresses too (pid 701, "+dm+" sets neither option 150 nor option 66)")
	// With a dhcpd.conf but no server, starting it is the fix.
	has(t, CheckDHCPServer(nil, conf), "fix: systemctl start isc-dhcp-server")
	// No file and no server: the router's DHCP.
	has(t, CheckDHCPServer(nil, filepath.Join(dir, "none.conf")), "note: DHCP server: no dhcpd, kea-dhcp4 or dnsmasq runs on this host")
}

func TestOption150OnlyNonPhonesUse(t *testing.T) {
	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	dir := t.TempDir()
	isc := func(match string) []Finding {
		conf := filepath.Join(dir, "dhcpd.conf")
		write(t, conf, "option ztp code 150 = ip-address;\nclass \"c\" {\n  "+match+"\n  option ztp 10.77.0.5;\n}\noption ztp 10.77.0.1;\n", 0o644)
		return CheckDHCPConfig(conf, want)
	}
	noProblemNaming(t, isc(`match if option vendor-class-identifier = "Aruba AP";`), "10.77.0.5")
	has(t, isc(`match if substring(option vendor-class-identifier, 0, 9) = "Cisco Sys";`), "problem: ", "option 150 is 10.77.0.5", `in class "c"`)
	has(t, isc(`match hardware;`), "problem: ", "option 150 is 10.77.0.5")

	// dnsmasq: the same tag also set by a dhcp-host (a phone's MAC) counts.
	dm := filepath.Join(dir, "dnsmasq.conf")
	write(t, dm, "dhcp-range=10.77.0.100,10.77.0.200\ndhcp-vendorclass=set:j,Juniper\ndhcp-host=00:11:22:aa:bb:cc,set:j\ndhcp-option=tag:j,150,10.77.0.5\ndhcp-option=150,10.77.0.1\n", 0o644)
	has(t, CheckDHCPConfig(dm, want), "problem: ", "option 150 is 10.77.0.5")
	write(t, dm, "dhcp-range=10.77.0.100,10.77.0.200\ndhcp-vendorclass=set:c,Cisco Systems\ndhcp-option=tag:c,150,10.77.0.5\ndhcp-option=150,10.77.0.1\n", 0o644)
	has(t, CheckDHCPConfig(dm, want), "problem: ", "option 150 is 10.77.0.5")

	// Kea 2.6's "client-classes" list on a pool; a subnet limited to a
	// class phones belong to is still theirs.
	kea := filepath.Join(dir, "kea-dhcp4.conf")
	write(t, kea, `{ "Dhcp4": {
  "option-def": [ { "name": "ztp", "code": 150, "type": "ipv4-address", "space": "dhcp4" } ],
  "option-data": [ { "name": "ztp", "data": "10.77.0.1" } ],
  "client-classes": [ { "name": "aruba", "test": "option[60].text == 'ArubaAP'" },
                      { "name": "cisco", "test": "substring(option[60].hex,0,5) == 'Cisco'" } ],
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24",
      "pools": [ { "pool": "10.77.0.10 - 10.77.0.20", "client-classes": [ "aruba" ], "option-data": [ { "name": "ztp", "data": "10.77.0.5" } ] } ] },
    { "id": 2, "subnet": "10.79.0.0/24", "client-class": "cisco", "option-data": [ { "name": "ztp", "data": "10.79.0.9" } ] } ] } }
`, 0o644)
	fs := CheckDHCPConfig(kea, want)
	noProblemNaming(t, fs, "10.77.0.5")
	has(t, fs, "problem: ", "option 150 is 10.79.0.9")
}

// Option 150 as hex bytes of two addresses, this host second: a backup
// list naming this host; declared as text, hex stays text (not read).
func TestISCHexOption150List(t *testing.T) {
	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, "option tftp150 code 150 = string;\noption tftp150 0a:4d:00:02:0a:4d:0:1;\n", 0o644)
	if fs := problems(CheckDHCPConfig(conf, want)); len(fs) > 0 {
		t.Errorf("hex list naming this host reported: %v", fs)
	}
	write(t, conf, "option tftp150 code 150 = string;\noption tftp150 0a:4d:00:02;\n", 0o644)
	has(t, CheckDHCPConfig(conf, want), "problem: ", "option 150 is 10.77.0.2", "(written 0a:4d:00:02)")
}

func TestKeaHAPeerNamed(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "kea-dhcp4.conf")
	write(t, conf, `{ "Dhcp4": { "option-def": [ { "name": "tftp", "code": 150, "type": "ipv4-address", "space": "dhcp4" } ],
  "option-data": [ { "name": "tftp", "data": "10.77.0.1" } ],
  "hooks-libraries": [ { "library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so", "parameters": { "high-availability": [ {
    "this-server-name": "a", "mode": "load-balancing",
    "peers": [ { "name": "a", "url": "http://10.77.0.1:8000/", "role": "primary" }, { "name": "b", "url": "http://10.77.0.2:8000/", "role": "secondary" } ] } ] } } ] } }
`, 0o644)
	has(t, CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}), "note: ", "its peer b (secondary, http://10.77.0.2:8000/)")
}
