package dhcpconf

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/isc"
)

// requireTool skips without the tool, unless scripts/test demands it.
func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := FindTool(name); err != nil {
		if os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%v, and SETUP_CISCO_REQUIRE_TOOLS=1", err)
		}
		t.Skipf("%v", err)
	}
}

// mustAccept runs the real server parser on content.
func mustAccept(t *testing.T, f Format, content []byte) {
	t.Helper()
	name, _ := f.Tool("")
	requireTool(t, name)
	if err := CheckContent(context.Background(), f, content); err != nil {
		t.Fatalf("%v\n--- file:\n%s", err, content)
	}
}

func mac(t *testing.T, s string) Reservation {
	t.Helper()
	hw, err := ParseMAC(s)
	if err != nil {
		t.Fatal(err)
	}
	return Reservation{MAC: hw}
}

func testNetwork() Network {
	return Network{
		TFTPServer:   netip.MustParseAddr("192.168.0.130"),
		Subnet:       netip.MustParsePrefix("192.168.0.0/24"),
		Router:       netip.MustParseAddr("192.168.0.1"),
		RangeFirst:   netip.MustParseAddr("192.168.0.150"),
		RangeLast:    netip.MustParseAddr("192.168.0.175"),
		DNS:          []netip.Addr{netip.MustParseAddr("192.168.0.1"), netip.MustParseAddr("9.9.9.9")},
		NTP:          []netip.Addr{netip.MustParseAddr("192.168.0.130")},
		Domain:       "office.example",
		DefaultLease: 3600,
		MaxLease:     7200,
	}
}

func testReservations(t *testing.T) []Reservation {
	a := mac(t, "001122AABBCC")
	a.Name = "201 Reception\nnext line"
	a.IP = netip.MustParseAddr("192.168.0.20")
	b := mac(t, "00:11:22:aa:bb:cd")
	b.Name = "202"
	return []Reservation{a, b}
}

func TestGenerateAccepted(t *testing.T) {
	n := testNetwork()
	res := testReservations(t)
	minimal := n
	minimal.Router, minimal.DNS, minimal.NTP, minimal.Domain = netip.Addr{}, nil, nil, ""
	for _, tc := range []struct {
		name string
		n    Network
		res  []Reservation
	}{{"full", n, nil}, {"reservations", n, res}, {"minimal", minimal, nil}} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.n.Validate(); err != nil {
				t.Fatal(err)
			}
			if err := CheckReservations(tc.res, &tc.n); err != nil {
				t.Fatal(err)
			}
			isc := GenerateISC(tc.n, tc.res, nil)
			for _, want := range []string{
				"option voip-tftp-servers code 150 = array of ip-address;\n",
				"option voip-tftp-servers 192.168.0.130;\n",
				"option tftp-server-name \"192.168.0.130\";\n",
				"range 192.168.0.150 192.168.0.175;\n",
			} {
				if !strings.Contains(string(isc), want) {
					t.Errorf("isc output lacks %q:\n%s", want, isc)
				}
			}
			if len(tc.res) > 0 && !strings.Contains(string(isc), "host SEP001122AABBCC { # 201 Reception next line\n") {
				t.Errorf("reservation not rendered:\n%s", isc)
			}
			t.Run("dhcpd", func(t *testing.T) { mustAccept(t, ISC, isc) })

			kea, err := GenerateKea(tc.n, tc.res)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(kea), `"code": 150`) {
				t.Errorf("kea output lacks option 150:\n%s", kea)
			}
			t.Run("kea", func(t *testing.T) { mustAccept(t, Kea, kea) })

			dm := GenerateDnsmasq(tc.n, tc.res)
			if !strings.Contains(string(dm), "dhcp-option=150,192.168.0.130\n") {
				t.Errorf("dnsmasq output lacks option 150:\n%s", dm)
			}
			t.Run("dnsmasq", func(t *testing.T) { mustAccept(t, Dnsmasq, dm) })
		})
	}
}

// The parsers must also say no, or the checks above prove nothing.
func TestToolsReject(t *testing.T) {
	for _, tc := range []struct {
		f       Format
		content string
	}{
		{ISC, "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.10 10.0.0.300; }\n"},
		{Kea, `{"Dhcp4": {"subnet4": [{"subnet": "10.0.0.0/24", "pools": [{"pool": "10.0.0.10 - 10.0.0.300"}]}]}}`},
		{Dnsmasq, "dhcp-range=10.0.0.10\n"},
	} {
		t.Run(string(tc.f), func(t *testing.T) {
			name, _ := tc.f.Tool("")
			requireTool(t, name)
			err := CheckContent(context.Background(), tc.f, []byte(tc.content))
			var rej *RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("got %v, want a rejection", err)
			}
			if rej.Output == "" {
				t.Error("rejection without the tool's message")
			}
		})
	}
}

// fixture reads testdata/name, with @DIR@ pointing at a temporary copy of
// testdata so that includes resolve.
func fixture(t *testing.T, name string) (path string, src []byte) {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b = []byte(strings.ReplaceAll(string(b), "@DIR@", dir))
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path = filepath.Join(dir, name)
	src, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, src
}

// outside returns the lines of src that are not in our managed block.
func outside(src []byte) []string {
	var out []string
	in := false
	for _, l := range isc.SplitLines(string(src)) {
		switch {
		case strings.HasPrefix(l, "# BEGIN setup-dhcp"):
			in = true
		case strings.HasPrefix(l, EndMarker):
			in = false
		case !in:
			out = append(out, l)
		}
	}
	return out
}

func count(s, re string) int { return len(regexp.MustCompile(re).FindAllString(s, -1)) }

func TestMergeFixtures(t *testing.T) {
	server := netip.MustParseAddr("192.168.0.130")
	other := netip.MustParseAddr("192.168.0.131")
	for _, tc := range []struct {
		file string
		// regexps that must each match exactly once in the merged file
		once []string
		// regexps that must not match
		never []string
	}{
		{"howto-skeleton.conf", []string{`(?m)^option voip-tftp-servers code 150 = array of ip-address;$`, `(?m)^option voip-tftp-servers 192\.168\.0\.13[01];$`}, nil},
		// The how-to's own file: declared and set already; we add nothing.
		{"howto.conf", []string{`code 150`, `(?m)^option voip-tftp-servers 192\.168\.0\.130;$`}, []string{`BEGIN setup-dhcp`}},
		{"handwritten.conf", []string{`voip-tftp-servers code 150`, `(?m)^option voip-tftp-servers 192\.168\.0\.13[01];$`}, nil},
		{"otherset.conf", []string{`code 150`, `(?m)^option cisco-tftp \d`}, []string{`BEGIN setup-dhcp`}},
		{"withblock.conf", []string{`voip-tftp-servers code 150`, `(?m)^option voip-tftp-servers 192\.168\.0\.13[01];$`, `host SEP00112233AABB`}, []string{`192\.168\.5\.9`}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path, src := fixture(t, tc.file)
			opt := MergeOptions{TFTPServer: server, ReadFile: os.ReadFile}
			first, err := Merge(path, src, opt)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Merge(path, first.Content, opt)
			if err != nil {
				t.Fatal(err)
			}
			if string(again.Content) != string(first.Content) {
				t.Errorf("second merge changed the file:\n%s", UnifiedDiff("first", "second", first.Content, again.Content))
			}
			opt.TFTPServer = other
			moved, err := Merge(path, first.Content, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, out := range [][]byte{first.Content, moved.Content} {
				if got, want := strings.Join(outside(out), ""), strings.Join(outside(src), ""); got != want {
					t.Errorf("lines outside the block changed:\n%s", UnifiedDiff("original", "merged", []byte(want), []byte(got)))
				}
				for _, re := range tc.once {
					if n := count(string(out), re); n != 1 {
						t.Errorf("%q matches %d times, want once:\n%s", re, n, out)
					}
				}
				for _, re := range tc.never {
					if count(string(out), re) != 0 {
						t.Errorf("%q matches:\n%s", re, out)
					}
				}
				mustAccept(t, ISC, out)
			}
		})
	}
}

func TestMergeNotes(t *testing.T) {
	path, src := fixture(t, "otherset.conf")
	r, err := Merge(path, src, MergeOptions{TFTPServer: netip.MustParseAddr("10.3.0.6")})
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(append(r.Notes, r.Warnings...), "\n")
	for _, want := range []string{"otherset.conf:1: option 150 is already declared as cisco-tftp", "otherset.conf:2: option 150 is already set globally", "warning: it is not 10.3.0.6"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes lack %q:\n%s", want, joined)
		}
	}
	if string(r.Content) != string(src) {
		t.Errorf("file changed although option 150 is set:\n%s", r.Content)
	}
}

func TestMergeReservations(t *testing.T) {
	path, src := fixture(t, "handwritten.conf")
	res := []Reservation{mac(t, "08:00:07:26:c0:a5"), mac(t, "0011.2233.4455")}
	res[1].IP = netip.MustParseAddr("10.1.0.30")
	res[1].Name = "reception"
	r, err := Merge(path, src, MergeOptions{TFTPServer: netip.MustParseAddr("10.1.0.5"), Reservations: res, ReadFile: os.ReadFile})
	if err != nil {
		t.Fatal(err)
	}
	out := string(r.Content)
	if count(out, `08:00:07:26:c0:a5`) != 1 {
		t.Errorf("MAC already in the file got a second host entry:\n%s", out)
	}
	if !strings.Contains(out, "host SEP001122334455 { # reception\n  hardware ethernet 00:11:22:33:44:55;\n  fixed-address 10.1.0.30;\n}\n") {
		t.Errorf("reservation missing:\n%s", out)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "handwritten.conf:33: 08:00:07:26:c0:a5 already has a host entry") {
		t.Errorf("notes: %q", r.Notes)
	}
	mustAccept(t, ISC, r.Content)

	// nil keeps the block's reservations; empty removes them.
	kept, err := Merge(path, r.Content, MergeOptions{TFTPServer: netip.MustParseAddr("10.1.0.6")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(kept.Content), "host SEP001122334455") {
		t.Errorf("reservations lost on a merge without them:\n%s", kept.Content)
	}
	gone, err := Merge(path, kept.Content, MergeOptions{TFTPServer: netip.MustParseAddr("10.1.0.6"), Reservations: []Reservation{}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(gone.Content), "SEP001122334455") || strings.Contains(string(gone.Content), "reservations") {
		t.Errorf("reservations kept although replaced by none:\n%s", gone.Content)
	}
}

// A declaration that appears after our block moves the block below it.
func TestMergeMovesBlockAfterDeclaration(t *testing.T) {
	src := "# BEGIN setup-dhcp (managed; do not edit)\noption voip-tftp-servers code 150 = array of ip-address;\noption voip-tftp-servers 10.0.0.1;\n# END setup-dhcp\noption cisco-tftp code 150 = ip-address;\nsubnet 10.0.0.0 netmask 255.255.255.0 {\n}\n"
	r, err := Merge("x.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.0.0.2")})
	if err != nil {
		t.Fatal(err)
	}
	want := "option cisco-tftp code 150 = ip-address;\nsubnet 10.0.0.0 netmask 255.255.255.0 {\n}\n" + BeginMarker + "\n# Option 150: the TFTP server Cisco 79x0 phones load their firmware and config from.\noption cisco-tftp 10.0.0.2;\n" + EndMarker + "\n"
	if string(r.Content) != want {
		t.Errorf("got\n%s\nwant\n%s", r.Content, want)
	}
	mustAccept(t, ISC, r.Content)
}

func TestMergeNoFinalNewline(t *testing.T) {
	src := "subnet 10.0.0.0 netmask 255.255.255.0 { }"
	r, err := Merge("x.conf", []byte(src), MergeOptions{TFTPServer: netip.MustParseAddr("10.0.0.2")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(r.Content), src+"\n"+BeginMarker+"\n") {
		t.Errorf("got\n%s", r.Content)
	}
}

func TestMergeErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"subnet 10.0.0.0 netmask 255.0.0.0 {\n  range 10.0.0.5 10.0.0.9;\n", "x.conf:1: unbalanced braces: { is never closed"},
		{"a;\n}\n", "x.conf:2: unbalanced braces: } without {"},
		{"option domain-name \"x;\n", "x.conf:1: unterminated string"},
		{"authoritative;\nddns-update-style none\n", "x.conf:2: statement is not terminated by ;"},
		{"option voip-tftp-servers code 151 = text;\n", "x.conf:1: option voip-tftp-servers is declared with code 151, not 150"},
		{"# BEGIN setup-dhcp (managed; do not edit)\na;\n", "x.conf:1: BEGIN setup-dhcp marker without END"},
		{"# END setup-dhcp\n", "x.conf:1: END setup-dhcp marker without BEGIN"},
		{"subnet 10.0.0.0 netmask 255.0.0.0 {\n# BEGIN setup-dhcp\n# END setup-dhcp\n}\n", "x.conf:2: BEGIN setup-dhcp marker inside a { } scope"},
	} {
		_, err := Merge("x.conf", []byte(tc.src), MergeOptions{TFTPServer: netip.MustParseAddr("10.0.0.2")})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestLexRecordTypeAndStrings(t *testing.T) {
	src := "option rec code 200 = { ip-address, text };\noption domain-name \"a;b{c}#d\\\"e\";\noption v code 150 = ip-address; # x { \n"
	stmts, _, err := isc.ParseFile("x", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 {
		t.Fatalf("got %d statements, want 3: %+v", len(stmts), stmts)
	}
	if name, code, typ, ok := optionDecl(stmts[2]); !ok || name != "v" || code != 150 || typ != "ip-address" || stmts[2].Line != 3 {
		t.Errorf("declaration: %q %d %q %v", name, code, typ, ok)
	}
	if got := stmts[1].Word(2); got != `a;b{c}#d\"e` {
		t.Errorf("string token %q", got)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		mod   func(*Network)
		field string
	}{
		{func(n *Network) { n.RangeLast = netip.MustParseAddr("192.168.1.5") }, "range"},
		{func(n *Network) { n.RangeFirst, n.RangeLast = n.RangeLast, n.RangeFirst }, "range"},
		{func(n *Network) { n.RangeFirst = netip.MustParseAddr("192.168.0.0") }, "range"},
		{func(n *Network) { n.Router = netip.MustParseAddr("10.0.0.1") }, "router"},
		{func(n *Network) { n.Router = netip.MustParseAddr("192.168.0.160") }, "range"},
		{func(n *Network) { n.TFTPServer = netip.MustParseAddr("192.168.0.151") }, "range"},
		{func(n *Network) { n.TFTPServer = netip.Addr{} }, "tftp-server"},
		{func(n *Network) { n.Subnet = netip.MustParsePrefix("192.168.0.0/31") }, "subnet"},
		{func(n *Network) { n.Domain = "a\"b" }, "domain"},
		{func(n *Network) { n.MaxLease = 60 }, "max-lease-time"},
		{func(n *Network) { n.DefaultLease = 0 }, "default-lease-time"},
	} {
		n := testNetwork()
		tc.mod(&n)
		var fe *FieldError
		if err := n.Validate(); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: got %v, want an error about %s", n, err, tc.field)
		}
	}
	if err := testNetwork().Validate(); err != nil {
		t.Error(err)
	}
}

func TestCheckReservations(t *testing.T) {
	n := testNetwork()
	a, b := mac(t, "001122334455"), mac(t, "001122334455")
	if err := CheckReservations([]Reservation{a, b}, &n); err == nil {
		t.Error("duplicate MAC accepted")
	}
	a.IP = netip.MustParseAddr("192.168.0.160")
	if err := CheckReservations([]Reservation{a}, &n); err == nil {
		t.Error("fixed address inside the dynamic range accepted")
	}
	a.IP = netip.MustParseAddr("10.0.0.1")
	if err := CheckReservations([]Reservation{a}, &n); err == nil {
		t.Error("fixed address outside the subnet accepted")
	}
	if err := CheckReservations([]Reservation{a}, nil); err != nil {
		t.Errorf("merge mode (no subnet known): %v", err)
	}
}

func TestParseMAC(t *testing.T) {
	for _, s := range []string{"001122aabbcc", "00:11:22:AA:BB:CC", "00-11-22-aa-bb-cc", "0011.22aa.bbcc"} {
		hw, err := ParseMAC(s)
		if err != nil || hw.String() != "00:11:22:aa:bb:cc" {
			t.Errorf("%q: %v %v", s, hw, err)
		}
	}
	for _, s := range []string{"", "001122aabb", "00:11:22:aa:bb:cc:dd:ee", "zz1122aabbcc"} {
		if _, err := ParseMAC(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestProposeRange(t *testing.T) {
	p := netip.MustParsePrefix("192.168.0.0/24")
	a := netip.MustParseAddr
	for _, tc := range []struct {
		exclude     []netip.Addr
		first, last string
	}{
		{nil, "192.168.0.128", "192.168.0.239"},
		{[]netip.Addr{a("192.168.0.1"), a("192.168.0.130")}, "192.168.0.131", "192.168.0.239"},
		{[]netip.Addr{a("192.168.0.200")}, "192.168.0.128", "192.168.0.199"},
	} {
		first, last, err := ProposeRange(p, tc.exclude...)
		if err != nil || first.String() != tc.first || last.String() != tc.last {
			t.Errorf("exclude %v: got %v-%v %v, want %s-%s", tc.exclude, first, last, err, tc.first, tc.last)
		}
		n := testNetwork()
		n.RangeFirst, n.RangeLast = first, last
		n.TFTPServer, n.Router = a("192.168.0.130"), a("192.168.0.1")
		if len(tc.exclude) == 2 {
			if err := n.Validate(); err != nil {
				t.Errorf("proposed range invalid: %v", err)
			}
		}
	}
	small := netip.MustParsePrefix("10.0.0.0/30")
	if _, _, err := ProposeRange(small, a("10.0.0.1"), a("10.0.0.2")); err == nil {
		t.Error("full /30 gave a range")
	}
	if f, l, err := ProposeRange(netip.MustParsePrefix("10.0.0.0/29"), a("10.0.0.1")); err != nil || f.String() != "10.0.0.2" || l.String() != "10.0.0.6" {
		t.Errorf("/29: %v-%v %v", f, l, err)
	}
}

var splitLines = isc.SplitLines

// Merge refuses a file that declares no subnet (dhcpd serves no client
// from it); a subnet inside a shared-network or an included file counts,
// and an include that cannot be read is not judged.
func TestMergeNeedsSubnet(t *testing.T) {
	opt := MergeOptions{TFTPServer: netip.MustParseAddr("10.0.0.2")}
	_, err := Merge("x.conf", []byte("ddns-update-style none;\n#subnet 10.0.0.0 netmask 255.255.255.0 {\n#}\n"), opt)
	if err == nil || !strings.Contains(err.Error(), "x.conf declares no subnet") || !strings.Contains(err.Error(), "--subnet") {
		t.Errorf("no subnet: %v", err)
	}
	if _, err := Merge("x.conf", []byte("shared-network lan {\n subnet 10.0.0.0 netmask 255.255.255.0 { }\n}\n"), opt); err != nil {
		t.Errorf("subnet in a shared-network: %v", err)
	}
	files := map[string]string{"/etc/dhcp/nets.conf": "subnet 10.0.0.0 netmask 255.255.255.0 { }\n"}
	opt.ReadFile = func(name string) ([]byte, error) {
		if f, ok := files[name]; ok {
			return []byte(f), nil
		}
		return nil, os.ErrNotExist
	}
	if _, err := Merge("/etc/dhcp/dhcpd.conf", []byte("include \"/etc/dhcp/nets.conf\";\n"), opt); err != nil {
		t.Errorf("subnet in an included file: %v", err)
	}
	if _, err := Merge("/etc/dhcp/dhcpd.conf", []byte("include \"/etc/dhcp/missing.conf\";\n"), opt); err != nil {
		t.Errorf("an unreadable include: %v", err)
	}
}

// KeaJSON reads what Kea's lexer reads: comments of three kinds and a
// trailing comma, none of them inside a string.
func TestKeaJSON(t *testing.T) {
	src := `// head
{ "Dhcp4": { # hash
  "a": "x // not a comment, # nor this, /* nor */",
  /* block
     over lines */ "b": [1, 2, ],
  "c": { "d": "e\" // still a string", },
}, }`
	var v map[string]any
	if err := json.Unmarshal(KeaJSON([]byte(src)), &v); err != nil {
		t.Fatalf("%v in\n%s", err, KeaJSON([]byte(src)))
	}
	d := v["Dhcp4"].(map[string]any)
	if d["a"] != "x // not a comment, # nor this, /* nor */" || len(d["b"].([]any)) != 2 || d["c"].(map[string]any)["d"] != `e" // still a string` {
		t.Errorf("got %v", d)
	}
	if got, want := strings.Count(string(KeaJSON([]byte(src))), "\n"), strings.Count(src, "\n"); got != want {
		t.Errorf("%d lines, want %d", got, want)
	}
}

// KeaIncludes splices included files in, nested, beside the including
// file; a missing file or a loop is an error naming the include.
func TestKeaIncludes(t *testing.T) {
	files := map[string]string{
		"/etc/kea/subnets.json": `[ <?include "one.json"?> ]`,
		"/etc/kea/one.json":     `{ "id": 1, "subnet": "10.0.0.0/24" }`,
		"/etc/kea/loop.json":    `<?include "loop.json"?>`,
	}
	read := func(p string) ([]byte, error) {
		if f, ok := files[p]; ok {
			return []byte(f), nil
		}
		return nil, os.ErrNotExist
	}
	got, err := KeaIncludes("/etc/kea/kea-dhcp4.conf", []byte(`{"Dhcp4": {"subnet4": <?include "/etc/kea/subnets.json"?>}}`), read)
	if err != nil || string(got) != `{"Dhcp4": {"subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ]}}` {
		t.Errorf("got %s, %v", got, err)
	}
	if _, err := KeaIncludes("/etc/kea/k.conf", []byte(`<?include "missing.json"?>`), read); err == nil || !strings.Contains(err.Error(), `<?include "missing.json"?>`) {
		t.Errorf("missing: %v", err)
	}
	if _, err := KeaIncludes("/etc/kea/k.conf", []byte(`<?include "/etc/kea/loop.json"?>`), read); err == nil || !strings.Contains(err.Error(), "deeper than 8") {
		t.Errorf("loop: %v", err)
	}
}
