package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// doctor judges where a phone gets no lease by setup-dhcp's rule
// (dhcpconf.Inspection.PhonesGetNoLease): a problem where no phone can
// get one, a note where the file's own hosts may be the phones.
func TestFix19a1ISCNoLeaseSeverity(t *testing.T) {
	const global = "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\n"
	for _, c := range []struct {
		name, body string
		want       Severity
		text       string
	}{
		{"deny all clients", "subnet 10.77.0.0 netmask 255.255.255.0 {\n  pool { deny all clients; range 10.77.0.100 10.77.0.200; }\n}\n", Problem, "pool { deny all clients; }"},
		{"known-only with hosts", "subnet 10.77.0.0 netmask 255.255.255.0 {\n  range 10.77.0.100 10.77.0.200;\n  deny unknown-clients;\n}\nhost SEP001122334455 { hardware ethernet 00:11:22:33:44:55; }\n", Note, "known clients only"},
		{"no range with fixed hosts", "subnet 10.77.0.0 netmask 255.255.255.0 { }\nhost SEP001122334455 { hardware ethernet 00:11:22:33:44:55; fixed-address 10.77.0.50; }\n", Note, "has no range statement"},
	} {
		conf := filepath.Join(t.TempDir(), "dhcpd.conf")
		write(t, conf, global+c.body, 0o644)
		found := false
		for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
			if f.Severity == Problem && c.want != Problem {
				t.Errorf("%s: unexpected problem %v", c.name, f)
			}
			if f.Severity == c.want && strings.Contains(f.String(), c.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no %v naming %q", c.name, c.want, c.text)
		}
	}
}

// dnsmasq's known-only forms with dhcp-host lines of their own: those may
// be the phones', so a note (setup-dhcp's note), not a problem.
func TestFix19a1DnsmasqKnownOnlyWithHosts(t *testing.T) {
	for name, body := range map[string]string{
		"static-range":   "dhcp-range=10.77.0.0,static\ndhcp-host=00:11:22:33:44:55,10.77.0.50\ndhcp-option=150,10.77.0.1\n",
		"ignore-unknown": "dhcp-range=10.77.0.100,10.77.0.200\ndhcp-ignore=tag:!known\ndhcp-host=00:11:22:33:44:55,10.77.0.50\ndhcp-option=150,10.77.0.1\n",
	} {
		conf := filepath.Join(t.TempDir(), "dnsmasq.conf")
		write(t, conf, body, 0o644)
		noted := false
		for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
			if f.Severity == Problem {
				t.Errorf("%s: unexpected problem %v", name, f)
			}
			noted = noted || f.Severity == Note && strings.Contains(f.String(), "dnsmasq.conf:")
		}
		if !noted {
			t.Errorf("%s: no note naming the line", name)
		}
	}
}
