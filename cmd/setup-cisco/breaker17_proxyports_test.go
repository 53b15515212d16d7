package main

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB17OtherProxyPortsEmpty: the settings file sets outbound_proxy,
// proxy_backup and proxy_emergency without their ports (example.conf shows
// the port lines commented out, 5060). SIPDefault.cnf then says
// outbound_proxy_port: "" (and the same for the backup and emergency
// proxies, and for all three when no proxy is set): an empty port, where
// Cisco's sample SIPDefault.cnf (HUGO-sample; the copy in
// dbaldree/cisco_sip_voipfone SIPDefault.cnf) writes
// 'outbound_proxy_port: 5060 ; default is 5060', 'proxy_backup_port: 5060
// ; Backup Proxy port (default is 5060)', 'proxy_emergency_port: 5060'. A
// phone told to use an outbound proxy on port "" either reads 0 or keeps
// the port in flash from an earlier setup (fact sheet §7). Right: an unset
// port is written as the default 5060, as proxyN_port's reset value is.
func TestB17OtherProxyPortsEmpty(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "",
		"outbound_proxy = 192.0.2.20\nproxy_backup = 192.0.2.21\nproxy_emergency = 192.0.2.22\n")
	s.mustCLI("phone", "add", "00112233B101", "1601", "--model", "7940")
	code, out := s.run()
	def := s.file("SIPDefault.cnf")
	if !strings.Contains(def, `outbound_proxy: "192.0.2.20"`) {
		t.Fatalf("setup: outbound_proxy not written (exit %d): %s\n%s", code, out, def)
	}
	for _, k := range []string{"outbound_proxy_port", "proxy_backup_port", "proxy_emergency_port"} {
		for _, l := range strings.Split(def, "\n") {
			if strings.HasPrefix(l, k+":") && strings.Contains(l, `""`) {
				t.Errorf("SIPDefault.cnf: %s (its proxy is set, no port given: Cisco's default is 5060)", l)
			}
		}
	}
}
