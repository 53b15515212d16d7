package doctor

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Other members of the classes the breakers found: a Kea file judged by
// where each option 150 entry stands (reservation, class by option 60),
// as setup-dhcp --merge judges it; a server's drop-ins and includes as
// well as its main file compared with its start.
func TestCheckKeaScopes(t *testing.T) {
	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	head := `{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "*" ] },
    "option-def": [ { "name": "voip-tftp-servers", "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" } ],
    "option-data": [ { "name": "voip-tftp-servers", "data": "10.77.0.1, 10.77.0.2" } ], // setup-dhcp
`
	// A class for Aastra phones (Kea's stock example): its members are no
	// 79x0, so it is told, not a problem.
	conf := b11Write(t, "aastra.conf", head+`    "client-classes": [ { "name": "voip", "test": "substring(option[60].hex,0,6) == 'Aastra'",
        "option-data": [ { "name": "voip-tftp-servers", "data": "10.77.0.9" } ] } ],
    "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ] } }`)
	fs := CheckDHCPConfig(conf, want)
	none(t, problems(fs))
	has(t, fs, "note", "client-class voip sets option 150 to 10.77.0.9 for its members, which are no Cisco 79x0 phones")

	// A reservation (a phone's) giving the old server; the global backup
	// 10.77.0.2 in a subnet is fine.
	conf = b11Write(t, "resv.conf", head+`    "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ],
        "option-data": [ { "code": 150, "data": "10.77.0.2" } ],
        "reservations": [ { "hw-address": "00:1b:d4:79:60:01", "ip-address": "10.77.0.50",
            "option-data": [ { "name": "voip-tftp-servers", "data": "10.77.0.20" } ] } ] } ] } }`)
	fs = CheckDHCPConfig(conf, want)
	has(t, fs, "problem", "option 150 is 10.77.0.20, not this TFTP server (10.77.0.1) in reservation 00:1b:d4:79:60:01",
		"changing or removing the entry in reservation 00:1b:d4:79:60:01 by hand")
	if n := len(problems(fs)); n != 1 {
		t.Errorf("want 1 problem, got %d: %v", n, fs)
	}

	// Kea's automatic class for a 7940G's option 60.
	conf = b11Write(t, "vendor.conf", head+`    "client-classes": [ { "name": "VENDOR_CLASS_Cisco Systems, Inc. IP Phone CP-7940G",
        "option-data": [ { "name": "voip-tftp-servers", "data": "10.77.0.20" } ] } ] } }`)
	has(t, CheckDHCPConfig(conf, want), "problem", "a Cisco 79x0's option 60 makes it a member")
}

func problems(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity == Problem {
			out = append(out, f)
		}
	}
	return out
}

func TestCheckDHCPServerReadFiles(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-48 * time.Hour)
	// dnsmasq with its conf-dir on the command line (--conf-dir=), and
	// -c 150 (its cache size, not a file).
	drop := filepath.Join(dir, "d")
	os.Mkdir(drop, 0o755)
	main := filepath.Join(dir, "dnsmasq.conf")
	write(t, main, "dhcp-range=10.77.0.100,10.77.0.200,12h\n", 0o644)
	os.Chtimes(main, old, old)
	write(t, filepath.Join(drop, "setup-dhcp.conf"), "dhcp-option=150,10.77.0.1\n", 0o644)
	p := Proc{PID: 5, Comm: "dnsmasq", Args: []string{"dnsmasq", "-C", main, "-c", "150", "--conf-dir=" + drop + ",*.conf"},
		Start: old.Add(time.Hour), UDPPort: []int{53, 67}}
	has(t, CheckDHCPServer([]Proc{p}, main), "setup-dhcp.conf, which it reads, changed after dnsmasq (pid 5) started", "fix: systemctl restart dnsmasq")
	// The drop-in older than the process: nothing to say.
	os.Chtimes(filepath.Join(drop, "setup-dhcp.conf"), old, old)
	none(t, CheckDHCPServer([]Proc{p}, main))

	// dhcpd: a file dhcpd.conf includes, changed after dhcpd started.
	conf := filepath.Join(dir, "dhcpd.conf")
	inc := filepath.Join(dir, "phones.conf")
	write(t, conf, "include \""+inc+"\";\n", 0o644)
	os.Chtimes(conf, old, old)
	write(t, inc, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\n", 0o644)
	d := Proc{PID: 7, Comm: "dhcpd", Args: []string{"dhcpd", "-cf", conf}, Start: old.Add(time.Hour)}
	has(t, CheckDHCPServer([]Proc{d}, conf), "phones.conf, which it reads, changed after dhcpd (pid 7) started", "fix: systemctl restart isc-dhcp-server")
}

// doctor not root: a dnsmasq's sockets cannot be read. NetworkManager's
// DNS cache (--conf-file=/dev/null, no range) is still no DHCP server; its
// shared-connection dnsmasq (--dhcp-range on the command line) is one.
func TestDnsmasqSocketsUnknown(t *testing.T) {
	conf, _ := b11Conf(t)
	nm := Proc{PID: 812, Comm: "dnsmasq", Args: b11NMDnsmasq}
	has(t, CheckDHCPServer([]Proc{nm}, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
	shared := Proc{PID: 813, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "--conf-file=/dev/null", "--no-hosts",
		"--keep-in-foreground", "--bind-interfaces", "--except-interface=lo", "--clear-on-reload", "--strict-order",
		"--listen-address=10.42.0.1", "--dhcp-range=10.42.0.10,10.42.0.254,60m"}}
	fs := CheckDHCPServer([]Proc{shared}, conf)
	for _, f := range fs {
		if f.Severity == Problem && strings.Contains(f.String(), "no dhcpd") {
			t.Errorf("shared-connection dnsmasq not counted: %s", f)
		}
	}
}
