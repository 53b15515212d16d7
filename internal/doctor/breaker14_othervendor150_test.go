package doctor

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Breaker round 14 (doctor side of b14-isc-class-other-vendor-150 and
// b14-dnsmasq-vendorclass-other-150): Juniper ZTP's code 150 given only to
// clients whose option 60 starts/contains "Juniper", next to option 150
// for everyone else (setup-dhcp's block, or its dnsmasq drop-in). Checked
// with the real dhcpd 4.4.3 and dnsmasq 2.90 in network namespaces: a
// 7960's option 60 gets 10.77.0.1, a Juniper switch 10.77.0.5. The
// configuration works for both, yet doctor reports "option 150 is
// 10.77.0.5, not this TFTP server" as a problem (exit 1 from every cron
// run) and its fix comments out or removes the switches' ZTP line. Kea
// classes whose test admits no 79x0 are already left alone (a6c9b24).
func TestBreaker14DoctorOtherVendorOption150(t *testing.T) {
	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	t.Run("isc-class", func(t *testing.T) {
		conf := filepath.Join(t.TempDir(), "dhcpd.conf")
		write(t, conf, `option ztp-file-server code 150 = { ip-address };
class "juniper" {
  match if substring(option vendor-class-identifier, 0, 7) = "Juniper";
  option ztp-file-server 10.77.0.5;
}
subnet 10.77.0.0 netmask 255.255.255.0 {
  option routers 10.77.0.254;
  range 10.77.0.100 10.77.0.199;
}
# BEGIN setup-dhcp (managed; do not edit)
# Option 150: the TFTP server Cisco 79x0 phones load their firmware and config from.
option voip-tftp-servers code 150 = array of ip-address;
option voip-tftp-servers 10.77.0.1;
# END setup-dhcp
`, 0o644)
		noProblemNaming(t, CheckDHCPConfig(conf, want), "10.77.0.5")
	})
	t.Run("dnsmasq-vendorclass", func(t *testing.T) {
		dir := t.TempDir()
		conf := filepath.Join(dir, "dnsmasq.conf")
		write(t, conf, "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-vendorclass=set:juniper,Juniper\ndhcp-option=tag:juniper,150,10.77.0.5\nconf-dir="+filepath.Join(dir, "d")+"\n", 0o644)
		if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, "d", "setup-dhcp.conf"), "# dnsmasq drop-in for Cisco 7940/7960 SIP phones, written by setup-dhcp.\ndhcp-option=150,10.77.0.1\ndhcp-option=66,\"10.77.0.1\"\n", 0o644)
		noProblemNaming(t, CheckDHCPConfig(conf, want), "10.77.0.5")
	})
}

func noProblemNaming(t *testing.T, fs []Finding, s string) {
	t.Helper()
	for _, f := range fs {
		if f.Severity == Problem && strings.Contains(f.String(), s) {
			t.Errorf("working configuration reported: %s", f)
		}
	}
}
