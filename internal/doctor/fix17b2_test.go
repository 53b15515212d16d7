package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// Other members of the breaker round 17 doctor findings (PXE if block,
// POAP host, the phones' class over a global value, a file that refuses
// the phones): where a phone does get the other value, or is refused, it
// is still a problem.
func TestDHCPScopesPhonesReach(t *testing.T) {
	const decl = "option voip-tftp code 150 = array of ip-address;\n"
	const sub = "subnet 10.77.0.0 netmask 255.255.255.0 {\n  range 10.77.0.100 10.77.0.200;\n}\n"
	for name, c := range map[string]struct {
		conf    string
		problem string // "" when none
	}{
		"else after PXE":         {decl + "option voip-tftp 10.77.0.1;\nsubnet 10.77.0.0 netmask 255.255.255.0 {\n  range 10.77.0.100 10.77.0.200;\n  if substring (option vendor-class-identifier, 0, 9) = \"PXEClient\" { filename \"pxelinux.0\"; }\n  else { option voip-tftp 10.77.0.20; }\n}\n", "10.77.0.20"},
		"host by MAC identifier": {decl + "option voip-tftp 10.77.0.1;\n" + sub + "host p { option dhcp-client-identifier 01:00:1b:d4:12:34:56; option voip-tftp 10.77.0.20; }\n", "10.77.0.20"},
		"class of one model":     {decl + "option voip-tftp 10.77.0.9;\nclass \"p\" {\n  match if option vendor-class-identifier = \"Cisco Systems, Inc. IP Phone CP-7960G\";\n  option voip-tftp 10.77.0.1;\n}\n" + sub, "10.77.0.9"},
		"global deny booting":    {decl + "option voip-tftp 10.77.0.1;\ndeny booting;\n" + sub, "deny booting"},
		"another vendor ignored": {decl + "option voip-tftp 10.77.0.1;\nclass \"j\" {\n  match if substring(option vendor-class-identifier, 0, 7) = \"Juniper\";\n  ignore booting;\n}\n" + sub, ""},
	} {
		t.Run(name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "dhcpd.conf")
			write(t, conf, c.conf, 0o644)
			var problems []string
			for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
				if f.Severity == Problem {
					problems = append(problems, f.String())
				}
			}
			switch {
			case c.problem == "" && len(problems) > 0:
				t.Errorf("problems on a file that serves the phones: %v", problems)
			case c.problem != "" && !strings.Contains(strings.Join(problems, "\n"), c.problem):
				t.Errorf("no problem naming %q: %v", c.problem, problems)
			}
		})
	}
}

// The doctor side of ccbe4fe: a phone of the inventory whose own host
// entry (or a group around it) says "ignore booting" is a problem naming
// that line; another host's flag is not.
func TestDHCPPhoneHostRefused(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, `option voip-tftp code 150 = array of ip-address;
option voip-tftp 10.77.0.1;
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
}
group {
  ignore booting;
  host old-7960 { hardware ethernet 0:1b:d4:12:34:56; }
}
host printer { hardware ethernet 00:11:22:33:44:55; deny booting; }
`, 0o644)
	fs := CheckDHCPPhoneHosts(conf, []string{"001BD4123456", "001BD4123457"})
	if len(fs) != 1 || fs[0].Severity != Problem || !strings.Contains(fs[0].String(), conf+":7: ignore booting") || !strings.Contains(fs[0].String(), "001BD4123456") {
		t.Errorf("findings %v, want one problem naming %s:7 and phone 001BD4123456", fs, conf)
	}
}
