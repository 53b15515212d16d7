package doctor

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

// Breaker round 11: doctor says nothing about a DHCP configuration whose
// innermost option 150 gives the phones another server, in three layouts
// where a real server was run against the file (network namespace, busybox
// udhcpc -O 150, a 7960's option 60):
//
//  1. Kea, option 150 = this host in Dhcp4's option-data (as setup-dhcp's
//     merge writes it) and, in the subnet, Cisco's hex form of another
//     server ("code": 150, "csv-format": false, "data": "0A4D0014",
//     "always-send": true). kea-dhcp4 2.2.0 answers opt150=0a4d0014
//     (10.77.0.20): a subnet's option-data wins over the global one (Kea
//     ARM, "DHCPv4 option precedence"). setup-dhcp --merge calls that entry
//     a conflict; doctor reports nothing: parseKea accepts the file when any
//     code 150 entry anywhere names this host.
//  2. Kea, The Gathering's layout (gathering/tgmanage
//     tools/dhcpns/config/dhcp4.py): a client class "Cisco-Phone" (test on
//     option 60 "Cisco Systems, Inc. IP Phone") setting code 150 to the old
//     server, after setup-dhcp's merge added the global entry. kea-dhcp4
//     answers a 7960 with the class's 10.77.0.20.
//  3. ISC, opsi's "option voip-tftp-server code 150 = { ip-address,
//     ip-address };" (opsi-org/python-opsi tests/testdata/backend/
//     dhcp_ki.conf) set in the subnet to an old primary and backup, after
//     setup-dhcp's merge added its global block. dhcpd 4.4.3 answers
//     opt150=c0a80314c0a80315 (192.168.3.20, .21).
//
// Right outcome: each is a problem naming the entry that overrides this
// host (the subnet, the class, dhcpd.conf:6).

func b11Write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBreaker11KeaSubnetOverridesGlobal(t *testing.T) {
	conf := b11Write(t, "kea-dhcp4.conf", `{
"Dhcp4": {
    "interfaces-config": { "interfaces": [ "*" ] },
    "lease-database": { "type": "memfile", "persist": false },
    "valid-lifetime": 3600,
    "option-def": [
        { "name": "voip-tftp-servers", "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" } // setup-dhcp
    ],
    "option-data": [
        { "name": "voip-tftp-servers", "data": "10.77.0.1" } // setup-dhcp
    ],
    "subnet4": [
        {
            "id": 1,
            "subnet": "10.77.0.0/24",
            "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ],
            "option-data": [
                { "name": "routers", "data": "10.77.0.254" },
                { "code": 150, "csv-format": false, "data": "0A4D0014", "always-send": true }
            ]
        }
    ]
}
}
`)
	has(t, CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}), "problem", "10.77.0.20")
}

func TestBreaker11KeaCiscoPhoneClass(t *testing.T) {
	conf := b11Write(t, "kea-dhcp4.conf", `{
"Dhcp4": {
    "interfaces-config": { "interfaces": [ "*" ] },
    "lease-database": { "type": "memfile", "persist": false },
    "valid-lifetime": 3600,
    "option-def": [
        { "code": 150, "name": "tftp-server-address", "space": "dhcp4", "type": "ipv4-address", "array": true }
    ],
    "option-data": [
        { "name": "tftp-server-address", "data": "10.77.0.1" }, // setup-dhcp
        { "name": "domain-name-servers", "data": "10.77.0.1" }
    ],
    "client-classes": [
        {
            "name": "Cisco-Phone",
            "test": "substring(option[60].hex,0,28) == 'Cisco Systems, Inc. IP Phone'",
            "option-data": [
                { "name": "tftp-server-address", "data": "10.77.0.20", "always-send": true }
            ]
        }
    ],
    "subnet4": [
        { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ],
          "option-data": [ { "name": "routers", "data": "10.77.0.1" } ] }
    ]
}
}
`)
	has(t, CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}), "problem", "Cisco-Phone")
}
