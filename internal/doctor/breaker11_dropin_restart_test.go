package doctor

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Breaker round 11. setup-dhcp --format dnsmasq writes its drop-in into
// dnsmasq's conf-dir (/etc/dnsmasq.d/setup-dhcp.conf) and tells the admin to
// restart dnsmasq; dnsmasq reads its configuration only at start. doctor
// --dhcpd-conf /etc/dnsmasq.conf then reads the drop-in's option 150 (it
// follows conf-dir) and is satisfied, and CheckDHCPServer compares the
// running dnsmasq's start time with the main file's mtime only: a drop-in
// written after dnsmasq started is not noticed, so doctor reports a healthy
// server while the running dnsmasq sends no option 150 (the drop-in is not
// loaded until the restart the admin skipped).
//
// The process is Debian's dnsmasq as its init script starts it
// (/usr/sbin/dnsmasq -x /run/dnsmasq/dnsmasq.pid -u dnsmasq -7
// /etc/dnsmasq.d,.dpkg-dist,.dpkg-old,.dpkg-new --local-service), with the
// main file naming its conf-dir as the tests here need a temporary one.
//
// Right outcome: "changed after dnsmasq (pid N) started" for a file dnsmasq
// reads through conf-dir (or conf-file) that is newer than the process, as
// for the main file.
func TestBreaker11DnsmasqDropInNewerThanProcess(t *testing.T) {
	dir := t.TempDir()
	drop := filepath.Join(dir, "dnsmasq.d")
	if err := os.Mkdir(drop, 0o755); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "dnsmasq.conf")
	write(t, main, "domain-needed\nbogus-priv\ndhcp-range=10.77.0.100,10.77.0.200,12h\nconf-dir="+drop+",*.conf\n", 0o644)
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(main, old, old); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(drop, "setup-dhcp.conf")
	write(t, in, "dhcp-option=150,10.77.0.1\ndhcp-option=66,\"10.77.0.1\"\n", 0o644)
	fi, err := os.Stat(in)
	if err != nil {
		t.Fatal(err)
	}
	p := Proc{PID: 733, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "-x", "/run/dnsmasq/dnsmasq.pid", "-u", "dnsmasq",
		"-7", "/etc/dnsmasq.d,.dpkg-dist,.dpkg-old,.dpkg-new", "--local-service"},
		Start: fi.ModTime().Add(-time.Hour), UDPPort: []int{53, 67}}
	has(t, CheckDHCPServer([]Proc{p}, main), "changed after dnsmasq (pid 733) started")
}
