package doctor

import (
	"net/netip"
	"testing"
)

// Doctor judges a Kea file by setup-dhcp's rules: Dhcp4's option 150 that
// the phones' own class overrides is the other devices' (checked with the
// real kea-dhcp4 2.2.0: a 7960G gets the class's 10.77.0.1, others
// 10.77.0.9); pools for reserved clients beside reservations are a note;
// no interfaces-config at all answers nobody.
func TestCheckKeaBlocksAndPrecedence(t *testing.T) {
	want := []netip.Addr{netip.MustParseAddr("10.77.0.1")}
	conf := b11Write(t, "kea.conf", `{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "eth0" ] },
    "option-def": [ { "name": "voip-tftp", "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" } ],
    "option-data": [ { "name": "voip-tftp", "data": "10.77.0.9" } ],
    "client-classes": [ { "name": "sip-phones", "test": "substring(option[60].hex,0,28) == 'Cisco Systems, Inc. IP Phone'",
        "option-data": [ { "name": "voip-tftp", "data": "10.77.0.1" } ] } ],
    "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200", "client-class": "KNOWN" } ],
        "reservations": [ { "hw-address": "00:1b:d4:79:60:01" } ] } ] } }`)
	fs := CheckDHCPConfig(conf, want)
	none(t, problems(fs))
	has(t, fs, "note", "Dhcp4 sets option 150 to 10.77.0.9, which no Cisco 79x0 phone gets: client-class sip-phones")
	has(t, fs, "note", "subnet4 10.77.0.0/24's pools are for client-class KNOWN only", "--reservations")

	conf = b11Write(t, "bare.conf", `{ "Dhcp4": {
    "option-def": [ { "name": "voip-tftp", "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" } ],
    "option-data": [ { "name": "voip-tftp", "data": "10.77.0.1" } ],
    "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ] } }`)
	has(t, CheckDHCPConfig(conf, want), "problem", "interfaces-config lists no interface", `"interfaces": [ "eth0" ]`)
}
