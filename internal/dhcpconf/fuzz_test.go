package dhcpconf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

func mergeSeeds(f *testing.F) {
	// Paragraph by paragraph: the fuzzer is slow on inputs of kilobytes.
	fuzzcheck.Seeds(f, "testdata/*.conf", func(s string) {
		for _, p := range strings.SplitAfter(s, "\n\n") {
			f.Add(p)
		}
	})
	f.Add("option voip-tftp-servers code 150 = ip-address;\nsubnet 10.0.0.0 netmask 255.255.255.0 { option voip-tftp-servers 10.0.0.1; }\n")
	f.Add("# BEGIN setup-dhcp (managed; do not edit)\n# END setup-dhcp\n")
	f.Add("host a { hardware ethernet 00:11:22:33:44:55; fixed-address 10.0.0.9; } \"unterminated")
}

// FuzzMerge merges option 150 into any dhcpd.conf (seeded with testdata):
// no panic, no hang; a merge either fails or gives a file that merges to
// itself again, in which every line of a file without our block is kept
// in order.
func FuzzMerge(f *testing.F) {
	mergeSeeds(f)
	// A DEL inside a word: dhcpd ends a name there and refuses the rest
	// (conflex.c read_num_or_name, then "bogus character"); the lexer
	// let it into an option name the merge then wrote on a line of its own.
	f.Add("option dhcp.\x7f code 150=ip-address;subnet {}")
	opt := MergeOptions{TFTPServer: netip.MustParseAddr("192.0.2.10")}
	f.Fuzz(func(t *testing.T, src string) {
		var r MergeResult
		var err error
		fuzzcheck.Within(t, func() { r, err = Merge("dhcpd.conf", []byte(src), opt) })
		if err != nil {
			return
		}
		again, err := Merge("dhcpd.conf", r.Content, opt)
		if err != nil || !bytes.Equal(again.Content, r.Content) {
			t.Fatalf("merging the merged file: %v\n--- first\n%s\n--- again\n%s", err, r.Content, again.Content)
		}
		if strings.Contains(src, "BEGIN setup-dhcp") {
			return
		}
		out := strings.Split(string(r.Content), "\n")
		j := 0
		for _, l := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
			for j < len(out) && out[j] != l {
				j++
			}
			if j == len(out) {
				t.Fatalf("line %q of the input is not kept in order:\n%s", l, r.Content)
			}
			j++
		}
	})
}

// FuzzMergeDhcpd is the merge as setup-dhcp --merge runs it, judged by the
// real dhcpd -t: the file on disk ends up either as the merged file, which
// dhcpd accepts, or exactly as it was; and a file dhcpd accepted is never
// turned into one it refuses. (Slower: two dhcpd runs per input.)
func FuzzMergeDhcpd(f *testing.F) {
	if _, err := exec.LookPath("dhcpd"); err != nil {
		if _, err := os.Stat("/usr/sbin/dhcpd"); err != nil {
			f.Skip("dhcpd (isc-dhcp-server) not installed")
		}
	}
	mergeSeeds(f)
	opt := MergeOptions{TFTPServer: netip.MustParseAddr("192.0.2.10")}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, src string) {
		path := filepath.Join(t.TempDir(), "dhcpd.conf")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Merge(path, []byte(src), opt)
		if err != nil {
			return // setup-dhcp stops before Install: the file is left alone
		}
		var rej *RejectedError
		err = Install(path, r.Content, func(c string) error { return Check(ctx, ISC, c) })
		now, rerr := os.ReadFile(path)
		if rerr != nil {
			t.Fatal(rerr)
		}
		switch {
		case err == nil:
			if !bytes.Equal(now, r.Content) {
				t.Fatalf("installed file differs from the merge")
			}
		case errors.As(err, &rej):
			if !bytes.Equal(now, []byte(src)) {
				t.Fatalf("refused merge changed the file:\n%s", now)
			}
			if CheckContent(ctx, ISC, []byte(src)) == nil {
				t.Fatalf("dhcpd accepted the input but refuses the merge: %v\n--- merged\n%s", rej.Output, r.Content)
			}
		default:
			t.Fatalf("install: %v", err)
		}
	})
}

// FuzzMergeKea: whatever a Kea file holds, MergeKea does not panic, and
// what it writes for a file Kea's syntax reads is read again and already
// has the server.
func FuzzMergeKea(f *testing.F) {
	for _, s := range []string{
		`{"Dhcp4": {}}`,
		`{"Dhcp4": {"option-data": [], "option-def": []}}`,
		"// c\n{ \"Dhcp4\": { \"option-data\": [ { \"name\": \"x\", \"data\": \"1\" }, ], # h\n \"subnet4\": [] } }",
		`{"Dhcp4": {"option-data": [ {"code": 150, "csv-format": false, "data": "C000028C"} ]}}`,
		`{"Dhcp4": <?include "x"?>}`,
	} {
		f.Add([]byte(s))
	}
	server := netip.MustParseAddr("192.0.2.140")
	f.Fuzz(func(t *testing.T, src []byte) {
		r, err := MergeKea("k.conf", src, MergeOptions{TFTPServer: server})
		if err != nil || bytes.Equal(r.Content, src) {
			return
		}
		var v any
		if err := json.Unmarshal(KeaJSON(r.Content), &v); err != nil {
			t.Fatalf("merged file is not Kea JSON: %v\n%s", err, r.Content)
		}
		again, err := MergeKea("k.conf", r.Content, MergeOptions{TFTPServer: server})
		if err != nil || !bytes.Equal(again.Content, r.Content) {
			t.Fatalf("a second merge changed it (%v):\n%s\n->\n%s", err, r.Content, again.Content)
		}
	})
}
