package dhcpconf

import "testing"

// dnsmasq's option.c read_file strips blanks and tabs on both sides of
// "=", so these are dnsmasq lines; a dhcpd.conf whose grammar parses stays
// ISC even where a line of a multi-line expression reads "name = value".
func TestSniffSpacedEquals(t *testing.T) {
	for _, c := range []struct {
		src  string
		want Format
		line int
	}{
		{"# x\nport\t=\t0\n", Dnsmasq, 2},
		{"conf-dir =/etc/dnsmasq.d\n", Dnsmasq, 1},
		{"dhcp-option =150,10.77.0.1\n", Dnsmasq, 1},
		{"class \"cisco\" {\n  match if option\n    vendor-class-identifier = \"Cisco Systems, Inc. IP Phone\";\n}\n", ISC, 1},
	} {
		f, ok := Sniff("x.conf", []byte(c.src))
		if !ok || f.Format != c.want || f.Line != c.line {
			t.Errorf("Sniff(%q) = %+v, %v; want %v at line %d", c.src, f, ok, c.want, c.line)
		}
	}
}
