package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// Breaker round 14: Univention's UCR dhcpd.conf (as b11-univention-ldap)
// after the admin followed setup-dhcp's advice and put option 150 into
// local.conf. dhcpd built with LDAP reads its subnets, pools, hosts and
// their options from the directory (ldap-server, ldap-method dynamic;
// UCS's DHCP policies set options there), where a subnet's or host's
// option 150 overrides this global one. Doctor reads only the file and
// returns no finding at all, i.e. healthy, exit 0. setup-dhcp's merge knows
// the subnets come from LDAP (5a44f55); doctor says nothing of the part it
// cannot check (compare 9ae3156: a dnsmasq configuration doctor cannot read
// is a check not done, not healthy).
//
// Right outcome: a finding naming the ldap-server line: the subnets and
// hosts in LDAP were not checked for option 150/66 (a check not done).
func TestBreaker14DoctorLDAPSubnetsNotChecked(t *testing.T) {
	dir := t.TempDir()
	local := filepath.Join(dir, "local.conf")
	write(t, local, "option voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.77.0.1;\n", 0o644)
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, `# Warning: This file is auto-generated and might be overwritten by
#          univention-config-registry.
#          Please edit the following file(s) instead:
#
# 	/etc/univention/templates/files/etc/dhcp/dhcpd.conf
#
include "`+local+`";

option ldap-servers code 128 = array of ip-address;
option ldap-base code 129 = string;
authoritative;

ldap-server "ucs.example.com";
ldap-dhcp-server-cn "ucs";
ldap-username "cn=ucs,cn=dc,cn=computers,dc=example,dc=com";
ldap-password-file "/etc/machine.secret";
ldap-port 7389;
ldap-base-dn "cn=dhcp,dc=example,dc=com";
ldap-method dynamic;
`, 0o644)
	fs := CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")})
	for _, f := range fs {
		if strings.Contains(f.String(), "LDAP") || strings.Contains(f.String(), "ldap") {
			return
		}
	}
	t.Errorf("LDAP-served subnets and hosts are not mentioned; findings: %v", fs)
}
