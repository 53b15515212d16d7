package doctor

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

// Breaker round 14: Kea takes C-style block comments (Kea ARM, "JSON
// Syntax": "#", "//" and "/* */" comments), and a file may open with one
// as its header. kea-dhcp4 2.2 -t accepts this file, which sets option 150
// globally to 10.77.0.1. Doctor tells the format by the first character
// after stripping only "//" and "#" lines, so it reads the file as a
// dhcpd.conf: "neither option 150 nor option 66: phones show "Protocol
// Application Invalid"", fix "setup-dhcp --merge ... --out kea.conf"
// (ISC), which answers "declares no subnet ... write a whole file ...
// --out kea.conf": a dhcpd.conf over the Kea file.
//
// Right outcome: read as Kea: healthy (option 150 is this host).
func TestBreaker14DoctorKeaBlockCommentHeader(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "kea-dhcp4.conf")
	write(t, conf, `/*
 * kea-dhcp4.conf for the office
 */
{ "Dhcp4": { "interfaces-config": { "interfaces": [ "*" ] },
  "option-def": [ { "name": "voip-tftp-servers", "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" } ],
  "option-data": [ { "name": "voip-tftp-servers", "data": "10.77.0.1" } ],
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "pools": [ { "pool": "10.77.0.100 - 10.77.0.200" } ] } ] } }
`, 0o644)
	for _, f := range CheckDHCPConfig(conf, []netip.Addr{netip.MustParseAddr("10.77.0.1")}) {
		if f.Severity == Problem || strings.Contains(f.Fix, "--merge") && !strings.Contains(f.Fix, "--format kea") {
			t.Errorf("a Kea file with a /* */ header misread: %s", f)
		}
	}
}
