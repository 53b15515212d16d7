package dhcpconf

import (
	"strings"
	"testing"
)

// Pools whose permit list admits no 79x0 (dhcpd.conf(5), PERMIT LISTS),
// judged by poolHoldsPhones: the subnet leases no phone when every range
// lies in one; a pool a phone may enter, or a known-only range beside it,
// is another matter.
func TestNoPhonePool(t *testing.T) {
	const classes = "class \"pxe\" { match if substring (option vendor-class-identifier, 0, 9) = \"PXEClient\"; }\n" +
		"class \"ztp\" { match if substring (option vendor-class-identifier, 0, 7) = \"Juniper\"; }\n" +
		"class \"phones\" { match if substring (option vendor-class-identifier, 0, 37) = \"Cisco Systems, Inc. IP Phone CP-7960G\"; }\n"
	sub := func(body string) string {
		return classes + "subnet 10.77.0.0 netmask 255.255.255.0 {\n" + body + "}\n"
	}
	for _, c := range []struct {
		name, conf  string
		none, known bool
	}{
		{"two other classes", sub("pool { allow members of \"pxe\"; allow members of \"ztp\"; range 10.77.0.100 10.77.0.150; }\n"), true, false},
		{"deny the phones' class", sub("pool { deny members of \"phones\"; range 10.77.0.100 10.77.0.150; }\n"), true, false},
		{"two closed pools", sub("pool { deny all clients; range 10.77.0.10 10.77.0.20; }\npool { allow members of \"pxe\"; range 10.77.0.100 10.77.0.150; }\n"), true, false},
		{"one open pool beside", sub("pool { allow members of \"pxe\"; range 10.77.0.100 10.77.0.150; }\npool { deny members of \"pxe\"; range 10.77.0.160 10.77.0.200; }\n"), false, false},
		{"the phones' class", sub("pool { allow members of \"phones\"; range 10.77.0.100 10.77.0.150; }\n"), false, false},
		{"a class of unknown match", "class \"c\" { match hardware; }\nsubnet 10.77.0.0 netmask 255.255.255.0 { pool { allow members of \"c\"; range 10.77.0.100 10.77.0.150; } }\n", false, false},
		{"known-only range beside", sub("pool { allow members of \"pxe\"; range 10.77.0.100 10.77.0.150; }\npool { deny unknown-clients; range 10.77.0.160 10.77.0.200; }\n"), false, true},
	} {
		in, err := Inspect("dhcpd.conf", []byte(c.conf), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := len(in.NoPhonePool) > 0; got != c.none {
			t.Errorf("%s: NoPhonePool = %q, want some: %v", c.name, in.NoPhonePool, c.none)
		}
		if got := len(in.KnownOnly) > 0; got != c.known {
			t.Errorf("%s: KnownOnly = %q, want some: %v", c.name, in.KnownOnly, c.known)
		}
		for _, w := range in.NoPhonePool {
			if !strings.HasPrefix(w, "dhcpd.conf:") || !strings.Contains(w, "pool {") {
				t.Errorf("%s: entry %q names no pool", c.name, w)
			}
		}
	}
}
