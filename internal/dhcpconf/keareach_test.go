package dhcpconf

import (
	"strings"
	"testing"
)

// What keeps a Kea file from answering phones, as KeaPhoneBlocks finds
// it. Each case was run with the real kea-dhcp4 2.2.0 in a network
// namespace (busybox udhcpc -V "Cisco Systems, Inc. IP Phone CP-7940G"):
// no interfaces-config logs DHCPSRV_NO_SOCKETS_OPEN as [ ] does; a DROP
// test on the 7940G's option 60 drops the 7940G and leases the 7960G.
func TestKeaPhoneBlocks(t *testing.T) {
	pool := `"subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ]`
	ifc := `"interfaces-config": { "interfaces": [ "*" ] }, `
	for _, c := range []struct {
		name, dhcp4 string
		want        []string // Where of each block, "!" before a sure one
	}{
		{"served", ifc + pool, nil},
		{"no interfaces-config at all", pool, []string{"!interfaces-config"}},
		{"an interface by address", `"interfaces-config": { "interfaces": [ "eth0/10.77.0.1" ] }, ` + pool, nil},
		{"no subnet, nothing else either", `"subnet4": [ ]`, []string{"!interfaces-config", "!subnet4"}},
		{"subnets from a config backend", ifc + `"config-control": { "config-databases": [ { "type": "mysql", "name": "cb" } ] }`, nil},
		{"subnets from subnet_cmds", ifc + `"hooks-libraries": [ { "library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_subnet_cmds.so" } ]`, nil},
		{"a shared network's subnet with a pool", ifc + `"shared-networks": [ { "name": "lan", "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ] } ]`, nil},
		{"a shared network only Juniper may use", ifc + `"client-classes": [ { "name": "j", "test": "substring(option[60].hex,0,7) == 'Juniper'" } ],
			"shared-networks": [ { "name": "lan", "client-class": "j", "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ] } ]`, []string{"!pools"}},
		{"a pool for a class without a test (hooks fill it)", ifc + `"client-classes": [ { "name": "tagged" } ],
			"subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200", "client-class": "tagged" } ] } ]`, nil},
		{"global reservations", ifc + `"reservations": [ { "hw-address": "00:1b:d4:79:60:01", "ip-address": "10.77.0.9" } ], "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24" } ]`, []string{"pools"}},
		{"DROP for every Cisco device", ifc + `"client-classes": [ { "name": "DROP", "test": "substring(option[60].hex,0,5) == 'Cisco'" } ], ` + pool, []string{"!client-class DROP"}},
		{"DROP for members of a phones class", ifc + `"client-classes": [ { "name": "ph", "test": "option[60].exists" }, { "name": "DROP", "test": "member('ph') and not member('KNOWN')" } ], ` + pool, []string{"client-class DROP"}},
		{"DROP for Polycom", ifc + `"client-classes": [ { "name": "DROP", "test": "option[60].text == 'Polycom-SPIP'" } ], ` + pool, nil},
	} {
		var got []string
		for _, b := range KeaPhoneBlocks("kea.conf", []byte(`{ "Dhcp4": { `+c.dhcp4+` } }`)) {
			w := b.Where
			if b.Sure {
				w = "!" + w
			}
			got = append(got, w)
			if !strings.HasPrefix(b.What, "kea.conf") || b.Fix == "" {
				t.Errorf("%s: %q does not name the file or has no fix", c.name, b)
			}
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: blocks %v, want %v", c.name, got, c.want)
		}
	}
}
