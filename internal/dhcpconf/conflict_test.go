package dhcpconf

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// liveOther returns every live statement of path (with the included files
// in files, else on disk) that gives clients option 150, or option 66 for
// a network, pool or group, without all of servers.
func liveOther(t *testing.T, path string, content []byte, files map[string][]byte, servers []netip.Addr) []Setting {
	t.Helper()
	read := func(name string) ([]byte, error) {
		if b, ok := files[name]; ok {
			return b, nil
		}
		return os.ReadFile(name)
	}
	in, err := Inspect(path, content, read)
	if err != nil {
		t.Fatalf("merged file unreadable: %v\n%s", err, content)
	}
	var bad []Setting
	for _, s := range append(in.Settings, in.Block...) {
		if !s.Agrees(servers) && (s.Option == 150 || addressScoped(s.Kind)) {
			bad = append(bad, s)
		}
	}
	return bad
}

func addrs(s string) []netip.Addr {
	var out []netip.Addr
	for _, f := range strings.Split(s, ",") {
		out = append(out, netip.MustParseAddr(f))
	}
	return out
}

// Each case is one way a hand-written dhcpd.conf gives phones another TFTP
// server than the one asked for. Without TakeOver Merge changes nothing and
// names each statement with file:line, scope and --take-over; with it, no
// live statement gives the old server, every commented line is marked,
// dhcpd -t accepts the result and a second merge changes nothing.
func TestMergeConflicts(t *testing.T) {
	for _, tc := range []struct {
		file    string
		servers string
		lines   []string // file:line of each conflict, file relative to the fixture dir
		scopes  []string // a scope each conflict message must name, in order
		keep    []string // lines that must stay live
	}{
		// The how-to's own final file (shared/cases): global option 150 and
		// the subnet's option 66 name the old PBX.
		{"dhcpd-global-150-other-server.conf", "192.0.2.140",
			[]string{"dhcpd-global-150-other-server.conf:5", "dhcpd-global-150-other-server.conf:14"},
			[]string{"globally", `inside a "subnet" scope (subnet 192.0.2.0 netmask 255.255.255.0)`},
			[]string{" option ntp-servers              192.0.2.130;"}},
		{"conflict-host.conf", "10.5.0.10", []string{"conflict-host.conf:3", "conflict-host.conf:7"},
			[]string{"globally", `inside a "host" scope (host oldphone)`}, []string{"fixed-address 10.5.0.20;"}},
		{"othername.conf", "10.2.0.9", []string{"othername.conf:7"}, []string{`inside a "class" scope (class "cisco-phones")`}, nil},
		{"conflict-pool.conf", "10.6.0.10", []string{"conflict-pool.conf:8", "conflict-pool.conf:12"},
			[]string{`(shared-network office > subnet 10.6.0.0 netmask 255.255.255.0 > pool)`, `(shared-network office > subnet 10.6.1.0 netmask 255.255.255.0)`}, nil},
		{"conflict-group.conf", "10.7.0.10", []string{"conflict-group.conf:6", "conflict-group.conf:9"},
			[]string{`inside a "group" scope (group)`, `option 66 (tftp-server-name) is set to 10.7.0.5 inside a "group" scope`}, []string{"  host deskphone"}},
		{"conflict-include.conf", "10.8.0.10", []string{"conflict-included.conf:2", "conflict-included.conf:3"},
			[]string{`inside a "subnet" scope (subnet 10.8.0.0 netmask 255.255.255.0)`}, nil},
		{"conflict-66-name.conf", "10.9.0.10", []string{"conflict-66-name.conf:2"}, []string{"set globally to oldpbx.office.example"},
			[]string{`  option tftp-server-name "10.9.0.77";`}},
		{"conflict-supersede.conf", "10.10.0.10", []string{"conflict-supersede.conf:4"}, []string{`inside a "subnet" scope`}, nil},
		// Two servers where the file declares option 150 for one address.
		{"howto.conf", "192.168.0.140,192.168.0.141", []string{"howto.conf:4", "howto.conf:5", "howto.conf:14"},
			[]string{"declared as ip-address, which holds one server", "globally"}, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path, src := fixture(t, tc.file)
			dir := filepath.Dir(path)
			servers := addrs(tc.servers)
			opt := MergeOptions{TFTPServer: servers[0], TFTPBackups: servers[1:], ReadFile: os.ReadFile}

			refused, err := Merge(path, src, opt)
			if err != nil {
				t.Fatal(err)
			}
			if string(refused.Content) != string(src) || len(refused.Included) != 0 {
				t.Errorf("without --take-over the file changed:\n%s", refused.Content)
			}
			if len(refused.Conflicts) != len(tc.lines) {
				t.Errorf("%d conflicts, want %d: %q", len(refused.Conflicts), len(tc.lines), refused.Warnings)
			}
			msgs := strings.Join(refused.Warnings, "\n")
			for _, l := range tc.lines {
				if !strings.Contains(msgs, filepath.Join(dir, l)+": ") {
					t.Errorf("no conflict names %s:\n%s", l, msgs)
				}
			}
			for _, s := range tc.scopes {
				if !strings.Contains(msgs, s) {
					t.Errorf("no conflict names %q:\n%s", s, msgs)
				}
			}
			for _, c := range refused.Conflicts {
				if !strings.HasSuffix(c.Msg, "--take-over comments it out") && !strings.Contains(c.Msg, "; --take-over ") {
					t.Errorf("conflict does not name the flag that takes over: %s", c.Msg)
				}
			}

			opt.TakeOver = true
			r, err := Merge(path, src, opt)
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{}
			for _, f := range r.Included {
				files[f.Path] = f.New
			}
			if bad := liveOther(t, path, r.Content, files, servers); len(bad) > 0 {
				t.Errorf("still live after --take-over: %+v\n%s", bad, r.Content)
			}
			all := string(r.Content)
			for _, f := range r.Included {
				all += string(f.New)
			}
			if n := strings.Count(all, TakeOverMarker); n < len(tc.lines) {
				t.Errorf("%d marked lines, want at least %d:\n%s", n, len(tc.lines), all)
			}
			for _, k := range tc.keep {
				if !strings.Contains(all, "\n"+strings.TrimLeft(k, " ")) && !strings.Contains(all, k) {
					t.Errorf("line %q lost:\n%s", k, all)
				}
			}
			flat, err := Flatten(path, r.Content, files)
			if err != nil {
				t.Fatal(err)
			}
			mustAccept(t, ISC, flat)

			// Installed, a second run finds nothing to do.
			for name, b := range files {
				os.WriteFile(name, b, 0o644)
			}
			again, err := Merge(path, r.Content, opt)
			if err != nil {
				t.Fatal(err)
			}
			if string(again.Content) != string(r.Content) || len(again.Included) != 0 || len(again.Conflicts) != 0 {
				t.Errorf("second --take-over changed something: %q\n%s", again.Conflicts, UnifiedDiff("first", "second", r.Content, again.Content))
			}
		})
	}
}

// The how-to's file after --take-over, line by line: the old lines stay
// visible behind the marker and ours follow in the block.
func TestTakeOverHowto(t *testing.T) {
	path, src := fixture(t, "dhcpd-global-150-other-server.conf")
	r, err := Merge(path, src, MergeOptions{TFTPServer: netip.MustParseAddr("192.0.2.140"), TakeOver: true})
	if err != nil {
		t.Fatal(err)
	}
	out := string(r.Content)
	for _, want := range []string{
		"\n" + TakeOverMarker + "option voip-tftp-servers 192.0.2.130;\n",
		"\n " + TakeOverMarker + "option tftp-server-name         \"192.0.2.130\";\n",
		"\noption voip-tftp-servers 192.0.2.140;\noption tftp-server-name \"192.0.2.140\";\n" + EndMarker + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Count(out, "code 150") != 1 {
		t.Errorf("declaration repeated:\n%s", out)
	}
	mustAccept(t, ISC, r.Content)
}

// Option 150 as a list (RFC 5859): asking for a server the list has, or
// the whole list, finds nothing to change; when the server asked for is
// only a backup (phones load from the first server while it answers) a
// warning names the line and its primary (breaker round 11).
func TestMergeServerLists(t *testing.T) {
	path, src := fixture(t, "dhcpd-two-tftp-servers.conf")
	for _, s := range []string{"192.0.2.10", "192.0.2.10,192.0.2.11", "192.0.2.11", "192.0.2.11,192.0.2.10"} {
		servers := addrs(s)
		r, err := Merge(path, src, MergeOptions{TFTPServer: servers[0], TFTPBackups: servers[1:]})
		if err != nil {
			t.Fatal(err)
		}
		warn := 0
		if strings.HasPrefix(s, "192.0.2.11") {
			warn = 1
		}
		if len(r.Warnings) != warn || len(r.Conflicts) != 0 || string(r.Content) != string(src) {
			t.Errorf("%s: warnings %q, conflicts %d, changed %v", s, r.Warnings, len(r.Conflicts), string(r.Content) != string(src))
		}
		if warn == 1 && !strings.Contains(r.Warnings[0], ":5: warning: option 150 lists 192.0.2.10 first") {
			t.Errorf("%s: warning does not name line 5 and the primary: %q", s, r.Warnings)
		}
	}
	// --take-over makes the server asked for the primary.
	r0, err := Merge(path, src, MergeOptions{TFTPServer: netip.MustParseAddr("192.0.2.11"), TakeOver: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r0.Content), "option voip-tftp-servers 192.0.2.11;\n") || !strings.Contains(string(r0.Content), TakeOverMarker+"option voip-tftp-servers 192.0.2.10, 192.0.2.11;") {
		t.Errorf("--take-over did not put 192.0.2.11 first:\n%s", r0.Content)
	}
	mustAccept(t, ISC, r0.Content)
	// A third server is not in the list: a conflict, and --take-over
	// writes all three in order.
	servers := addrs("192.0.2.10,192.0.2.11,192.0.2.12")
	r, err := Merge(path, src, MergeOptions{TFTPServer: servers[0], TFTPBackups: servers[1:], TakeOver: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Content), "\noption voip-tftp-servers 192.0.2.10, 192.0.2.11, 192.0.2.12;\n") {
		t.Errorf("three servers not written in order:\n%s", r.Content)
	}
	mustAccept(t, ISC, r.Content)

	// Into a file without option 150: declared as an array, both written.
	path, src = fixture(t, "howto-skeleton.conf")
	servers = addrs("192.168.0.130,192.168.0.131")
	r, err = Merge(path, src, MergeOptions{TFTPServer: servers[0], TFTPBackups: servers[1:]})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Content), "option voip-tftp-servers 192.168.0.130, 192.168.0.131;\n") {
		t.Errorf("list not written:\n%s", r.Content)
	}
	mustAccept(t, ISC, r.Content)
	if _, err := Merge(path, src, MergeOptions{TFTPServer: servers[0], TFTPBackups: servers}); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("repeated server: %v", err)
	}
}

// Generated files carry the whole list, primary first; option 66 the primary.
func TestGenerateServerLists(t *testing.T) {
	n := testNetwork()
	n.TFTPBackups = addrs("192.168.0.131,192.168.0.132")
	isc := string(GenerateISC(n, nil, nil))
	if !strings.Contains(isc, "option voip-tftp-servers 192.168.0.130, 192.168.0.131, 192.168.0.132;\n") || !strings.Contains(isc, `option tftp-server-name "192.168.0.130";`) {
		t.Errorf("isc:\n%s", isc)
	}
	mustAccept(t, ISC, []byte(isc))
	kea, err := GenerateKea(n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(kea), `"data": "192.168.0.130, 192.168.0.131, 192.168.0.132"`) {
		t.Errorf("kea:\n%s", kea)
	}
	mustAccept(t, Kea, kea)
	for _, dm := range [][]byte{GenerateDnsmasq(n, nil), GenerateDnsmasqDropIn(DropIn{Network: n}, nil)} {
		if !strings.Contains(string(dm), "dhcp-option=150,192.168.0.130,192.168.0.131,192.168.0.132\n") || !strings.Contains(string(dm), "dhcp-option=66,\"192.168.0.130\"\n") {
			t.Errorf("dnsmasq:\n%s", dm)
		}
		mustAccept(t, Dnsmasq, dm)
	}
	bad := n
	bad.TFTPBackups = addrs("192.168.0.160")
	if err := bad.Validate(); err == nil {
		t.Error("a backup server inside the range was accepted")
	}
}

// A fixed address inside one of the file's ranges is named with the range.
func TestReservationsInRanges(t *testing.T) {
	path, src := fixture(t, "conflict-include.conf")
	in, err := Inspect(path, src, os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	a, b := mac(t, "001122334455"), mac(t, "001122334466")
	a.IP, b.IP = netip.MustParseAddr("10.8.0.120"), netip.MustParseAddr("10.8.0.20")
	got := ReservationsInRanges([]Reservation{a, b}, in.Ranges)
	if len(got) != 1 || !strings.Contains(got[0], "conflict-included.conf:1: fixed address 10.8.0.120 of SEP001122334455") || !strings.Contains(got[0], "10.8.0.100-10.8.0.150") {
		t.Errorf("got %q", got)
	}
}
