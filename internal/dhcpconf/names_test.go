package dhcpconf

import (
	"net/netip"
	"strings"
	"testing"
)

// mergeText merges src (as d.conf) and fails the test on an error.
func mergeText(t *testing.T, src string, opt MergeOptions) MergeResult {
	t.Helper()
	r, err := Merge("d.conf", []byte(src), opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func one(s string) MergeOptions {
	a := addrs(s)
	return MergeOptions{TFTPServer: a[0], TFTPBackups: a[1:]}
}

const subnet = "subnet 10.77.0.0 netmask 255.255.255.0 {\n  range 10.77.0.100 10.77.0.200;\n}\n"

// What a name means is decided by the file's declarations in force where
// it is set, else dhcpd's built-in names (breaker round 11: records of
// addresses, tftp-server-address, tftp-server-name redefined).
func TestOptionNameMeanings(t *testing.T) {
	for _, c := range []struct {
		name, src, servers string
		conflicts          int
		line               string // in a conflict's message
	}{
		// A record of three addresses, asked for two: the declaration
		// cannot hold them; it stays (its settings are written as
		// records) and ours is declared under our own name.
		{"record3", "option v code 150 = { ip-address, ip-address, ip-address };\nsubnet 10.77.0.0 netmask 255.255.255.0 {\n  option v 10.77.0.3 10.77.0.2 10.77.0.1;\n  range 10.77.0.100 10.77.0.200;\n}\n", "10.77.0.1,10.77.0.2", 0, "d.conf:3: warning: option 150 lists 10.77.0.3 first"},
		// The same record asked for its own three servers: nothing to do.
		{"record3-same", "option v code 150 = { ip-address, ip-address, ip-address };\noption v 10.77.0.1 10.77.0.2 10.77.0.3;\n" + subnet, "10.77.0.1,10.77.0.2,10.77.0.3", 0, ""},
		// A record of two asked for two other servers: set space-separated,
		// as dhcpd reads a record.
		{"record2-two", "option v code 150 = { ip-address, ip-address };\nsubnet 10.77.0.0 netmask 255.255.255.0 {\n  option v 10.77.0.20 10.77.0.21;\n  range 10.77.0.100 10.77.0.200;\n}\n", "10.77.0.1,10.77.0.2", 1, "d.conf:3: option 150 is set to 10.77.0.20, 10.77.0.21"},
		// A record with a text field carries no address list.
		{"record-text", "option v code 150 = { ip-address, text };\n" + subnet, "10.77.0.1", 0, ""},
		// The built-in name, in a pool, giving another server.
		{"builtin-pool", "subnet 10.77.0.0 netmask 255.255.255.0 {\n  pool {\n    option tftp-server-address 10.77.0.9;\n    range 10.77.0.100 10.77.0.200;\n  }\n}\n", "10.77.0.1", 1, "d.conf:3: option 150 (dhcpd's built-in tftp-server-address)"},
		// The built-in name redefined as another code is not option 150.
		{"builtin-redefined", "option tftp-server-address code 151 = ip-address;\noption tftp-server-address 10.77.0.9;\n" + subnet, "10.77.0.1", 0, ""},
		// tftp-server-name redefined as code 150 text, set in a subnet.
		{"66-as-150", "option tftp-server-name code 150 = text;\nsubnet 10.77.0.0 netmask 255.255.255.0 {\n  option tftp-server-name \"10.77.0.1\";\n  range 10.77.0.100 10.77.0.200;\n}\n", "10.77.0.1", 1, "d.conf:3: option 150 (tftp-server-name, declared as text"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := mergeText(t, c.src, one(c.servers))
			if len(r.Conflicts) != c.conflicts {
				t.Fatalf("%d conflicts, want %d: %q", len(r.Conflicts), c.conflicts, r.Warnings)
			}
			if c.line != "" && !strings.Contains(strings.Join(r.Warnings, "\n"), c.line) {
				t.Errorf("no %q in %q", c.line, r.Warnings)
			}
			o := one(c.servers)
			o.TakeOver = true
			r = mergeText(t, c.src, o)
			mustAccept(t, ISC, r.Content)
			if strings.Contains(c.src, "tftp-server-name code 150") && strings.Contains(string(r.Content), "\noption tftp-server-name \"") {
				t.Errorf("block sets the redefined tftp-server-name:\n%s", r.Content)
			}
		})
	}
}

// A class that sets Foreman's text option (code 150) for PXE clients is
// left alone; the same in a subnet competes (breaker round 11).
func TestTextCode150Scopes(t *testing.T) {
	decl := "option pxegrub code 150 = text;\n"
	r := mergeText(t, decl+"class \"pxe\" {\n  match if substring (option vendor-class-identifier, 0, 9) = \"PXEClient\";\n  option pxegrub \"grub2/grubx64.efi\";\n}\n"+subnet, one("10.77.0.1"))
	if len(r.Conflicts) != 0 {
		t.Errorf("class: %q", r.Warnings)
	}
	r = mergeText(t, decl+"subnet 10.77.0.0 netmask 255.255.255.0 {\n  option pxegrub \"grub2/grubx64.efi\";\n  range 10.77.0.100 10.77.0.200;\n}\n", one("10.77.0.1"))
	if len(r.Conflicts) != 1 {
		t.Errorf("subnet: %d conflicts: %q", len(r.Conflicts), r.Warnings)
	}
}

// Pools refusing known clients, in both spellings dhcpd.conf(5) has: a
// phone without a fixed address gets no host entry; one with an address
// does (breaker round 11).
func TestReservationsDeniedPool(t *testing.T) {
	for _, pool := range []string{"deny known-clients;", "allow unknown-clients;", "deny known clients;"} {
		src := "subnet 10.77.0.0 netmask 255.255.255.0 {\n  pool {\n    " + pool + "\n    range 10.77.0.100 10.77.0.200;\n  }\n}\n"
		noIP := mac(t, "00:1b:d4:12:34:56")
		withIP := mac(t, "00:1b:d4:12:34:57")
		withIP.IP = netip.MustParseAddr("10.77.0.20")
		o := one("10.77.0.1")
		o.Reservations = []Reservation{noIP, withIP}
		r := mergeText(t, src, o)
		out := string(r.Content)
		if strings.Contains(out, "00:1b:d4:12:34:56") || !strings.Contains(out, "00:1b:d4:12:34:57") {
			t.Errorf("%s:\n%s", pool, out)
		}
		if !strings.Contains(strings.Join(r.Notes, "\n"), "d.conf:2: the pool denies known-clients") {
			t.Errorf("%s: notes %q", pool, r.Notes)
		}
		mustAccept(t, ISC, r.Content)
	}
	// allow known-clients next to unknown-clients: everyone.
	src := "subnet 10.77.0.0 netmask 255.255.255.0 {\n  pool {\n    allow unknown-clients;\n    allow known-clients;\n    range 10.77.0.100 10.77.0.200;\n  }\n}\n"
	o := one("10.77.0.1")
	o.Reservations = []Reservation{mac(t, "00:1b:d4:12:34:56")}
	if r := mergeText(t, src, o); !strings.Contains(string(r.Content), "00:1b:d4:12:34:56") {
		t.Errorf("pool allowing both: no host entry:\n%s", r.Content)
	}
}

func TestParseISCMAC(t *testing.T) {
	for in, want := range map[string]string{"0:0:c0:5d:bd:95": "00:00:c0:5d:bd:95", "1:2:3:a:b:C": "01:02:03:0a:0b:0c", "00:1B:D4:12:34:56": "00:1b:d4:12:34:56"} {
		hw, err := parseISCMAC(in)
		if err != nil || hw.String() != want {
			t.Errorf("%s: %v %v", in, hw, err)
		}
	}
	for _, bad := range []string{"0:0:c0:5d:bd", "000:0:c0:5d:bd:95", "0::c0:5d:bd:95"} {
		if _, err := parseISCMAC(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// A failover peer declared in an included file is found too, with its
// address, as a note when the file changes.
func TestFailoverPeerNote(t *testing.T) {
	files := map[string]string{"peer.conf": "failover peer \"dhcp\" {\n  secondary;\n  address 10.77.0.2;\n  peer address 10.77.0.1;\n}\n"}
	o := one("10.77.0.1")
	o.ReadFile = func(n string) ([]byte, error) { return []byte(files[n]), nil }
	r := mergeText(t, "include \"peer.conf\";\n"+subnet, o)
	if !strings.Contains(strings.Join(r.Notes, "\n"), "peer.conf:1: warning: failover peer \"dhcp\" (peer address 10.77.0.1)") {
		t.Errorf("notes %q", r.Notes)
	}
}

// DHCPv6 configurations, by content or name; an LDAP file without a
// subnet is merged into (its subnets are in the directory).
func TestDHCPv6AndLDAP(t *testing.T) {
	for _, src := range []string{"option dhcp6.name-servers 2001:db8::1;\n", "subnet6 2001:db8::/64 { range6 2001:db8::10 2001:db8::20; }\n"} {
		if _, err := Merge("d.conf", []byte(src), one("10.77.0.1")); err == nil || !strings.Contains(err.Error(), "DHCPv6") {
			t.Errorf("%q: %v", src, err)
		}
	}
	if DHCPv6("/etc/dhcp/dhcpd6.conf", nil) == "" || DHCPv6("d.conf", []byte(subnet)) != "" {
		t.Error("DHCPv6 by name or of a v4 file wrong")
	}
	r, err := Merge("d.conf", []byte("ldap-server \"ldap.example.com\";\nldap-base-dn \"dc=example,dc=com\";\nldap-method dynamic;\n"), one("10.77.0.1"))
	if err != nil || !strings.Contains(string(r.Content), "option voip-tftp-servers 10.77.0.1;") {
		t.Errorf("LDAP file: %v\n%s", err, r.Content)
	}
}

func TestMaskSecrets(t *testing.T) {
	in := "key k {\n  algorithm hmac-md5;\n  secret \"S3cr3tKey==\";\n}\nkey j { secret Other0==; }\nldap-password \"pw1\";\n{ \"password\": \"pw2\", \"secret\": \"pw3\" }\n"
	out := string(MaskSecrets([]byte(in)))
	for _, s := range []string{"S3cr3tKey==", "Other0==", "pw1", "pw2", "pw3"} {
		if strings.Contains(out, s) {
			t.Errorf("%s shown:\n%s", s, out)
		}
	}
	if !strings.Contains(out, "algorithm hmac-md5;") || strings.Count(out, "<secret hmac-sha256:") != 5 {
		t.Errorf("masked wrong:\n%s", out)
	}
}

// A name set before any declaration of it (dhcpd -t rejects the file) is
// not read back through our block's declaration: merging twice changes
// nothing the second time (found by FuzzMerge).
func TestUndeclaredNameIdempotent(t *testing.T) {
	src := "option voip-tftp-servers 192.0.2.10 ;subnet {}"
	r := mergeText(t, src, one("192.0.2.10"))
	again := mergeText(t, string(r.Content), one("192.0.2.10"))
	if string(again.Content) != string(r.Content) {
		t.Errorf("first:\n%s\nagain:\n%s", r.Content, again.Content)
	}
}
