package dhcpsetup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// Build is a pure stage over files: each request's plan, without a
// database or a DHCP server.
func TestBuild(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	set := write("set.conf", "option v code 150 = ip-address;\noption v 10.0.0.9;\nsubnet 10.0.0.0 netmask 255.0.0.0 {\n  include \""+filepath.Join(dir, "inc.conf")+"\";\n}\n")
	write("inc.conf", "option tftp-server-name \"10.0.0.9\";\n")
	main := write("dnsmasq.conf", "conf-dir="+filepath.Join(dir, "d")+"\ndhcp-range=10.0.0.100,10.0.0.150\n")
	write("d/other.conf", "cache-size=100\n")
	given := func(flags ...string) func(string) bool {
		return func(f string) bool {
			for _, g := range flags {
				if g == f {
					return true
				}
			}
			return false
		}
	}
	for _, tc := range []struct {
		name  string
		req   Request
		check func(t *testing.T, p *Plan)
		err   string
	}{
		{"merge refuses", Request{Out: set, Format: dhcpconf.ISC, Merge: true, TFTPServer: "10.0.0.5"}, func(t *testing.T, p *Plan) {
			if len(p.Conflicts) != 2 || p.Changed() || len(p.Warnings) != 2 {
				t.Errorf("conflicts %d, changed %v, warnings %q", len(p.Conflicts), p.Changed(), p.Warnings)
			}
		}, ""},
		{"merge takes over, the included file too", Request{Out: set, Format: dhcpconf.ISC, Merge: true, TakeOver: true, TFTPServer: "10.0.0.5,10.0.0.6"}, func(t *testing.T, p *Plan) {
			if len(p.Included) != 1 || !strings.Contains(string(p.Included[0].New), dhcpconf.TakeOverMarker) {
				t.Errorf("included: %+v", p.Included)
			}
			if !strings.Contains(string(p.New), "option v code 150 = array of ip-address;") || !strings.Contains(string(p.New), "option v 10.0.0.5, 10.0.0.6;") {
				t.Errorf("main:\n%s", p.New)
			}
			if !strings.Contains(p.Diffs(), "+++ "+filepath.Join(dir, "inc.conf")) {
				t.Errorf("diff lacks the included file:\n%s", p.Diffs())
			}
			if c, err := p.checkable(); err != nil || !strings.Contains(string(c), "# setup-dhcp --take-over: option tftp-server-name") {
				t.Errorf("flattened: %v\n%s", err, c)
			}
		}, ""},
		{"generate with a list", Request{Out: filepath.Join(dir, "new.conf"), Format: dhcpconf.Kea, TFTPServer: "10.0.0.5,10.0.0.6", Subnet: "10.0.0.0/24", Router: "10.0.0.1", Range: "10.0.0.100-10.0.0.150", DNS: "10.0.0.1", DefaultLease: 600, MaxLease: 600}, func(t *testing.T, p *Plan) {
			if p.Exists || !p.Changed() || len(p.Info) != 0 || !strings.Contains(string(p.New), `"data": "10.0.0.5, 10.0.0.6"`) {
				t.Errorf("exists %v, info %q:\n%s", p.Exists, p.Info, p.New)
			}
		}, ""},
		{"drop-in beside a range", Request{Out: filepath.Join(dir, "d/setup-dhcp.conf"), Format: dhcpconf.Dnsmasq, DnsmasqConf: main, TFTPServer: "10.0.0.5"}, func(t *testing.T, p *Plan) {
			if strings.Contains(string(p.New), "dhcp-range") || strings.Contains(string(p.New), "port=") || len(p.Info) != 1 || !strings.Contains(p.Info[0], "dnsmasq.conf:2: dnsmasq already hands out addresses") {
				t.Errorf("info %q:\n%s", p.Info, p.New)
			}
		}, ""},
		{"drop-in where there is no range", Request{Out: filepath.Join(dir, "d/setup-dhcp.conf"), Format: dhcpconf.Dnsmasq, DnsmasqConf: filepath.Join(dir, "none.conf"), TFTPServer: "10.0.0.5", Subnet: "10.0.0.0/24", Router: "10.0.0.1", Range: "10.0.0.100-10.0.0.150", DefaultLease: 600, MaxLease: 600, Given: given("range")}, func(t *testing.T, p *Plan) {
			if !strings.Contains(string(p.New), "dhcp-range=10.0.0.100,10.0.0.150,255.255.255.0,600\n") || strings.Contains(string(p.New), "dns-server") {
				t.Errorf("drop-in:\n%s", p.New)
			}
		}, ""},
		{"take-over needs merge", Request{Format: dhcpconf.ISC, TakeOver: true}, nil, "--take-over works with --merge only"},
		{"dhcp-only needs dnsmasq", Request{Format: dhcpconf.ISC, Given: given("dhcp-only")}, nil, "--dhcp-only is for --format dnsmasq only"},
		{"a list with a repeat", Request{Out: set, Format: dhcpconf.ISC, Merge: true, TFTPServer: "10.0.0.5,10.0.0.5"}, nil, "--tftp-server: 10.0.0.5 is listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Build(tc.req)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p)
		})
	}
}
