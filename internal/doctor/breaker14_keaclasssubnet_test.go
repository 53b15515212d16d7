package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// Breaker round 14 (doctor side of b14-kea-subnet-client-class): a Kea
// shared network whose second subnet is limited to a Juniper ZTP client
// class ("client-class" on subnet4: only members use it) sets code 150 for
// the switches. No 79x0 can use that subnet (checked with the real
// kea-dhcp4 2.2: a 7960's option 60 gets the first subnet, no option 150).
// Doctor reports the switches' entry as the phones' problem ("option 150
// is 10.78.0.5, not this TFTP server ... in subnet4 10.78.0.0/24; fix:
// changing or removing the entry ... by hand"), sending the admin to break
// the switches' ZTP, while what phones lack is any option 150 for their
// own subnet.
func TestBreaker14KeaClassLimitedSubnetIsNotThePhones(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "kea-dhcp4.conf")
	write(t, conf, `
{
"Dhcp4": {
    "interfaces-config": { "interfaces": [ "*" ] },
    "lease-database": { "type": "memfile", "persist": false },
    "option-def": [ { "name": "ztp-file-server", "code": 150, "type": "ipv4-address", "space": "dhcp4" } ],
    "client-classes": [
        { "name": "juniper-ztp", "test": "substring(option[60].hex,0,7) == 'Juniper'" }
    ],
    "shared-networks": [ {
        "name": "office",
        "subnet4": [
            { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ],
              "option-data": [ { "name": "routers", "data": "10.77.0.254" } ] },
            { "id": 2, "subnet": "10.78.0.0/24", "client-class": "juniper-ztp",
              "pools": [ { "pool": "10.78.0.100 - 10.78.0.200" } ],
              "option-data": [ { "name": "routers", "data": "10.78.0.254" }, { "name": "ztp-file-server", "data": "10.78.0.5" } ] }
        ]
    } ]
}
}
`, 0o644)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if f.Severity == Problem && strings.Contains(f.String(), "10.78.0") {
			t.Errorf("the Juniper-only subnet's option is called the phones' problem: %s", f)
		}
	}
}
