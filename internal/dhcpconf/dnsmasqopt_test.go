package dhcpconf

import (
	"slices"
	"testing"
)

// dnsmasqOption reads dhcp-option the way dnsmasq's parse_dhcp_opt does:
// everything before the option is a tag unless it is a known prefix.
func TestDnsmasqOption(t *testing.T) {
	cases := []struct {
		v      string
		ok     bool
		option int
		tagged bool
		values []string
	}{
		{"150,10.0.0.1", true, 150, false, []string{"10.0.0.1"}},
		{"option:tftp-server-address,10.0.0.1,10.0.0.2", true, 150, false, []string{"10.0.0.1", "10.0.0.2"}},
		{"option:TFTP-Server,pbx.example", true, 66, false, []string{"pbx.example"}},
		{"66,\"10.0.0.1\"", true, 66, false, []string{"10.0.0.1"}},
		{"eth0.30,150,10.0.0.100", true, 150, true, []string{"10.0.0.100"}},
		{"tag:phones,option:tftp-server-address,10.0.0.1", true, 150, true, []string{"10.0.0.1"}},
		{"net:lan,tag:!known,150,10.0.0.1", true, 150, true, []string{"10.0.0.1"}},
		{"set:x,150,10.0.0.1", true, 150, false, []string{"10.0.0.1"}},
		{"vendor:Cisco,150,10.0.0.1", false, 0, false, nil},
		{"encap:43,150,10.0.0.1", false, 0, false, nil},
		{"option6:150,x", false, 0, false, nil},
		{"3,10.0.0.254", false, 0, false, nil},
		{"option:router,10.0.0.254", false, 0, false, nil},
		{"1500,10.0.0.1", false, 0, false, nil},
		{"150", false, 0, false, nil},
		{"0150,10.0.0.1", true, 150, false, []string{"10.0.0.1"}},
	}
	for _, c := range cases {
		st, ok := dnsmasqOption(c.v)
		if ok != c.ok || ok && (st.Option != c.option || (st.Kind == "tag") != c.tagged || !slices.Equal(st.Values, c.values)) {
			t.Errorf("dnsmasqOption(%q) = %+v, %v", c.v, st, ok)
		}
	}
}
