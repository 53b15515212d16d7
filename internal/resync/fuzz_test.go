package resync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzReadLeases reads an ISC dhcpd.leases (seeded with testdata, the
// file the tests use):
// no panic, no hang; every address returned is IPv4 and every MAC is in
// the stored form.
func FuzzReadLeases(f *testing.F) {
	// Lease by lease too: the fuzzer is slow on inputs of kilobytes.
	fuzzcheck.Seeds(f, "testdata/*.leases", func(s string) {
		f.Add(s)
		for _, b := range strings.SplitAfter(s, "}\n") {
			f.Add(b)
		}
	})
	f.Add("lease 10.0.0.1 {\n  hardware ethernet 00:11:22:aa:bb:cc;\n  binding state active;\n}\n")
	f.Add("lease 10.0.0.1 { starts 4 2026/11/26 10:00:00; # comment\n uid \"\\001\\000}\"; }")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data string) {
		path := filepath.Join(dir, "dhcpd.leases")
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		fuzzcheck.Within(t, func() {
			got, err := ReadLeases(path)
			if err != nil {
				return
			}
			for mac, ip := range got {
				if len(mac) != 12 || !ip.Is4() {
					t.Fatalf("lease %q -> %v", mac, ip)
				}
			}
		})
	})
}

// FuzzSyncInfo: a syncinfo.xml is read or refused; a value setup-cisco
// accepts round-trips through the file it writes.
func FuzzSyncInfo(f *testing.F) {
	for _, gen := range []string{"1", "2", "17"} {
		b, err := SyncInfo(gen)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(`<SYNCINFO><IMAGE VERSION="*" SYNC="3"/></SYNCINFO>`)
	f.Add(`<IMAGE VERSION="P0S3-8-12-00" SYNC="2"/><IMAGE VERSION="*" SYNC="a.b-c_d"/>`)
	f.Fuzz(func(t *testing.T, data string) {
		var gen string
		var err error
		fuzzcheck.Within(t, func() { gen, err = ParseSyncInfo([]byte(data)) })
		if err != nil {
			return
		}
		b, err := SyncInfo(gen)
		if err != nil {
			return // a value we would not write (hand-made file): the next run writes its own
		}
		if back, err := ParseSyncInfo(b); err != nil || back != gen {
			t.Fatalf("sync %q written as %q reads back %q, %v", gen, b, back, err)
		}
		if NextGeneration(gen) == "" {
			t.Fatalf("no next generation after %q", gen)
		}
	})
}

// FuzzCnfSync reads the sync: value of a .cnf: no panic; a value found and
// written back as setup-cisco writes it is found again.
func FuzzCnfSync(f *testing.F) {
	fuzzcheck.Seeds(f, "../../templates/*.cnf.tmpl", func(s string) { f.Add(s) })
	f.Add("sync: \"7\" ; generation\n")
	f.Fuzz(func(t *testing.T, data string) {
		var v string
		var ok bool
		fuzzcheck.Within(t, func() { v, ok = CnfSync([]byte(data)) })
		if !ok || strings.ContainsAny(v, "\"\n;") {
			return
		}
		if back, ok := CnfSync([]byte("sync: \"" + v + "\"\n")); !ok || back != v {
			t.Fatalf("sync %q reads back %q, %v", v, back, ok)
		}
	})
}
