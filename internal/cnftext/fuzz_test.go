package cnftext

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzParseLine reads every line of a .cnf (seeded with the templates
// setup-cisco renders): no panic; a key is never blank and holds no blank,
// quote or colon; a value written back quoted, as the templates write it,
// reads back the same; Text always yields a value that round-trips.
func FuzzParseLine(f *testing.F) {
	fuzzcheck.Seeds(f, "../../templates/*.cnf.tmpl", func(s string) {
		for _, l := range strings.Split(s, "\n") {
			f.Add(l)
		}
	})
	f.Add(`image_version: "P0S3-8-12-00" ; the load`)
	f.Add(`line1_name:1001`)
	f.Add(`proxy1_address: "unterminated ; x`)
	f.Fuzz(func(t *testing.T, line string) {
		var k, v string
		var ok bool
		fuzzcheck.Within(t, func() { k, v, ok = ParseLine(line) })
		if !ok {
			return
		}
		if k == "" || strings.ContainsAny(k, " \t\":") {
			t.Fatalf("ParseLine(%q) key %q", line, k)
		}
		if !strings.ContainsAny(v, "\"\n\r") {
			printed := k + `: "` + v + `"`
			if k2, v2, ok2 := ParseLine(printed); !ok2 || k2 != k || v2 != v {
				t.Fatalf("%q printed as %q reads back %q %q %v", line, printed, k2, v2, ok2)
			}
		}
		safe := Text(line, 200)
		if k2, v2, ok2 := ParseLine("key: \"" + safe + "\""); !ok2 || k2 != "key" || v2 != safe {
			t.Fatalf("Text(%q) = %q reads back %q %v", line, safe, v2, ok2)
		}
	})
}

// FuzzMaskSecrets: masking keeps the lines (count and every non-password
// line) and replaces a password's value whole by its fingerprint.
func FuzzMaskSecrets(f *testing.F) {
	fuzzcheck.Seeds(f, "../../templates/*.cnf.tmpl", func(s string) { f.Add(s) })
	f.Add("sync: 2\nline1_password: \"s3cret\"\nphone_password: cisco\n")
	f.Fuzz(func(t *testing.T, data string) {
		var out string
		fuzzcheck.Within(t, func() { out = string(MaskSecrets([]byte(data))) })
		in, got := strings.SplitAfter(data, "\n"), strings.SplitAfter(out, "\n")
		if len(in) != len(got) {
			t.Fatalf("%d lines became %d", len(in), len(got))
		}
		for i, l := range in {
			k, v, isKV := strings.Cut(l, ":")
			if !isKV || !SecretKey(strings.TrimSpace(k)) {
				if got[i] != l {
					t.Fatalf("line %d changed: %q -> %q", i+1, l, got[i])
				}
				continue
			}
			// The value is replaced whole by its fingerprint, nothing else.
			v = strings.TrimSuffix(v, "\n")
			want := k + ": " + Fingerprint(strings.Trim(strings.TrimSpace(v), `"`))
			if strings.HasSuffix(l, "\n") {
				want += "\n"
			}
			if got[i] != want {
				t.Fatalf("line %d masked as %q; want %q", i+1, got[i], want)
			}
		}
	})
}

// FuzzTextPlain checks Text's shortcut: when plain says s needs no change,
// the full transliteration agrees.
func FuzzTextPlain(f *testing.F) {
	for _, s := range []string{"", "Anna Lee", "Anna  Lee", " Anna", "Lee ", "a#b", "Zoë", "x\ty", "abcdefghijklmnopqrstuvwxyz0123456789"} {
		f.Add(s, 31)
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 64 {
			return
		}
		if got, want := Text(s, max), text(s, max); got != want {
			t.Fatalf("Text(%q, %d) = %q, want %q", s, max, got, want)
		}
		if plain(s, max) && text(s, max) != s {
			t.Fatalf("plain(%q, %d) but text changes it to %q", s, max, text(s, max))
		}
	})
}
