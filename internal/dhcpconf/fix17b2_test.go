package dhcpconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Other members of the breaker round 17 ISC classes (b17-isc-pxe-if-option66,
// b17-isc-host-clientid-poap, b17-isc-phones-class-overrides-global): which
// scopes a 79x0's request (option 60 "Cisco Systems, Inc. IP Phone
// CP-79x0G", option 61 absent or type 1 and its MAC) reaches.
func TestMergeScopesPhonesReach(t *testing.T) {
	const decl = "option voip-tftp code 150 = array of ip-address;\n"
	const phones = `substring(option vendor-class-identifier, 0, 28) = "Cisco Systems, Inc. IP Phone"`
	for _, c := range []struct {
		name, src string
		conflicts int
		changed   bool // the merge writes a block
	}{
		// An else after a PXE test: phones take the else.
		{"else after PXE", decl + `subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
  if substring (option vendor-class-identifier, 0, 9) = "PXEClient" { option voip-tftp 10.77.0.20; }
  else { option voip-tftp 10.77.0.21; }
}
`, 1, true},
		// The phones' if branch first: the elsif and else are never theirs.
		{"else after phones", decl + `subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
  if ` + phones + ` { option voip-tftp 10.77.0.1; }
  elsif exists user-class { option voip-tftp 10.77.0.21; }
  else { option voip-tftp 10.77.0.22; }
}
`, 0, true},
		// A condition on what cannot be told (the MAC) may hold phones.
		{"if on the MAC", decl + `subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
  if substring(hardware, 1, 3) = 00:1b:d4 { option voip-tftp 10.77.0.20; }
}
`, 1, true},
		// A host by client identifier type 1 and a MAC may be a phone.
		{"host by MAC identifier", decl + subnet + `host p { option dhcp-client-identifier 01:00:1b:d4:12:34:56; option voip-tftp 10.77.0.20; }
`, 1, true},
		// Colon-hex type 0 (a serial): no phone.
		{"host by serial hex", decl + subnet + `host sw { option dhcp-client-identifier 00:53:41:4c:31; option voip-tftp 10.77.0.20; }
`, 0, true},
		// host-identifier on a relay option: a phone may sit behind it.
		{"host by circuit id", decl + subnet + `host sw { host-identifier option agent.circuit-id "port1"; option voip-tftp 10.77.0.20; }
`, 1, true},
		// A serial identifier beside a hardware address: matched by MAC too.
		{"host by serial and MAC", decl + subnet + `host sw { option dhcp-client-identifier "\000SAL1"; hardware ethernet 00:1b:d4:12:34:56; option voip-tftp 10.77.0.20; }
`, 1, true},
		// The phones' class with "default": dhcpd keeps the wider value
		// (dhcpd 4.4.3 in a netns: the phone gets the pool's); with
		// "supersede" the class's.
		{"class default form", decl + "option voip-tftp 10.77.0.9;\nclass \"p\" {\n  match if " + phones + ";\n  default voip-tftp 10.77.0.1;\n}\n" + subnet, 1, false},
		{"class supersede form", decl + "option voip-tftp 10.77.0.9;\nclass \"p\" {\n  match if " + phones + ";\n  supersede voip-tftp 10.77.0.1;\n}\n" + subnet, 0, false},
		// A class only the 7960G joins: the 7940 keeps the global value.
		{"class of one model", decl + "option voip-tftp 10.77.0.9;\nclass \"p\" {\n  match if option vendor-class-identifier = \"Cisco Systems, Inc. IP Phone CP-7960G\";\n  option voip-tftp 10.77.0.1;\n}\n" + subnet, 1, false},
		// The phones' class overrides a subnet's and a pool's value too;
		// option 66 likewise.
		{"class over subnet and pool", decl + "class \"p\" {\n  match if " + phones + ";\n  option voip-tftp 10.77.0.1;\n  option tftp-server-name \"10.77.0.1\";\n}\n" + `subnet 10.77.0.0 netmask 255.255.255.0 {
  option voip-tftp 10.77.0.9;
  option tftp-server-name "10.77.0.9";
  pool { range 10.77.0.100 10.77.0.200; option voip-tftp 10.77.0.8; }
}
`, 0, false},
		// dhcpd's own name, undeclared: nothing to add, no declaration.
		{"class with the built-in name", "option tftp-server-address 10.77.0.9;\nclass \"p\" {\n  match if " + phones + ";\n  option tftp-server-address 10.77.0.1;\n}\n" + subnet, 0, false},
		// It does not override a host's own value.
		{"class under host", decl + "class \"p\" {\n  match if " + phones + ";\n  option voip-tftp 10.77.0.1;\n}\n" + subnet + "host h { hardware ethernet 00:1b:d4:12:34:56; option voip-tftp 10.77.0.9; }\n", 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := mergeText(t, c.src, one("10.77.0.1"))
			if len(r.Conflicts) != c.conflicts {
				t.Fatalf("%d conflicts, want %d: %v\nnotes: %v", len(r.Conflicts), c.conflicts, r.Conflicts, r.Notes)
			}
			if c.conflicts == 0 && (string(r.Content) != c.src) != c.changed {
				t.Errorf("file changed = %v, want %v:\n%s", string(r.Content) != c.src, c.changed, r.Content)
			}
			mustAccept(t, ISC, []byte(c.src)) // the real dhcpd reads the input
			mustAccept(t, ISC, r.Content)     // and the result
		})
	}
}

// Other members of b17-isc-class-ignore-booting: what makes dhcpd answer
// no phone (the booting flag) refuses the merge; what leaves them
// answered does not.
func TestMergeRefusesFileIgnoringPhones(t *testing.T) {
	const phones = `substring(option vendor-class-identifier, 0, 28) = "Cisco Systems, Inc. IP Phone"`
	for _, c := range []struct {
		name, src, line string // line: "" when the merge goes ahead
	}{
		{"global deny booting", "deny booting;\n" + subnet, "d.conf:1"},
		{"global if on the phones", "if " + phones + " {\n  ignore booting;\n}\n" + subnet, "d.conf:2"},
		{"phones' class, deny", "class \"c\" {\n  match if " + phones + ";\n  deny booting;\n}\n" + subnet, "d.conf:3"},
		{"one model's class", "class \"c\" {\n  match if option vendor-class-identifier = \"Cisco Systems, Inc. IP Phone CP-7940G\";\n  ignore booting;\n}\n" + subnet, "d.conf:3"},
		{"phones' class, if inside", "class \"c\" {\n  match if " + phones + ";\n  if substring(option vendor-class-identifier, 0, 9) = \"PXEClient\" { ignore booting; }\n}\n" + subnet, ""},
		{"another vendor's class", "class \"j\" {\n  match if substring(option vendor-class-identifier, 0, 7) = \"Juniper\";\n  ignore booting;\n}\n" + subnet, ""},
		{"class of the MAC", "class \"m\" {\n  match if substring(hardware, 1, 3) = 00:1b:d4;\n  ignore booting;\n}\n" + subnet, ""},
		{"allowed again", "class \"c\" {\n  match if " + phones + ";\n  ignore booting;\n}\nclass \"d\" {\n  match if exists user-class;\n  allow booting;\n}\n" + subnet, ""},
		{"a subnet's flag", "subnet 10.77.0.0 netmask 255.255.255.0 {\n  range 10.77.0.100 10.77.0.200;\n}\nsubnet 10.78.0.0 netmask 255.255.255.0 {\n  ignore booting;\n}\n", ""},
		{"a host's flag", subnet + "host x { hardware ethernet 00:11:22:33:44:55; ignore booting; }\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			mustAccept(t, ISC, []byte(c.src))
			_, err := Merge("d.conf", []byte(c.src), one("10.77.0.1"))
			switch {
			case c.line == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.line != "" && (err == nil || !strings.Contains(err.Error(), c.line)):
				t.Errorf("error %v, want one naming %s", err, c.line)
			}
		})
	}
}

// Other members of ccbe4fe (a phone's own host entry ignores it): the
// flag in a group around the host, spelt "deny"; another host's flag is
// not the phone's.
func TestReservationsHostIgnoresPhone(t *testing.T) {
	res := []Reservation{mac(t, "00:1b:d4:12:34:56")}
	src := subnet + "group {\n  deny booting;\n  host old { hardware ethernet 0:1b:d4:12:34:56; }\n}\n"
	opt := one("10.77.0.1")
	opt.Reservations = res
	if _, err := Merge("d.conf", []byte(src), opt); err == nil || !strings.Contains(err.Error(), "d.conf:5: deny booting") {
		t.Errorf("error %v, want one naming d.conf:5: deny booting", err)
	}
	src = subnet + "host other { hardware ethernet 00:11:22:33:44:55; ignore booting; }\nhost old { hardware ethernet 00:1b:d4:12:34:56; }\n"
	if _, err := Merge("d.conf", []byte(src), opt); err != nil {
		t.Errorf("another host's flag refused the phone's: %v", err)
	}
}

// Other members of b17-isc-subnet-no-range: no range anywhere, no host
// with an address: said every run (a warning); a range in a
// shared-network's pool serves the subnet; a phone reserved without an
// address gets a warning.
func TestMergeNoRange(t *testing.T) {
	src := "subnet 10.77.0.0 netmask 255.255.255.0 {\n  option routers 10.77.0.254;\n}\n"
	r := mergeText(t, src, one("10.77.0.1"))
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "d.conf:1: subnet 10.77.0.0 netmask 255.255.255.0 has no range") || !strings.Contains(w, "--reservations") {
		t.Errorf("warnings %q", r.Warnings)
	}
	shared := "shared-network lan {\n  subnet 10.77.0.0 netmask 255.255.255.0 { }\n  pool { range 10.77.0.100 10.77.0.200; }\n}\n"
	if r := mergeText(t, shared, one("10.77.0.1")); strings.Contains(strings.Join(append(r.Warnings, r.Notes...), "\n"), "no range") {
		t.Errorf("a shared-network's pool range not seen: %v %v", r.Warnings, r.Notes)
	}
	opt := one("10.77.0.1")
	opt.Reservations = []Reservation{mac(t, "00:1b:d4:12:34:56")}
	r = mergeText(t, src, opt)
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "no fixed address, gets no lease") {
		t.Errorf("warnings %q", r.Warnings)
	}
}

// Other members of 12d9a3f: DHCPDv4_CONF quoted, exported, commented out,
// empty (the init script's default then), or a shell expansion this does
// not evaluate (the default then too); the last assignment wins.
func TestDebianDHCPDConf(t *testing.T) {
	for _, c := range []struct{ defaults, want string }{
		{"DHCPDv4_CONF=\"/etc/dhcp/voip.conf\"\n", "/etc/dhcp/voip.conf"},
		{"export DHCPDv4_CONF='/etc/dhcp/voip.conf'  # phones\n", "/etc/dhcp/voip.conf"},
		{"#DHCPDv4_CONF=/etc/dhcp/voip.conf\n", "/etc/dhcp/dhcpd.conf"},
		{"DHCPDv4_CONF=\n", "/etc/dhcp/dhcpd.conf"},
		{"DHCPDv4_CONF=$CONF_DIR/dhcpd.conf\n", "/etc/dhcp/dhcpd.conf"},
		{"DHCPDv4_CONF=/etc/dhcp/a.conf\nDHCPDv4_CONF=/etc/dhcp/b.conf\n", "/etc/dhcp/b.conf"},
	} {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "etc/default"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "etc/default/isc-dhcp-server"), []byte(c.defaults), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := ISC.DefaultPath(root); got != c.want {
			t.Errorf("%q: DefaultPath = %s, want %s", c.defaults, got, c.want)
		}
	}
}

// A block an earlier run wrote stays when the phones' class comes to give
// them our server: other devices may rely on it; rerunning changes nothing.
func TestMergePhonesClassKeepsOurBlock(t *testing.T) {
	const phones = `substring(option vendor-class-identifier, 0, 28) = "Cisco Systems, Inc. IP Phone"`
	first := mergeText(t, subnet, one("10.77.0.1"))
	src := string(first.Content) + "class \"p\" {\n  match if " + phones + ";\n  option voip-tftp-servers 10.77.0.1;\n}\n"
	if r := mergeText(t, src, one("10.77.0.1")); string(r.Content) != src {
		t.Errorf("the block changed:\n%s", r.Content)
	}
}
