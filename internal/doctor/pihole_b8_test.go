package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckDHCPServerPiholeNotDhcpdConf: a Pi-hole box where Debian's
// isc-dhcp-server package is installed but stopped (its stock
// /etc/dhcp/dhcpd.conf, testdata/debian12-isc-dhcp-server-dhcpd.conf, is
// the conffile of isc-dhcp-server 4.4.3-P1-2, md5 7df121d6...), and Pi-hole
// serves DHCP: pihole-FTL -f on UDP 53 and 67 (pi-hole/pi-hole
// advanced/Templates/pihole-FTL.service), reading only
// /etc/pihole/dnsmasq.conf, which FTL writes (pi-hole/FTL
// src/config/dnsmasq_config.c). doctor without --dhcpd-conf checks
// /etc/dhcp/dhcpd.conf (cmd/setup-cisco/doctor.go: dhcpconf.ISC.DefaultPath)
// and CheckDHCPServer, given that file and pihole-FTL, says nothing about
// pihole-FTL not reading it (its note "pid N reads X, not Y" needs a -cf or
// -c argument), and, the file being newer than the process, prescribes
// "systemctl restart isc-dhcp-server (or restart pihole-FTL)": a restart
// that changes nothing; the other findings on that file prescribe
// setup-dhcp --merge into a dhcpd.conf no server reads (breaker round 8,
// seen with a real dnsmasq binary run as pihole-FTL in a network namespace).
//
// Right outcome: a finding says the running DHCP server (pihole-FTL) does
// not read the dhcpd.conf checked (its file is /etc/pihole/dnsmasq.conf),
// and none tells the admin to restart pihole-FTL for a dhcpd.conf change.
func TestCheckDHCPServerPiholeNotDhcpdConf(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "debian12-isc-dhcp-server-dhcpd.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, string(b), 0o644)
	ftl := Proc{PID: 812, Comm: "pihole-FTL", Args: []string{"/usr/bin/pihole-FTL", "-f"}, UID: 999, GID: 999,
		UDPPort: []int{53, 67}, Start: time.Now().Add(-time.Hour)}
	fs := CheckDHCPServer([]Proc{ftl}, conf)
	var all []string
	named := false
	for _, f := range fs {
		s := f.String()
		all = append(all, s)
		if strings.Contains(s, "pihole-FTL") && strings.Contains(s, "/etc/pihole/dnsmasq.conf") {
			named = true
		}
		if strings.Contains(s, "restart pihole-FTL") {
			t.Errorf("prescribes restarting pihole-FTL for a dhcpd.conf it never reads: %s", s)
		}
	}
	if !named {
		t.Errorf("no finding says pihole-FTL reads /etc/pihole/dnsmasq.conf, not %s; findings:\n%s", conf, strings.Join(all, "\n"))
	}
}
