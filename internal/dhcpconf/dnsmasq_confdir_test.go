package dhcpconf

import "testing"

// conf-dir's fields are split at commas with the blanks around each
// dropped, and a bare "*" filters nothing (dnsmasq option.c). Checked with
// dnsmasq 2.90 --test: a bad line in d/a.conf is reported for "d, *" and
// not for "d ,\t*.cfg" or "d,*.cfg , *".
func TestConfDirFiltersAsDnsmasq(t *testing.T) {
	for _, c := range []struct {
		spec string
		name string
		read bool
	}{
		{"d ,\t*.cfg", "a.conf", false},
		{"d ,\t*.cfg", "b.cfg", true},
		{"d,*.cfg , *", "a.conf", false},
		{"d, *", "a.conf", true},
		{"d , .bak ,*.conf", "x.conf.bak", false},
		{"d , .bak ,*.conf", "x.conf", true},
	} {
		dir, filters := splitConfDir(c.spec)
		if dir != "d" {
			t.Errorf("%q: dir %q", c.spec, dir)
		}
		if got := (ConfDir{Dir: dir, Filters: filters}).Reads(c.name); got != c.read {
			t.Errorf("%q reads %s: %v, dnsmasq: %v", c.spec, c.name, got, c.read)
		}
	}
}
