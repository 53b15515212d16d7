package dhcpconf

import (
	"net"
	"net/netip"
	"strings"
	"testing"
)

// A phone's fixed address that a host in an included file (inside a group)
// already has is refused naming that file and line; a host of the phone's
// own MAC with that address is the phone's entry, not a clash.
func TestMergeReservationAddressOfIncludedHost(t *testing.T) {
	files := map[string]string{
		"/x/hosts.conf": "group {\n  host printer {\n    hardware ethernet 00:11:22:33:44:55;\n    fixed-address 10.0.0.9, 10.0.0.61;\n  }\n}\n",
	}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, net.UnknownNetworkError(p)
	}
	src := "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.100 10.0.0.200; }\ninclude \"/x/hosts.conf\";\n"
	mac, _ := net.ParseMAC("00:1b:d4:12:34:56")
	phone := Reservation{Name: "1001", MAC: mac, IP: netip.MustParseAddr("10.0.0.61")}
	_, err := Merge("/x/dhcpd.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.0.0.2"), Reservations: []Reservation{phone}, ReadFile: read})
	if err == nil || !strings.Contains(err.Error(), "/x/hosts.conf:4") || !strings.Contains(err.Error(), "host printer") {
		t.Fatalf("err = %v, want it to name /x/hosts.conf:4 and host printer", err)
	}
	phone.MAC, _ = net.ParseMAC("00:11:22:33:44:55")
	if _, err := Merge("/x/dhcpd.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.0.0.2"), Reservations: []Reservation{phone}, ReadFile: read}); err != nil {
		t.Fatalf("the phone's own host entry: %v", err)
	}
}

// The subnets that serve known clients only, by each form dhcpd.conf(5)
// gives: a pool's deny unknown-clients or allow known-clients list, the
// unknown-clients flag in the subnet or globally; a second, open pool or a
// bare range in the subnet serves phones.
func TestKnownOnlySubnets(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"deny pool", "subnet 10.0.0.0 netmask 255.255.255.0 {\n pool {\n  deny unknown-clients;\n  range 10.0.0.10 10.0.0.20;\n }\n}\n", "x.conf:2"},
		{"allow known", "subnet 10.0.0.0 netmask 255.255.255.0 {\n pool {\n  allow known-clients;\n  range 10.0.0.10 10.0.0.20;\n }\n}\n", "x.conf:2"},
		{"allow known and unknown", "subnet 10.0.0.0 netmask 255.255.255.0 {\n pool {\n  allow known-clients;\n  allow unknown-clients;\n  range 10.0.0.10 10.0.0.20;\n }\n}\n", ""},
		{"subnet flag", "subnet 10.0.0.0 netmask 255.255.255.0 {\n ignore unknown-clients;\n range 10.0.0.10 10.0.0.20;\n}\n", "x.conf:2"},
		{"global flag", "boot-unknown-clients false;\nsubnet 10.0.0.0 netmask 255.255.255.0 {\n range 10.0.0.10 10.0.0.20;\n}\n", "x.conf:1"},
		{"second pool open", "subnet 10.0.0.0 netmask 255.255.255.0 {\n pool {\n  deny unknown-clients;\n  range 10.0.0.10 10.0.0.20;\n }\n pool {\n  range 10.0.0.30 10.0.0.40;\n }\n}\n", ""},
		{"deny known", "subnet 10.0.0.0 netmask 255.255.255.0 {\n pool {\n  deny known-clients;\n  range 10.0.0.10 10.0.0.20;\n }\n}\n", ""},
	} {
		in, err := Inspect("x.conf", []byte(tc.src), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := strings.Join(in.KnownOnly, " ")
		if got != tc.want {
			t.Errorf("%s: KnownOnly = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// ISC classes are judged by whether a 79x0's request (option 60
// "Cisco Systems, Inc. IP Phone CP-7960G") would match them, as Kea's are:
// another vendor's class (and a pool only its members use) keeps its code
// 150; a class the phones match, or one that cannot be told, still stops
// the merge.
func TestMergeISCClassJudgedByPhoneRequest(t *testing.T) {
	decl := "option tftp150 code 150 = array of ip-address;\n"
	sub := "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.100 10.0.0.200; }\n"
	for _, tc := range []struct {
		name, class string
		conflict    bool
	}{
		{"aruba", `match if option vendor-class-identifier = "ArubaInstantAP";`, false},
		{"juniper or polycom", `match if (substring(option vendor-class-identifier, 0, 7) = "Juniper") or (substring(option vendor-class-identifier,0,7) = "Polycom");`, false},
		{"cisco phones", `match if substring(option vendor-class-identifier, 0, 28) = "Cisco Systems, Inc. IP Phone";`, true},
		{"not juniper", `match if not (substring(option vendor-class-identifier, 0, 7) = "Juniper");`, true},
		{"by MAC", `match if substring(hardware, 1, 3) = 00:1b:d4;`, true},
		{"not equal", `match if option vendor-class-identifier != "Juniper";`, true},
		{"subclasses", `match option vendor-class-identifier;`, true},
	} {
		src := decl + "class \"c\" {\n  " + tc.class + "\n  option tftp150 10.0.0.5;\n}\n" + sub
		r, err := Merge("x.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.0.0.2")})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := len(r.Conflicts) > 0; got != tc.conflict {
			t.Errorf("%s: conflict = %v, want %v (notes %q)", tc.name, got, tc.conflict, r.Notes)
		}
	}
}
