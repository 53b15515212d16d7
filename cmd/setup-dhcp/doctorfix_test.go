package main

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/doctor"
)

// Every DHCP fix `setup-cisco doctor` prescribes is a setup-dhcp command
// for the file doctor was given: run it as written, run doctor's check
// again, and it is satisfied. One missing option 150 is one finding.
func TestDoctorFixesWork(t *testing.T) {
	for _, tc := range []struct {
		name, conf string
		want       string // doctor's --tftp-server
		problems   int
	}{
		{"howto-global", readCase(t, "dhcpd-global-150-other-server.conf"), "192.0.2.140", 2},
		{"two-servers-backup-is-here", readCase(t, "dhcpd-two-tftp-servers.conf"), "192.0.2.11", 0},
		{"two-servers-one-subnet-elsewhere", readCase(t, "dhcpd-two-tftp-servers.conf") + "subnet 192.0.3.0 netmask 255.255.255.0 {\n  option voip-tftp-servers 192.0.3.5;\n  range 192.0.3.10 192.0.3.20;\n}\n", "192.0.2.10", 1},
		{"pool", "option v code 150 = ip-address;\noption v 10.1.0.5;\nsubnet 10.1.0.0 netmask 255.255.255.0 {\n  pool {\n    option v 10.1.0.9;\n    range 10.1.0.10 10.1.0.20;\n  }\n}\n", "10.1.0.5", 1},
		{"host", "option v code 150 = array of ip-address;\nsubnet 10.1.0.0 netmask 255.255.255.0 { range 10.1.0.10 10.1.0.20; }\nhost p { hardware ethernet 00:1b:d4:00:00:01; option v 10.1.0.9; }\n", "10.1.0.5", 1},
		{"class-66-left-alone", "class \"polycom\" {\n  match if substring (hardware, 1, 3) = 00:04:f2;\n  option tftp-server-name \"10.1.0.77\";\n}\nsubnet 10.1.0.0 netmask 255.255.255.0 { range 10.1.0.10 10.1.0.20; }\n", "10.1.0.5", 1},
		{"neither", "subnet 10.1.0.0 netmask 255.255.255.0 { range 10.1.0.10 10.1.0.20; }\n", "10.1.0.5", 1},
		{"declared-not-set", "option v code 150 = ip-address;\nsubnet 10.1.0.0 netmask 255.255.255.0 { range 10.1.0.10 10.1.0.20; option tftp-server-name \"10.1.0.5\"; }\n", "10.1.0.5", 1},
		{"66-by-name", "option tftp-server-name \"oldpbx.example\";\nsubnet 10.1.0.0 netmask 255.255.255.0 { range 10.1.0.10 10.1.0.20; }\n", "10.1.0.5", 2},
		{"include", "option v code 150 = ip-address;\nsubnet 10.1.0.0 netmask 255.255.255.0 {\n  include \"phones.conf\";\n}\n", "10.1.0.5", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			conf := filepath.Join(dir, "site dhcpd.conf") // a space: the fix must still work as written
			os.WriteFile(conf, []byte(tc.conf), 0o644)
			os.WriteFile(filepath.Join(dir, "phones.conf"), []byte("range 10.1.0.10 10.1.0.20;\noption v 10.1.0.8;\noption tftp-server-name \"10.1.0.8\";\n"), 0o644)
			want := []netip.Addr{netip.MustParseAddr(tc.want)}
			fs := problems(doctor.CheckDHCPConfig(conf, want))
			if len(fs) != tc.problems {
				t.Fatalf("%d problems, want %d: %v", len(fs), tc.problems, fs)
			}
			for _, f := range fs {
				args := fixArgs(t, f.Fix, conf)
				var out, errb bytes.Buffer
				if code := run(args, &out, &errb); code != exitOK {
					t.Fatalf("prescribed %q: exit %d\n%s%s", f.Fix, code, out.String(), errb.String())
				}
				if after := problems(doctor.CheckDHCPConfig(conf, want)); len(after) != 0 {
					b, _ := os.ReadFile(conf)
					t.Fatalf("after %q doctor still finds %v\n%s", f.Fix, after, b)
				}
				if _, err := os.Stat(conf + ".bak"); err != nil {
					t.Errorf("no backup: %v", err)
				}
			}
		})
	}
}

func problems(fs []doctor.Finding) []doctor.Finding {
	var out []doctor.Finding
	for _, f := range fs {
		if f.Severity == doctor.Problem {
			out = append(out, f)
		}
	}
	return out
}

// fixArgs takes the setup-dhcp command out of a fix; the file name (which
// has a space) is the one argument after --out.
func fixArgs(t *testing.T, fix, conf string) []string {
	t.Helper()
	i := strings.Index(fix, "setup-dhcp ")
	if i < 0 {
		t.Fatalf("fix is no setup-dhcp command: %q", fix)
	}
	cmd := strings.TrimSuffix(fix[i+len("setup-dhcp "):], ")")
	head, file, ok := strings.Cut(cmd, "--out ")
	if !ok || file != conf {
		t.Fatalf("fix does not name the file doctor was given (--out %s): %q", conf, fix)
	}
	return append(strings.Fields(head), "--out", file)
}

func readCase(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "dhcpconf", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A dnsmasq main file (Pi-hole style, no option 150): doctor prescribes a
// drop-in in its conf-dir; after running it as written doctor, reading the
// main file and its conf-dir, is satisfied.
func TestDoctorDnsmasqFix(t *testing.T) {
	dir := t.TempDir()
	confDir := filepath.Join(dir, "dnsmasq.d")
	os.Mkdir(confDir, 0o755)
	main := filepath.Join(dir, "dnsmasq.conf")
	os.WriteFile(main, []byte("no-resolv\nconf-dir="+confDir+",*.conf\n"), 0o644)
	os.WriteFile(filepath.Join(confDir, "02-dhcp.conf"), []byte("dhcp-range=10.1.0.100,10.1.0.150,12h\n"), 0o644)
	want := []netip.Addr{netip.MustParseAddr("10.1.0.5")}
	fs := problems(doctor.CheckDHCPConfig(main, want))
	if len(fs) != 1 || !strings.Contains(fs[0].Msg, "neither option 150 nor option 66") {
		t.Fatalf("findings: %v", fs)
	}
	i := strings.Index(fs[0].Fix, "setup-dhcp ")
	args := strings.Fields(fs[0].Fix[i+len("setup-dhcp "):])
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != exitOK {
		t.Fatalf("prescribed %q: exit %d\n%s", fs[0].Fix, code, errb.String())
	}
	if after := problems(doctor.CheckDHCPConfig(main, want)); len(after) != 0 {
		t.Fatalf("after %q: %v", fs[0].Fix, after)
	}
	b, _ := os.ReadFile(filepath.Join(confDir, "setup-dhcp.conf"))
	if strings.Contains(string(b), "dhcp-range") || strings.Contains(string(b), "port=") {
		t.Errorf("drop-in adds a range or changes DNS:\n%s", b)
	}
	// A line of the admin's naming another server competes: named by file:line.
	os.WriteFile(filepath.Join(confDir, "03-old.conf"), []byte("dhcp-option=150,10.1.0.9\n"), 0o644)
	fs = problems(doctor.CheckDHCPConfig(main, want))
	if len(fs) != 1 || !strings.Contains(fs[0].String(), "option 150 is 10.1.0.9, not this TFTP server (10.1.0.5), at "+filepath.Join(confDir, "03-old.conf")+":1; fix: remove or change") {
		t.Errorf("competing line: %v", fs)
	}
}
