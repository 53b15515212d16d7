package doctor

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Breaker round 14: most PBXs get DHCP from the office router (or a
// Windows server), with option 150 set there by hand; the FreePBX host
// runs no DHCP server and has no dhcpd.conf. Doctor then reports, next to
// "no such file" (a check not done, fine), a problem: "no dhcpd, kea-dhcp4
// or dnsmasq is running: phones get no address", fix "systemctl start
// isc-dhcp-server (or kea-dhcp4-server, dnsmasq)". The phones do get
// addresses (from the router), doctor exits 1 on every healthy run, and
// following the fix puts a second, rogue DHCP server on the phones' LAN.
//
// Right outcome: with no local DHCP configuration at all, no local DHCP
// server is not a problem: at most a note or a check not done (DHCP is
// served elsewhere: check option 150 there), and never the advice to start
// a DHCP server.
func TestBreaker14NoLocalDHCPIsNotAProblem(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dhcpd.conf") // does not exist
	atftpd := Proc{PID: 501, Comm: "atftpd", Args: []string{"/usr/sbin/atftpd", "--daemon", "/tftpboot"},
		Start: time.Now().Add(-time.Hour), UDPPort: []int{69}}
	for _, f := range CheckDHCPServer([]Proc{atftpd}, conf) {
		if f.Severity == Problem || strings.Contains(f.Fix, "systemctl start") {
			t.Errorf("DHCP from the router reported as a problem: %s", f)
		}
	}
}
