package doctor

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
)

// text joins findings for matching; t fails when want is absent.
func has(t *testing.T, fs []Finding, want ...string) {
	t.Helper()
	var all []string
	for _, f := range fs {
		all = append(all, f.String())
	}
	s := strings.Join(all, "\n")
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("want %q in findings:\n%s", w, s)
		}
	}
}

func none(t *testing.T, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		t.Errorf("unexpected finding: %s", f)
	}
}

func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, mode) // umask
}

// nobody is atftpd's user on Debian.
var nobody = Identity{Known: true, Name: "nobody", UID: 65534, GID: 65534}

func TestCheckAccess(t *testing.T) {
	root := t.TempDir()
	os.Chmod(filepath.Dir(root), 0o755)
	os.Chmod(root, 0o755)
	write(t, filepath.Join(root, "SIPDefault.cnf"), "x", 0o644)
	write(t, filepath.Join(root, ".setup-cisco-files"), "x", 0o600) // our own, never fetched
	none(t, CheckAccess(root, nobody))

	write(t, filepath.Join(root, "SIP001B54796001.cnf"), "x", 0o600)
	has(t, CheckAccess(root, nobody), "problem: "+root+"/SIP001B54796001.cnf: not readable by the TFTP daemon (user nobody; mode 0600)", "fix: chmod 644 ")
	// The owner itself may read it; root reads everything.
	me := Identity{Known: true, Name: "me", UID: os.Getuid(), GID: os.Getgid()}
	if os.Getuid() != 0 {
		none(t, CheckAccess(root, me))
	}
	none(t, CheckAccess(root, Identity{Known: true, Name: "root", UID: 0}))
	// Group bits for a daemon in the file's group.
	os.Chmod(filepath.Join(root, "SIP001B54796001.cnf"), 0o640)
	none(t, CheckAccess(root, Identity{Known: true, Name: "tftp", UID: 65000, GID: os.Getgid()}))
	has(t, CheckAccess(root, Identity{}), "(any user; mode 0640)")

	os.Chmod(filepath.Join(root, "SIP001B54796001.cnf"), 0o644)
	os.Chmod(root, 0o750)
	has(t, CheckAccess(root, nobody), "problem: "+root+": directory not searchable by the TFTP daemon (user nobody; mode 0750)", "fix: chmod o+x "+root)
	has(t, CheckAccess(filepath.Join(root, "nope"), nobody), "TFTP root does not exist")
}

func TestCheckSIPDefault(t *testing.T) {
	root := t.TempDir()
	_, fs := CheckSIPDefault(root)
	has(t, fs, "SIPDefault.cnf: missing", "fix: setup-cisco")
	write(t, filepath.Join(root, "SIPDefault.cnf"), "# comment first\nimage_version: P0S3-8-12-00\n", 0o644)
	_, fs = CheckSIPDefault(root)
	has(t, fs, "the first line is not image_version")
	write(t, filepath.Join(root, "SIPDefault.cnf"), "image_version: \"P0S3-8-12-00\"\nproxy1_address: x\n", 0o644)
	img, fs := CheckSIPDefault(root)
	none(t, fs)
	if img != "P0S3-8-12-00" {
		t.Errorf("image %q", img)
	}
}

func inv() inventory.Inventory {
	return inventory.Inventory{Phones: []inventory.Phone{
		{MAC: "001B54796001", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
		{MAC: "001B54794002", Model: "7940", Image: "P0S3-07-5-00", Lines: []inventory.Line{{N: 1, Ext: "2001"}}},
	}}
}

func TestCheckPhones(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "SIP001B54796001.cnf"), "x", 0o644)
	fs := CheckPhones(root, inv())
	has(t, fs, "problem: phone 001B54794002 (7940, ext 2001): "+root+"/SIP001B54794002.cnf is missing")
	if len(fs) != 1 {
		t.Errorf("%d findings, want 1", len(fs))
	}
}

func TestCheckImages(t *testing.T) {
	root := t.TempDir()
	for _, f := range firmware.RequiredFiles(firmware.MustParse("P0S3-8-12-00")) {
		write(t, filepath.Join(root, f), "image", 0o644)
	}
	fs := CheckImages(root, "P0S3-8-12-00", inv())
	has(t, fs, "load P0S3-07-5-00 (phone 001B54794002 (7940, ext 2001) pin): no file of this load in "+root,
		"fix: setup-cisco firmware import BUNDLE (Cisco's bundle with P0S3-07-5-00.loads, P0S3-07-5-00.sb2, P003-07-5-00.sbn)")
	if len(fs) != 1 {
		t.Errorf("findings: %v", fs)
	}
	for _, f := range firmware.RequiredFiles(firmware.MustParse("P0S3-07-5-00")) {
		write(t, filepath.Join(root, f), "image", 0o644)
	}
	os.Remove(filepath.Join(root, "P0S3-8-12-00.sb2"))
	os.Rename(filepath.Join(root, "P003-8-12-00.sbn"), filepath.Join(root, "p003-8-12-00.SBN"))
	fs = CheckImages(root, "P0S3-8-12-00", inv())
	has(t, fs, "load P0S3-8-12-00 (SIPDefault.cnf): missing in "+root+": P0S3-8-12-00.sb2",
		"phones ask for P003-8-12-00.sbn but the file is named p003-8-12-00.SBN")
	has(t, CheckImages(root, "P003-8-12-00", inventory.Inventory{}), "is a Loader load, not SIP")
}

func testNetwork() dhcpconf.Network {
	return dhcpconf.Network{
		TFTPServer: netip.MustParseAddr("10.79.60.1"), Subnet: netip.MustParsePrefix("10.79.60.0/24"),
		Router: netip.MustParseAddr("10.79.60.1"), RangeFirst: netip.MustParseAddr("10.79.60.100"),
		RangeLast: netip.MustParseAddr("10.79.60.199"), DefaultLease: 3600, MaxLease: 7200,
	}
}

// The configurations setup-dhcp generates pass; edited ones name the fault.
func TestCheckDHCPConfig(t *testing.T) {
	dir := t.TempDir()
	here := []netip.Addr{netip.MustParseAddr("10.79.60.1")}
	isc := string(dhcpconf.GenerateISC(testNetwork(), nil, nil))
	kea, err := dhcpconf.GenerateKea(testNetwork(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"dhcpd.conf": isc, "kea-dhcp4.conf": string(kea), "dnsmasq.conf": string(dhcpconf.GenerateDnsmasq(testNetwork(), nil)),
	} {
		p := filepath.Join(dir, name)
		write(t, p, content, 0o644)
		none(t, CheckDHCPConfig(p, here))
		has(t, CheckDHCPConfig(p, []netip.Addr{netip.MustParseAddr("192.0.2.7")}), "not this TFTP server (192.0.2.7)")
	}
	p := filepath.Join(dir, "dhcpd.conf")
	var kept []string
	for _, l := range strings.Split(isc, "\n") {
		if !strings.HasPrefix(l, "option voip-tftp-servers 10.") {
			kept = append(kept, l)
		}
	}
	write(t, p, strings.Join(kept, "\n"), 0o644)
	has(t, CheckDHCPConfig(p, here), "option 150 (voip-tftp-servers) is declared but never set")
	write(t, p, strings.ReplaceAll(strings.Join(kept, "\n"), "option tftp-server-name", "# option tftp-server-name"), 0o644)
	has(t, CheckDHCPConfig(p, here), "neither option 150 nor option 66")
	// A hand-written file using its own name, set inside the subnet.
	write(t, p, "option cisco-tftp code 150 = ip-address;\nsubnet 10.79.60.0 netmask 255.255.255.0 {\n  range 10.79.60.100 10.79.60.200;\n  option cisco-tftp 10.79.60.1; # the PBX\n}\n", 0o644)
	none(t, CheckDHCPConfig(p, here))
	has(t, CheckDHCPConfig(filepath.Join(dir, "none.conf"), here), "unchecked: ", "no such file")
	// Kea: option 150 as raw bytes needs no option-def; comments and a
	// trailing comma are Kea syntax.
	k := filepath.Join(dir, "kea-hex.conf")
	write(t, k, "// hand-written\n{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [ \"*\" ] },\n"+
		"\"subnet4\": [ { \"id\": 1, \"subnet\": \"10.79.60.0/24\", \"pools\": [ { \"pool\": \"10.79.60.100 - 10.79.60.200\" } ],\n"+
		"  \"option-data\": [ { \"code\": 150, \"csv-format\": false, \"data\": \"0A4F3C01\" }, ] } ] } }\n", 0o644)
	none(t, CheckDHCPConfig(k, here))
	has(t, CheckDHCPConfig(k, []netip.Addr{netip.MustParseAddr("192.0.2.7")}), "option 150 is 10.79.60.1, not this TFTP server (192.0.2.7)")
}

// Processes must find this test's own UDP socket through /proc.
func TestProcessesFindsOwnSocket(t *testing.T) {
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	port := c.LocalAddr().(*net.UDPAddr).Port
	procs, err := Processes("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range Listening(procs, port) {
		if p.PID == os.Getpid() {
			found = true
			if p.UID != os.Geteuid() || p.Start.IsZero() || p.NetNS == "" {
				t.Errorf("own process read as %+v", p)
			}
		}
	}
	if !found {
		t.Errorf("own socket on UDP %d not found", port)
	}
}

func TestCheckTFTPDaemon(t *testing.T) {
	atftpd := Proc{PID: 10, Comm: "atftpd", Args: []string{"atftpd", "--daemon", "/srv/tftp"}, UID: 65534, NetNS: "net:[1]", UDPPort: []int{69}}
	d, fs := CheckTFTPDaemon([]Proc{atftpd}, "/srv/tftp", "net:[1]")
	none(t, fs)
	if d == nil || d.PID != 10 {
		t.Errorf("daemon %v", d)
	}
	_, fs = CheckTFTPDaemon([]Proc{atftpd}, "/tftpboot", "net:[1]")
	has(t, fs, "problem: atftpd: pid 10 serves /srv/tftp, but setup-cisco writes to /tftpboot")
	_, fs = CheckTFTPDaemon([]Proc{atftpd}, "/srv/tftp", "net:[2]")
	has(t, fs, "note: atftpd: pid 10 listens on UDP 69 in another network namespace")
	if ExitCode(fs) != ExitHealthy {
		t.Error("a note made the exit code non-zero")
	}
	_, fs = CheckTFTPDaemon(nil, "/srv/tftp", "net:[1]")
	has(t, fs, "no process listens on UDP port 69")
	// Of two daemons, the one serving our root is checked.
	other := atftpd
	other.PID, other.Args = 11, []string{"atftpd", "/other"}
	d, fs = CheckTFTPDaemon([]Proc{other, atftpd}, "/srv/tftp", "net:[1]")
	none(t, fs)
	if d.PID != 10 {
		t.Errorf("picked pid %d", d.PID)
	}
	// tftpd-hpa letting clients upload files.
	hpa := Proc{PID: 12, Comm: "in.tftpd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}}
	for _, args := range [][]string{{"--secure", "--create"}, {"-sc"}, {"-c", "-s"}, {"--listen", "--user", "tftp", "--address", ":69", "-vc", "--secure"}} {
		hpa.Args = append(append([]string{"/usr/sbin/in.tftpd"}, args...), "/srv/tftp")
		_, fs = CheckTFTPDaemon([]Proc{hpa}, "/srv/tftp", "net:[1]")
		has(t, fs, "problem: in.tftpd: pid 12 runs with --create")
	}
	for _, args := range [][]string{{"--secure"}, {"-s", "-u", "tftp"}, {"--listen", "--address", "0.0.0.0:69", "--secure", "-m", "/etc/tftp.remap"}} {
		hpa.Args = append(append([]string{"/usr/sbin/in.tftpd"}, args...), "/srv/tftp")
		_, fs = CheckTFTPDaemon([]Proc{hpa}, "/srv/tftp", "net:[1]")
		none(t, fs)
	}
}

func TestCheckDHCPServer(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, "x", 0o644)
	fi, _ := os.Stat(conf)
	dhcpd := Proc{PID: 7, Comm: "dhcpd", Args: []string{"dhcpd", "-cf", conf}, Start: fi.ModTime().Add(time.Second)}
	none(t, CheckDHCPServer([]Proc{dhcpd}, conf))
	dhcpd.Start = fi.ModTime().Add(-time.Hour)
	has(t, CheckDHCPServer([]Proc{dhcpd}, conf), "changed after dhcpd (pid 7) started", "fix: systemctl restart isc-dhcp-server")
	has(t, CheckDHCPServer(nil, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
	dhcpd.Args = []string{"dhcpd", "-cf", "/etc/dhcp/other.conf"}
	has(t, CheckDHCPServer([]Proc{dhcpd}, conf), "note: dhcpd: pid 7 reads /etc/dhcp/other.conf")
	// Pi-hole's FTL serving DNS only (its DHCP off) is no DHCP server.
	ftl := Proc{PID: 9, Comm: "pihole-FTL", Args: []string{"/usr/bin/pihole-FTL", "-f"}, UDPPort: []int{53}}
	has(t, CheckDHCPServer([]Proc{ftl}, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
}

// The e2e run's real atftpd log: the phone not in the inventory asked for
// its SIP<MAC>.cnf, still missing; files there now are not reported. The
// daemon served /srv/tftp ("directory: /srv/tftp/"): the log is read as
// that of a daemon serving the test's root.
func TestCheckTFTPLog(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"SIPDefault.cnf", "SIP001B54796001.cnf", "SIP001B54794002.cnf"} {
		write(t, filepath.Join(root, f), "x", 0o644)
	}
	real, err := os.ReadFile("../tftpwatch/testdata/atftpd.log")
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "atftpd.log")
	write(t, log, strings.ReplaceAll(string(real), "/srv/tftp/", root+"/"), 0o644)
	fs := CheckTFTPLog(log, root, inv())
	has(t, fs, "problem: phone 001B54796099: asked for SIP001B54796099.cnf (Nov 25 11:04:12), which is still missing; fix: setup-cisco phone add 001B54796099 EXT")
	if len(fs) != 1 {
		t.Errorf("findings: %v", fs)
	}
	os.Remove(filepath.Join(root, "SIP001B54796001.cnf"))
	has(t, CheckTFTPLog(log, root, inv()),
		"problem: phone 001B54796001 (7960, ext 1001): asked for SIP001B54796001.cnf", "fix: setup-cisco")
	// The same log against another root: the daemon serves /srv/tftp,
	// one problem names both, whatever is in the root.
	fs = CheckTFTPLog("../tftpwatch/testdata/atftpd.log", root, inv())
	has(t, fs, "problem: atftpd: the log shows the daemon serving /srv/tftp (Nov 25 11:04:06 atftpd: directory: /srv/tftp/), but setup-cisco writes to "+root, "fix: set tftp_root = /srv/tftp in the config file, or make atftpd serve "+root)
	if len(fs) != 1 {
		t.Errorf("findings: %v", fs)
	}
}

func TestExitCode(t *testing.T) {
	n, u, p := note("a", "b"), unchecked("a", "", "b"), problem("a", "", "b")
	for _, tc := range []struct {
		fs   []Finding
		want int
	}{{nil, 0}, {[]Finding{n}, 0}, {[]Finding{n, u}, 2}, {[]Finding{u, p}, 2}, {[]Finding{n, p}, 1}} {
		if got := ExitCode(tc.fs); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.fs, got, tc.want)
		}
	}
}

// An installed TFTP daemon that is not running is started, not installed
// again (issue 15.6).
func TestTFTPStartFix(t *testing.T) {
	if fix := tftpStartFix("/tftpboot", 0); strings.Contains(fix, "apt-get") ||
		!strings.Contains(fix, " atftpd") || !strings.Contains(fix, "it must serve /tftpboot") {
		t.Errorf("atftpd installed: fix %q", fix)
	}
	if fix := tftpStartFix("/tftpboot", -1); !strings.HasPrefix(fix, "apt-get install atftpd; ") {
		t.Errorf("no TFTP daemon installed: fix %q", fix)
	}
}
