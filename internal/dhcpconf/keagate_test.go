package dhcpconf

import (
	"net/netip"
	"strings"
	"testing"
)

const keaGateClasses = `"interfaces-config": { "interfaces": [ "*" ] },
    "reservations": [ { "hw-address": "00:11:22:33:44:55", "ip-address": "10.78.0.9" } ],
    "option-def": [ { "name": "ztp", "code": 150, "type": "ipv4-address", "space": "dhcp4" } ],
    "client-classes": [
        { "name": "juniper", "test": "substring(option[60].hex,0,7) == 'Juniper'" },
        { "name": "tagged" }
    ],`

// An option 150 in a shared network, subnet or pool limited to client
// classes reaches a phone only when a phone can be a member of a gating
// class of every limited scope around it.
func TestKeaGatedScopes(t *testing.T) {
	for _, c := range []struct {
		name, scopes string
		gate         string
		phones       Tri
	}{
		{"pool limited to Juniper", `"subnet4": [ { "id": 1, "subnet": "10.78.0.0/24", "pools": [ { "pool": "10.78.0.10 - 10.78.0.20", "client-class": "juniper", "option-data": [ { "name": "ztp", "data": "10.78.0.5" } ] } ] } ]`, "juniper", No},
		{"shared network limited to Juniper", `"shared-networks": [ { "name": "z", "client-class": "juniper", "subnet4": [ { "id": 1, "subnet": "10.78.0.0/24", "option-data": [ { "name": "ztp", "data": "10.78.0.5" } ] } ] } ]`, "juniper", No},
		{"class without a test", `"subnet4": [ { "id": 1, "subnet": "10.78.0.0/24", "client-class": "tagged", "option-data": [ { "name": "ztp", "data": "10.78.0.5" } ] } ]`, "tagged", Unknown},
		{"any of two, one a phone's", `"subnet4": [ { "id": 1, "subnet": "10.78.0.0/24", "client-classes": [ "juniper", "VENDOR_CLASS_Cisco Systems, Inc. IP Phone CP-7960G" ], "option-data": [ { "name": "ztp", "data": "10.78.0.5" } ] } ]`, "juniper or VENDOR_CLASS_Cisco Systems, Inc. IP Phone CP-7960G", Yes},
		{"a phone's subnet, Juniper pool beside", `"subnet4": [ { "id": 1, "subnet": "10.78.0.0/24", "pools": [ { "pool": "10.78.0.10 - 10.78.0.20", "client-class": "juniper" } ], "option-data": [ { "name": "ztp", "data": "10.78.0.5" } ] } ]`, "", Unknown},
	} {
		src := `{ "Dhcp4": { ` + keaGateClasses + "\n" + c.scopes + ` } }`
		_, sts, err := KeaOptions([]byte(src))
		if err != nil || len(sts) != 1 {
			t.Fatalf("%s: %v %v", c.name, sts, err)
		}
		if sts[0].Gate != c.gate || sts[0].Phones != c.phones {
			t.Errorf("%s: gate %q phones %v, want %q %v", c.name, sts[0].Gate, sts[0].Phones, c.gate, c.phones)
		}
		r, err := MergeKea("kea.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.77.0.1")})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if (len(r.Conflicts) == 0) != (c.phones == No) {
			t.Errorf("%s: conflicts %v", c.name, r.Conflicts)
		}
	}
}

func TestKeaConfigBackendNamed(t *testing.T) {
	src := `{ "Dhcp4": { "interfaces-config": { "interfaces": [ "*" ] }, "config-control": { "config-databases": [ { "type": "postgresql", "name": "keacb" } ] } } }`
	r, err := MergeKea("kea.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.77.0.1")})
	if err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "postgresql database keacb") {
		t.Errorf("warnings %q, %v", r.Warnings, err)
	}
	src = `{ "Dhcp4": { "interfaces-config": { "interfaces": [ "*" ] }, "config-control": { "config-databases": [ ] },
		"subnet4": [ { "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.10 - 10.77.0.20" } ] } ] } }`
	if r, _ := MergeKea("kea.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.77.0.1")}); len(r.Warnings) != 0 {
		t.Errorf("no database, warnings %q", r.Warnings)
	}
}
