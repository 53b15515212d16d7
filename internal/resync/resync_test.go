package resync

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

const (
	macA = macaddr.MAC("001122AABB01")
	macB = macaddr.MAC("001122AABB02")
	macC = macaddr.MAC("001122AABB03")
	macD = macaddr.MAC("001122AABB04")
)

// phone is a sipgo server on a loopback address standing in for a 79x0:
// it answers NOTIFY 200 and remembers each one's Event header.
type phone struct {
	mu     sync.Mutex
	events []string
}

func (p *phone) got() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.events...)
}

// startPhones listens on 127.0.0.N:port for each N, on one port they all
// can bind, as the phones share sip_control_port.
func startPhones(t *testing.T, answer bool, ns ...int) ([]*phone, int) {
	t.Helper()
	for try := 0; try < 20; try++ {
		first, err := net.ListenPacket("udp4", "127.0.0."+itoa(ns[0])+":0")
		if err != nil {
			t.Fatal(err)
		}
		port := first.LocalAddr().(*net.UDPAddr).Port
		conns := []net.PacketConn{first}
		ok := true
		for _, n := range ns[1:] {
			c, err := net.ListenPacket("udp4", "127.0.0."+itoa(n)+":"+itoa(port))
			if err != nil {
				ok = false
				break
			}
			conns = append(conns, c)
		}
		if !ok {
			for _, c := range conns {
				c.Close()
			}
			continue
		}
		var phones []*phone
		for _, c := range conns {
			p := &phone{}
			phones = append(phones, p)
			if !answer {
				t.Cleanup(func() { c.Close() })
				continue
			}
			ua, err := sipgo.NewUA()
			if err != nil {
				t.Fatal(err)
			}
			srv, err := sipgo.NewServer(ua)
			if err != nil {
				t.Fatal(err)
			}
			srv.OnNotify(func(req *sip.Request, tx sip.ServerTransaction) {
				ev := ""
				if h := req.GetHeader("Event"); h != nil {
					ev = h.Value()
				}
				p.mu.Lock()
				p.events = append(p.events, ev)
				p.mu.Unlock()
				tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
			})
			go srv.ServeUDP(c)
			t.Cleanup(func() { c.Close(); ua.Close() })
		}
		return phones, port
	}
	t.Fatal("no UDP port free on every loopback address")
	return nil, 0
}

func itoa(n int) string { return strconv.Itoa(n) }

// leasesFile: A moved from .9 to .2 (the older lease is still active in
// the file), B at .3, C at .4, D's lease expired.
func leasesFile(t *testing.T) string {
	t.Helper()
	src := `# The format of this file is documented in the dhcpd.leases(5) manual page.
authoring-byte-order little-endian;
server-duid "\000\001\000\001+\214\022{\000\014)\304\337\370";

lease 127.0.0.9 {
  starts 1 2026/11/23 08:00:00;
  ends 1 2026/11/23 20:00:00;
  binding state active;
  next binding state free;
  hardware ethernet 00:11:22:aa:bb:01;
  uid "\001\000\021\"\252\273\001";
  client-hostname "SEP001122AABB01";
}
lease 127.0.0.2 {
  starts 2 2026/11/24 09:00:00;
  ends 2 2026/11/24 21:00:00;
  binding state active;
  hardware ethernet 00:11:22:aa:bb:01;
  set vendor-class-identifier = "Cisco Systems, Inc. IP Phone CP-7960G";
}
lease 127.0.0.3 {
  starts 2 2026/11/24 09:05:00;
  binding state active;
  hardware ethernet 00:11:22:AA:BB:02;
}
lease 127.0.0.4 {
  starts 2 2026/11/24 09:06:00;
  binding state active;
  hardware ethernet 00:11:22:aa:bb:03;
}
lease 127.0.0.6 {
  starts 2 2026/11/24 07:00:00;
  binding state active;
  hardware ethernet 00:11:22:aa:bb:04;
}
lease 127.0.0.6 {
  starts 2 2026/11/24 07:00:00;
  ends 2 2026/11/24 08:00:00;
  binding state free;
  hardware ethernet 00:11:22:aa:bb:04;
}
lease 127.0.0.8 {
  starts epoch 1763974800; # db-time-format local
  binding state active;
  hardware ethernet 00:11:22:aa:bb:05;
}
lease 127.0.0.7 {
  starts epoch 1763971200; # an hour older, later in the file
  binding state active;
  hardware ethernet 00:11:22:aa:bb:05;
}
failover peer "dhcp-failover" state {
  my state normal at 2 2026/11/24 07:00:00;
}
`
	p := filepath.Join(t.TempDir(), "dhcpd.leases")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadLeases(t *testing.T) {
	got, err := ReadLeases(leasesFile(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[macaddr.MAC]string{macA: "127.0.0.2", macB: "127.0.0.3", macC: "127.0.0.4", "001122AABB05": "127.0.0.8"}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for m, ip := range want {
		if got[m] != netip.MustParseAddr(ip) {
			t.Errorf("%s: %v, want %s", m, got[m], ip)
		}
	}
}

// TestDirectNotify: each changed phone gets exactly one NOTIFY with
// Event: check-sync over real UDP; the unchanged one gets none.
func TestDirectNotify(t *testing.T) {
	phones, port := startPhones(t, true, 2, 3, 4, 9)
	targets := []Target{
		{MAC: macA, Lines: []Line{{Ext: "1001", Tech: "sip"}}},
		{MAC: macB, Lines: []Line{{}, {Ext: "2001", Tech: "pjsip"}}},
	}
	res, err := Notify(context.Background(), targets, Options{Via: Direct, Leases: leasesFile(t), PhonePort: port, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.MAC != targets[i].MAC || r.Err != nil {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if want := "NOTIFY to 127.0.0.2:" + itoa(port); res[0].Via != want {
		t.Errorf("Via %q, want %q", res[0].Via, want)
	}
	time.Sleep(200 * time.Millisecond) // a stray retransmission would land by now
	for i, want := range []int{1, 1, 0, 0} {
		got := phones[i].got()
		if len(got) != want {
			t.Errorf("phone %d got %d NOTIFYs, want %d", i, len(got), want)
		}
		for _, ev := range got {
			if ev != "check-sync" {
				t.Errorf("phone %d: Event %q", i, ev)
			}
		}
	}
}

func TestDirectFailures(t *testing.T) {
	_, port := startPhones(t, false, 2) // listens, never answers
	targets := []Target{
		{MAC: macA, Lines: []Line{{Ext: "1001", Tech: "sip"}}},
		{MAC: macD, Lines: []Line{{Ext: "4001", Tech: "sip"}}},
	}
	start := time.Now()
	res, err := Notify(context.Background(), targets, Options{Via: Direct, Leases: leasesFile(t), PhonePort: port, Timeout: 700 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || !errors.Is(res[0].Err, context.DeadlineExceeded) && !strings.Contains(res[0].Err.Error(), "timed out") && !strings.Contains(res[0].Err.Error(), "deadline") {
		t.Errorf("silent phone: %v", res[0].Err)
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "no active lease for 001122AABB04") {
		t.Errorf("expired lease: %v", res[1].Err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	res, err = Notify(context.Background(), targets[:1], Options{Via: Direct, Leases: "/nonexistent/leases", PhonePort: port})
	if err != nil || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "no address for a direct NOTIFY") {
		t.Errorf("no leases file: %v, %+v", err, res)
	}
}

// fakeAsterisk stands in for asterisk -rx (not installable here): it logs
// its arguments and answers as the CLI does, finding cisco-check-cfg only
// when a notify file in $FAKE_ASTERISK_CONF defines it.
const fakeAsterisk = `#!/bin/sh
echo "$*" >>"$(dirname "$0")/asterisk.log"
if [ -e "$(dirname "$0")/down" ]; then
	echo "Unable to connect to remote asterisk (does /var/run/asterisk/asterisk.ctl exist?)"
	exit 1
fi
[ "$1" = -rx ] || exit 2
has() { grep -qs '^\[cisco-check-cfg\]' "$FAKE_ASTERISK_CONF"/$1; }
peer=${2##* }
case "$2" in
"core show version") echo "Asterisk 18.20.0 built by fake" ;;
"sip notify cisco-check-cfg "*)
	if has 'sip_notify*.conf'; then echo "Sending NOTIFY of type 'cisco-check-cfg' to '$peer'"
	else echo "Unable to find notify type 'cisco-check-cfg'"; fi ;;
"pjsip send notify cisco-check-cfg endpoint "*)
	if ! has 'pjsip_notify*.conf'; then echo "Unable to find notify type 'cisco-check-cfg'"; exit 0; fi
	echo "Sending NOTIFY of type 'cisco-check-cfg' to '$peer'"
	[ "$peer" = 9999 ] && echo "Unable to retrieve endpoint $peer" ;;
"sip reload" | "module reload res_pjsip_notify.so") ;;
*) echo "No such command '$2' (type 'core show help $2' for other possible commands)" ;;
esac
exit 0
`

func fakeAsteriskDir(t *testing.T) (bin, conf string) {
	t.Helper()
	dir := t.TempDir()
	bin = filepath.Join(dir, "asterisk")
	if err := os.WriteFile(bin, []byte(fakeAsterisk), 0o755); err != nil {
		t.Fatal(err)
	}
	conf = filepath.Join(dir, "etc")
	if err := os.Mkdir(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKE_ASTERISK_CONF", conf)
	return bin, conf
}

func asteriskLog(t *testing.T, bin string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(bin), "asterisk.log"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

func TestAsteriskNotify(t *testing.T) {
	bin, conf := fakeAsteriskDir(t)
	// FreePBX's own files, and an admin's custom file kept as it is.
	write := func(name, text string, perm os.FileMode) {
		if err := os.WriteFile(filepath.Join(conf, name), []byte(text), perm); err != nil {
			t.Fatal(err)
		}
	}
	write("sip_notify.conf", "#include sip_notify_custom.conf\n#include sip_notify_additional.conf\n", 0o644)
	write("pjsip_notify_custom.conf", "[polycom-check-cfg]\nEvent=>check-sync", 0o640)
	phones, port := startPhones(t, true, 7)
	leases := filepath.Join(t.TempDir(), "leases")
	if err := os.WriteFile(leases, []byte("lease 127.0.0.7 {\n binding state active;\n hardware ethernet 00:11:22:aa:bb:03;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	targets := []Target{
		{MAC: macA, Lines: []Line{{Ext: "1001", Tech: "sip"}, {Ext: "1002", Tech: "sip"}}},
		{MAC: macB, Lines: []Line{{Ext: "2001", Tech: "pjsip"}}},
		{MAC: macC, Lines: []Line{{Ext: "9999", Tech: "pjsip"}}}, // Asterisk cannot reach it
	}
	o := Options{Asterisk: bin, ConfDir: conf, Leases: leases, PhonePort: port, Timeout: 3 * time.Second}
	res, err := Notify(context.Background(), targets, o)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{
		`asterisk -rx "sip notify cisco-check-cfg 1001"`,
		`asterisk -rx "pjsip send notify cisco-check-cfg endpoint 2001"`,
		"NOTIFY to 127.0.0.7:" + itoa(port),
	} {
		if res[i].Via != want || res[i].Err != nil {
			t.Errorf("result %d: %+v, want via %s", i, res[i], want)
		}
	}
	if got := phones[0].got(); len(got) != 1 || got[0] != "check-sync" {
		t.Errorf("the phone Asterisk could not reach got %q directly", got)
	}
	wantLog := []string{
		"-rx core show version",
		"-rx sip reload",
		"-rx module reload res_pjsip_notify.so",
		"-rx sip notify cisco-check-cfg 1001",
		"-rx pjsip send notify cisco-check-cfg endpoint 2001",
		"-rx pjsip send notify cisco-check-cfg endpoint 9999",
	}
	if got := asteriskLog(t, bin); strings.Join(got, "\n") != strings.Join(wantLog, "\n") {
		t.Errorf("asterisk ran:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantLog, "\n"))
	}
	custom, _ := os.ReadFile(filepath.Join(conf, "pjsip_notify_custom.conf"))
	if !strings.HasPrefix(string(custom), "[polycom-check-cfg]\nEvent=>check-sync\n\n;") || !strings.HasSuffix(string(custom), "[cisco-check-cfg]\nEvent=>check-sync\n") {
		t.Errorf("pjsip_notify_custom.conf:\n%s", custom)
	}
	if fi, _ := os.Stat(filepath.Join(conf, "pjsip_notify_custom.conf")); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the file's own 0640", fi.Mode().Perm())
	}
	sipCustom, _ := os.ReadFile(filepath.Join(conf, "sip_notify_custom.conf"))
	if !strings.Contains(string(sipCustom), "[cisco-check-cfg]\nEvent=>check-sync\nContent-Length=>0\n") {
		t.Errorf("sip_notify_custom.conf:\n%s", sipCustom)
	}

	// Again: the types are there, so no file changes and no reload.
	os.Remove(filepath.Join(filepath.Dir(bin), "asterisk.log"))
	if _, err := Notify(context.Background(), targets[:2], o); err != nil {
		t.Fatal(err)
	}
	if got := asteriskLog(t, bin); len(got) != 3 || strings.Contains(strings.Join(got, " "), "reload") {
		t.Errorf("second run ran %q", got)
	}
	again, _ := os.ReadFile(filepath.Join(conf, "pjsip_notify_custom.conf"))
	if string(again) != string(custom) {
		t.Errorf("pjsip_notify_custom.conf changed again:\n%s", again)
	}
}

func TestAsteriskDown(t *testing.T) {
	bin, conf := fakeAsteriskDir(t)
	if err := os.WriteFile(filepath.Join(filepath.Dir(bin), "down"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	targets := []Target{{MAC: macB, Lines: []Line{{Ext: "2001", Tech: "pjsip"}}}}
	_, err := Notify(context.Background(), targets, Options{Via: Asterisk, Asterisk: bin, ConfDir: conf})
	if !errors.Is(err, ErrNoAsterisk) {
		t.Errorf("Via Asterisk, Asterisk down: %v", err)
	}
	// Auto falls back to a direct NOTIFY.
	phones, port := startPhones(t, true, 3)
	res, err := Notify(context.Background(), targets, Options{Asterisk: bin, ConfDir: conf, Leases: leasesFile(t), PhonePort: port})
	if err != nil || res[0].Err != nil || len(phones[0].got()) != 1 {
		t.Errorf("Auto with Asterisk down: %v %+v, phone got %q", err, res, phones[0].got())
	}
	if _, err := os.Stat(filepath.Join(conf, "pjsip_notify_custom.conf")); err == nil {
		t.Error("notify file written although Asterisk is not used")
	}
}

func TestSyncInfo(t *testing.T) {
	got, err := SyncInfo("42")
	if err != nil || string(got) != "<IMAGE VERSION=\"*\" SYNC=\"42\"/>\n" { // Cisco's bare form (issue 10.2)
		t.Errorf("SyncInfo(42) = %q, %v", got, err)
	}
	if g, err := ParseSyncInfo([]byte("<SYNCINFO>\n<IMAGE VERSION=\"*\" SYNC=\"41\"/>\n</SYNCINFO>\n")); g != "41" || err != nil {
		t.Errorf("wrapped form written before: %q, %v", g, err)
	}
	if g, err := ParseSyncInfo(got); g != "42" || err != nil {
		t.Errorf("ParseSyncInfo = %q, %v", g, err)
	}
	if g, err := ParseSyncInfo([]byte(`<IMAGE VERSION="P0S3-8-12-00" SYNC="7"/><IMAGE VERSION="*" SYNC="0001"/>`)); g != "0001" || err != nil {
		t.Errorf("FusionPBX style: %q, %v", g, err)
	}
	for _, bad := range []string{"", strings.Repeat("9", 33), "a b", `x"y`} {
		if _, err := SyncInfo(bad); err == nil {
			t.Errorf("SyncInfo(%q) accepted", bad)
		}
	}
	if _, err := SyncInfo(strings.Repeat("9", 32)); err != nil {
		t.Errorf("32 characters: %v", err)
	}
	for in, want := range map[string]string{"1": "2", "41": "42", "0001": "2", "": "2", "abc": "2", "0": "2", "18446744073709551615": "2"} {
		if got := NextGeneration(in); got != want {
			t.Errorf("NextGeneration(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"sync: 5\n": "5", "a: 1\n  sync : \"17\" ; comment\n": "17"} {
		if got, ok := CnfSync([]byte(in)); !ok || got != want {
			t.Errorf("CnfSync(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := CnfSync([]byte("# sync: 3\nsync_x: 4\n")); ok {
		t.Error("CnfSync found a sync in a comment or another key")
	}
}
