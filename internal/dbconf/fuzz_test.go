package dbconf

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzParsePHP reads freepbx.conf as FreePBX writes it (and as an admin
// may mangle it): no panic, no hang, no empty key.
func FuzzParsePHP(f *testing.F) {
	f.Add(freepbxConf)
	f.Add("<?php\n$amp_conf['AMPDBPASS'] = \"a\\\"b\\\\c\";\n/* x */ $amp_conf[\"AMPDBHOST\"]='h';\n")
	f.Add("<?php $amp_conf['X'] = 'unterminated")
	f.Fuzz(func(t *testing.T, data string) {
		fuzzcheck.Within(t, func() {
			m, err := ParsePHP([]byte(data))
			if err != nil {
				return
			}
			for k := range m {
				if k == "" {
					t.Fatalf("empty key in %q", m)
				}
			}
		})
	})
}

// FuzzParseAmportal reads trixbox's amportal.conf: no panic, no hang; a
// plain KEY=VALUE file written from what was read reads back the same.
func FuzzParseAmportal(f *testing.F) {
	f.Add("# trixbox\nAMPDBHOST=localhost\nAMPDBUSER=asteriskuser\nAMPDBPASS=amp109\nAMPDBNAME=asterisk\n")
	f.Add("AMPDBPASS=\"quoted value\" # comment\n\tAMPDBUSER = spaced\n")
	f.Fuzz(func(t *testing.T, data string) {
		var m map[string]string
		var err error
		fuzzcheck.Within(t, func() { m, err = ParseAmportal([]byte(data)) })
		if err != nil {
			return
		}
		var b strings.Builder
		for k, v := range m {
			if k == "" {
				t.Fatalf("empty key in %q", m)
			}
			if strings.ContainsAny(k+v, "\n\r\"'#= \t\\$`") || v == "" {
				return // not printable as a plain line
			}
			b.WriteString(k + "=" + v + "\n")
		}
		back, err := ParseAmportal([]byte(b.String()))
		if err != nil || len(back) != len(m) {
			t.Fatalf("%q read back as %q, %v", m, back, err)
		}
		for k, v := range m {
			if back[k] != v {
				t.Fatalf("%s=%q read back as %q", k, v, back[k])
			}
		}
	})
}
