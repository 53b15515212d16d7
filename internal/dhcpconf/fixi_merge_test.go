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
