package dhcpsetup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// TestPiholeV6DefaultDnsmasqConf: setup-dhcp --format dnsmasq run as the
// README shows it (no --dnsmasq-conf) on a Pi-hole v6 box.
//
// testdata/pihole-v6 is such a box's /etc: /etc/pihole/dnsmasq.conf as
// pihole-FTL v6 writes it (pi-hole/FTL src/config/dnsmasq_config.c,
// write_config_header and write_dnsmasq_config: DNS on 53, DHCP active,
// misc.etc_dnsmasq_d false, the default, so no conf-dir line), an empty
// /etc/dnsmasq.d, and no /etc/dnsmasq.conf: Pi-hole v6 runs its own
// dnsmasq inside pihole-FTL (the dnsmasq package is not installed), which
// reads only /etc/pihole/dnsmasq.conf. FTL's own header says a file in
// /etc/dnsmasq.d is read only "(make sure misc.etc_dnsmasq_d is set to true
// in /etc/pihole/pihole.toml)".
//
// The fix for Pi-hole (37f1966) fires only when --dnsmasq-conf names
// Pi-hole's file. With the default /etc/dnsmasq.conf missing, Build plans
// a drop-in /etc/dnsmasq.d/setup-dhcp.conf with a second dhcp-range and
// options 150/66, and setup-dhcp exits 0: pihole-FTL never reads it, the
// phones get no option 150 (and the range Pi-hole already serves,
// 192.168.0.10-250, is not seen).
//
// Right outcome: where /etc/dnsmasq.conf is missing and
// /etc/pihole/dnsmasq.conf is Pi-hole's, read that one (as if given with
// --dnsmasq-conf): the run fails with the misc.etc_dnsmasq_d advice, as it
// does when the file is named.
func TestPiholeV6DefaultDnsmasqConf(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join("testdata", "pihole-v6", "etc", "pihole", "dnsmasq.conf")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "etc", "pihole"), 0o755)
	os.MkdirAll(filepath.Join(root, "etc", "dnsmasq.d"), 0o755)
	if err := os.WriteFile(filepath.Join(root, "etc", "pihole", "dnsmasq.conf"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	req := Request{Format: dhcpconf.Dnsmasq, TFTPServer: "192.168.0.5", Subnet: "192.168.0.0/24", Router: "192.168.0.1",
		Range: "192.168.0.10-192.168.0.250", DefaultLease: 86400, MaxLease: 86400, Root: root,
		Out: filepath.Join(root, "etc", "dnsmasq.d", "setup-dhcp.conf")} // the default --out, under root
	p, err := Build(req)
	if err == nil {
		t.Fatalf("Build planned %s on a Pi-hole v6 box that never reads it (exit 0):\n%s", p.Path, p.New)
	}
	if !strings.Contains(err.Error(), "misc.etc_dnsmasq_d") {
		t.Errorf("error does not name misc.etc_dnsmasq_d: %v", err)
	}

	// Control: the same box with Pi-hole's file named is refused today.
	req.DnsmasqConf = filepath.Join(root, "etc", "pihole", "dnsmasq.conf")
	if _, err := Build(req); err == nil || !strings.Contains(err.Error(), "misc.etc_dnsmasq_d") {
		t.Errorf("with --dnsmasq-conf: %v", err)
	}
}
