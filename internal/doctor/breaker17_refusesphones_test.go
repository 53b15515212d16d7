package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// Breaker round 17, the doctor side of b17-isc-class-ignore-booting and
// b17-kea-drop-class-phones: a DHCP file that sets option 150 to this
// server but refuses every 79x0 outright, by what the phone is (its
// option 60), not by a missing host entry:
//   - dhcpd: class "ciscophones" (match if substring(option
//     vendor-class-identifier, 0, 28) = "Cisco Systems, Inc. IP Phone")
//     with "ignore booting;". The real dhcpd 4.4.3-P1 in a network
//     namespace answers no busybox udhcpc -V "Cisco Systems, Inc. IP Phone
//     CP-7960G"; -V Other is bound with opt150=0a4d0001.
//   - Kea: the special client class DROP with test
//     "substring(option[60].hex,0,13) == 'Cisco Systems'". The real
//     kea-dhcp4 2.2.0 logs "EVAL_RESULT Expression DROP evaluated to 1" and
//     answers no 7960; -V Other is bound with opt150=0a4d0001.
//
// What happens: CheckDHCPConfig finds nothing at all: doctor calls the
// DHCP side healthy while no phone gets an address.
//
// Right outcome: a problem naming the class that refuses the phones.
func TestBreaker17DHCPFileRefusingPhonesIsAProblem(t *testing.T) {
	for name, tc := range map[string]struct{ file, conf, names string }{
		"isc ignore booting": {"dhcpd.conf", `option voip-tftp-servers code 150 = array of ip-address;
option voip-tftp-servers 10.77.0.1;
class "ciscophones" {
  match if substring(option vendor-class-identifier, 0, 28) = "Cisco Systems, Inc. IP Phone";
  ignore booting;
}
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
}
`, "ciscophones"},
		"kea DROP": {"kea-dhcp4.conf", `{
"Dhcp4": {
    "interfaces-config": { "interfaces": [ "*" ] },
    "option-def": [ { "name": "voip-tftp-servers", "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" } ],
    "option-data": [ { "name": "voip-tftp-servers", "data": "10.77.0.1" } ],
    "client-classes": [
        { "name": "DROP", "test": "substring(option[60].hex,0,13) == 'Cisco Systems'" }
    ],
    "subnet4": [ { "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ]
}
}
`, "DROP"},
	} {
		t.Run(name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), tc.file)
			write(t, conf, tc.conf, 0o644)
			fs := CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")})
			found := false
			for _, f := range fs {
				found = found || f.Severity == Problem && strings.Contains(f.String(), tc.names)
			}
			if !found {
				t.Errorf("%s refuses every 79x0 (class %s), and doctor reports no problem naming it: %v", conf, tc.names, fs)
			}
		})
	}
}
