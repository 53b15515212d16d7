package dhcpconf

import "testing"

// Class tests as Kea files write them (the Kea ARM's classification
// examples, The Gathering's Cisco-Phone class, Juniper ZTP classes),
// judged for a 79x0's request (option 60 "Cisco Systems, Inc. IP Phone
// CP-7960G" or CP-7940G).
func TestKeaClassHoldsPhones(t *testing.T) {
	classes := map[string]map[string]any{
		"cisco":   {"test": "substring(option[60].hex,0,28) == 'Cisco Systems, Inc. IP Phone'"},
		"juniper": {"test": "substring(option[vendor-class-identifier].hex,0,10) == 'Juniper-ex'"},
		"notest":  {"name": "notest"},
	}
	for _, c := range []struct {
		name, test string
		want       Tri
	}{
		{"prefix", "substring(option[60].hex,0,28) == 'Cisco Systems, Inc. IP Phone'", Yes},
		{"whole 7940G", "option[vendor-class-identifier].text == 'Cisco Systems, Inc. IP Phone CP-7940G'", Yes},
		{"suffix", "substring(option[60].hex,-5,all) == '7960G'", Yes},
		{"hex literal", "substring(option[60].hex,0,5) == 0x436973636F", Yes},
		{"exists", "option[60].exists", Yes},
		{"ifelse", "ifelse(option[vendor-class-identifier].exists, 'v', 'n') == 'v'", Yes},
		{"concat", "concat(substring(option[60].hex,0,5), 'x') == 'Ciscox'", Yes},
		{"member yes", "member('cisco')", Yes},
		{"member no", "member('juniper')", No},
		{"not", "not member('cisco')", No},
		{"Aastra", "substring(option[60].hex,0,6) == 'Aastra'", No},
		{"Polycom", "option[60].text == 'Polycom-SPIP'", No},
		{"and unknown", "member('KNOWN') and substring(option[60].hex,0,6) == 'Aastra'", No},
		{"or unknown", "member('KNOWN') or substring(option[60].hex,0,6) == 'Aastra'", Unknown},
		{"mac OUI", "substring(hexstring(pkt4.mac, ':'), 0, 8) == '00:1b:d4'", Unknown},
		{"relay", "relay4[1].hex == 'sw1'", Unknown},
		{"class without test", "member('notest')", Unknown},
		{"all", "member('ALL')", Yes},
		{"VENDOR_CLASS_", "member('VENDOR_CLASS_Cisco Systems, Inc. IP Phone CP-7960G')", Yes},
		{"VENDOR_CLASS_ other", "member('VENDOR_CLASS_docsis3.0')", No},
		{"broken", "substring(option[60].hex,0", Unknown},
		{"parenthesised", "(option[60].hex == 'x') or (option[60].hex == 'Cisco Systems, Inc. IP Phone CP-7960G')", Yes},
	} {
		cl := map[string]map[string]any{"x": {"test": c.test}}
		for k, v := range classes {
			cl[k] = v
		}
		if got := KeaClassHoldsPhones(cl, "x"); got != c.want {
			t.Errorf("%s: %q: got %v, want %v", c.name, c.test, got, c.want)
		}
	}
	// Kea's automatic class by option 60 takes option-data with no test.
	if got := KeaClassHoldsPhones(nil, "VENDOR_CLASS_Cisco Systems, Inc. IP Phone CP-7940G"); got != Yes {
		t.Errorf("VENDOR_CLASS_ without a definition: got %v", got)
	}
}

func TestKeaSubstring(t *testing.T) {
	for _, c := range []struct {
		s          string
		start, len int
		want       string
	}{
		{"abcdef", 0, 3, "abc"}, {"abcdef", 2, 1 << 30, "cdef"}, {"abcdef", -2, 2, "ef"},
		{"abcdef", 3, -2, "bc"}, {"abcdef", 9, 2, ""}, {"abcdef", -9, 4, ""}, {"abcdef", -9, 9, ""}, {"abcdef", 2, -9, "ab"},
	} {
		if got := keaSubstring(c.s, c.start, c.len); got != c.want {
			t.Errorf("substring(%q,%d,%d) = %q, want %q", c.s, c.start, c.len, got, c.want)
		}
	}
}

// Any class test, however malformed or self-referring, is judged without
// a panic and in bounded time.
func FuzzKeaClassHoldsPhones(f *testing.F) {
	for _, s := range []string{
		"substring(option[60].hex,0,28) == 'Cisco Systems, Inc. IP Phone'",
		"member('a') or member('a') or member('a')",
		"ifelse(option[60].exists, concat('a', 0x41), 10.0.0.1) == 'x'",
		"substring(hexstring(pkt4.mac, ':'), -3, all) == '01'",
		"((not (member('ALL'))))", "substring(", "'", "option[", "==",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, test string) {
		classes := map[string]map[string]any{"a": {"test": test}, "b": {"test": "member('a') and member('b')"}}
		for _, n := range []string{"a", "b"} {
			if r := KeaClassHoldsPhones(classes, n); r != Yes && r != No && r != Unknown {
				t.Fatalf("%q: %v", test, r)
			}
		}
	})
}
