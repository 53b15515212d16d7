package phoneemu

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

func TestSyncFor(t *testing.T) {
	both := `<SYNCINFO>
<IMAGE VERSION="P0S3-07-5-00" SYNC="7"/>
<IMAGE VERSION="*" SYNC="3"/>
</SYNCINFO>
`
	for _, tc := range []struct {
		data, image, want string
		ok                bool
	}{
		{both, "P0S3-07-5-00", "7", true},
		{both, "P0S3-8-12-00", "3", true},
		{`<IMAGE VERSION="*" SYNC="0001"/>`, "P0S3-8-12-00", "0001", true}, // FusionPBX: no wrapper
		{`<SYNCINFO><IMAGE VERSION="P0S3-07-5-00" SYNC="7"/></SYNCINFO>`, "P0S3-8-12-00", "", false},
		{`<SYNCINFO><IMAGE VERSION="*"/></SYNCINFO>`, "P0S3-8-12-00", "", false},
		// Cisco's bare form, one entry per line; its own image first (2a).
		{"<IMAGE VERSION=\"*\" SYNC=\"3\"/>\n<IMAGE VERSION=\"P0S3-8-12-00\" SYNC=\"9\"/>\n", "P0S3-8-12-00", "9", true},
		// Not Cisco's spelling: not an entry the phone knows.
		{`<image version="*" sync="4"/>`, "P0S3-8-12-00", "", false},
	} {
		got, ok, err := SyncFor([]byte(tc.data), tc.image)
		if err != nil || got != tc.want || ok != tc.ok {
			t.Errorf("SyncFor(%q, %s) = %q, %v, %v; want %q, %v", tc.data, tc.image, got, ok, err, tc.want, tc.ok)
		}
	}
	if _, _, err := SyncFor([]byte(`<SYNCINFO><IMAGE VERSION="*" SYNC="2"></SYNCINFO>`), "x"); err == nil {
		t.Error("broken XML: no error")
	}
}

func TestBootSync(t *testing.T) {
	for _, tc := range []struct {
		name, def, per, want, from string
	}{
		{"none", "", "", "1", "the phones' default"},
		{"SIPDefault.cnf", "sync: 5\n", "", "5", "SIPDefault.cnf"},
		{"per-phone wins", "sync: 5\n", `sync: "6" ; generation` + "\n", "6", "SIP001B54796001.cnf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := site(t)
			write(t, dir, "SIPDefault.cnf", sipDefault+tc.def, 0o644)
			per, _ := os.ReadFile(filepath.Join(dir, "SIP001B54796001.cnf"))
			write(t, dir, "SIP001B54796001.cnf", string(per)+tc.per, 0o644)
			r := Boot(serve(t, dir), Phone{MAC: "001B54796001", Model: "7960"}, nil)
			if !r.OK() || r.Sync != tc.want || r.SyncFrom != tc.from {
				t.Errorf("sync %q from %q (failure %q), want %q from %q", r.Sync, r.SyncFrom, r.Failure, tc.want, tc.from)
			}
		})
	}
}

// bootedSite boots the 7960 of site() with sync: 2 in its SIP<MAC>.cnf.
func bootedSite(t *testing.T) (string, *Booted) {
	t.Helper()
	dir := site(t)
	per, _ := os.ReadFile(filepath.Join(dir, "SIP001B54796001.cnf"))
	write(t, dir, "SIP001B54796001.cnf", "sync: 2\n"+string(per), 0o644)
	c := serve(t, dir)
	p := Phone{MAC: "001B54796001", Model: "7960"}
	r := Boot(c, p, nil)
	if !r.OK() || r.Sync != "2" {
		t.Fatalf("boot: sync %q, failure %q", r.Sync, r.Failure)
	}
	b := NewBooted(c, p, r)
	if b.Phone.Running != "P0S3-8-12-00" {
		t.Fatalf("runs %q after booting", b.Phone.Running)
	}
	return dir, b
}

func TestCheckSync(t *testing.T) {
	dir, b := bootedSite(t)

	cs := b.CheckSync(nil)
	if cs.Reboot || !strings.Contains(cs.Reason, "no syncinfo.xml") || names(cs.Fetches) != "syncinfo.xml dialplan.xml" {
		t.Errorf("without syncinfo.xml: %+v", cs)
	}

	write(t, dir, SyncInfoFile, "<SYNCINFO>\n<IMAGE VERSION=\"*\" SYNC=\"2\"/>\n</SYNCINFO>\n", 0o644)
	cs = b.CheckSync(nil)
	if cs.Reboot || cs.SyncInfo != "2" || cs.Boot != nil || cs.String() != "syncinfo.xml SYNC 2, running sync 2 (from SIP001B54796001.cnf): no reboot" {
		t.Errorf("same sync: %+v %s", cs, cs)
	}

	// The writer's scheme: the phone's file and syncinfo.xml move to 3.
	write(t, dir, SyncInfoFile, "<SYNCINFO>\n<IMAGE VERSION=\"*\" SYNC=\"3\"/>\n</SYNCINFO>\n", 0o644)
	per, _ := os.ReadFile(filepath.Join(dir, "SIP001B54796001.cnf"))
	write(t, dir, "SIP001B54796001.cnf", strings.Replace(string(per), "sync: 2", "sync: 3", 1), 0o644)
	var seen []Fetch
	cs = b.CheckSync(func(f Fetch) { seen = append(seen, f) })
	if !cs.Reboot || cs.Old != "2" || cs.SyncInfo != "3" || cs.Boot == nil || !cs.Boot.OK() {
		t.Fatalf("new sync: %+v", cs)
	}
	// It reboots on the load it runs: config files again, no image download.
	want := "syncinfo.xml dialplan.xml CTLSEP001B54796001.tlv SEP001B54796001.cnf.xml P0S3-8-12-00.loads SIPDefault.cnf SIP001B54796001.cnf RINGLIST.DAT dialplan.xml"
	if got := names(seen); got != want {
		t.Errorf("requests:\n got %s\nwant %s", got, want)
	}
	if cs.Boot.Upgrade || b.Sync != "3" || b.SyncFrom != "SIP001B54796001.cnf" {
		t.Errorf("after the reboot: upgrade %v, runs sync %q from %q", cs.Boot.Upgrade, b.Sync, b.SyncFrom)
	}
	if cs = b.CheckSync(nil); cs.Reboot {
		t.Errorf("a second check-sync rebooted again: %+v", cs)
	}

	// A phone whose file was not rewritten (still sync 3) while syncinfo.xml
	// moved on reboots, and keeps running its old sync: it would reboot on
	// every check-sync, which is why the writer notifies changed phones only.
	write(t, dir, SyncInfoFile, `<IMAGE VERSION="*" SYNC="4"/>`, 0o644)
	if cs = b.CheckSync(nil); !cs.Reboot || b.Sync != "3" {
		t.Errorf("stale file: reboot %v, sync %q", cs.Reboot, b.Sync)
	}
}

// notify sends one NOTIFY with the Event header ev (none if empty) to the
// listener at addr from a sipgo client on loopback and returns the answer.
func notify(t *testing.T, addr, ev string) int {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	ua, err := sipgo.NewUA(sipgo.WithUserAgent("setup-cisco-test"),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(quiet)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(quiet)))
	if err != nil {
		t.Fatal(err)
	}
	defer ua.Close()
	c, err := sipgo.NewClient(ua, sipgo.WithClientLogger(quiet),
		sipgo.WithClientHostname("127.0.0.1"), sipgo.WithClientConnectionAddr("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(addr)
	var uri sip.Uri
	if err := sip.ParseUri("sip:1001@"+host+":"+port, &uri); err != nil {
		t.Fatal(err)
	}
	req := sip.NewRequest(sip.NOTIFY, uri)
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: "asterisk", Host: "127.0.0.1"}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(16))
	req.AppendHeader(from)
	if ev != "" {
		req.AppendHeader(sip.NewHeader("Event", ev))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := c.Do(ctx, req)
	if err != nil {
		t.Fatalf("NOTIFY %s: %v", ev, err)
	}
	return res.StatusCode
}

func TestListener(t *testing.T) {
	// sipgo warns through its global logger when a client closes (its
	// goroutines outlive the test: set once, never restored).
	sip.SetDefaultLogger(slog.New(slog.DiscardHandler))
	dir, b := bootedSite(t)
	write(t, dir, SyncInfoFile, `<SYNCINFO><IMAGE VERSION="*" SYNC="2"/></SYNCINFO>`, 0o644)

	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var notifies []Notify
	checks := make(chan CheckSync, 10)
	reboots := make(chan Result, 10)
	l := &Listener{
		Phone: b,
		OnNotify: func(n Notify) {
			mu.Lock()
			notifies = append(notifies, n)
			mu.Unlock()
		},
		OnCheckSync: func(cs CheckSync) { checks <- cs },
		OnReboot:    func(r Result) { reboots <- r },
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- l.Serve(ctx, conn) }()
	addr := conn.LocalAddr().String()
	next := func() CheckSync {
		t.Helper()
		select {
		case cs := <-checks:
			return cs
		case <-time.After(10 * time.Second):
			t.Fatal("no check-sync outcome")
		}
		return CheckSync{}
	}

	// Not check-sync: answered, not acted on.
	for _, ev := range []string{"message-summary", ""} {
		if code := notify(t, addr, ev); code != 200 {
			t.Errorf("NOTIFY %q answered %d", ev, code)
		}
	}
	// check-sync, sync unchanged: no reboot.
	if code := notify(t, addr, "check-sync"); code != 200 {
		t.Errorf("check-sync answered %d", code)
	}
	if cs := next(); cs.Reboot || cs.SyncInfo != "2" {
		t.Errorf("unchanged: %+v", cs)
	}
	// check-sync after the writer moved the phone to 3: reboot, runs 3.
	write(t, dir, SyncInfoFile, `<SYNCINFO><IMAGE VERSION="*" SYNC="3"/></SYNCINFO>`, 0o644)
	per, _ := os.ReadFile(filepath.Join(dir, "SIP001B54796001.cnf"))
	write(t, dir, "SIP001B54796001.cnf", strings.Replace(string(per), "sync: 2", "sync: 3", 1), 0o644)
	if code := notify(t, addr, "Check-Sync;reboot=true"); code != 200 {
		t.Errorf("check-sync answered %d", code)
	}
	if cs := next(); !cs.Reboot || cs.Old != "2" || cs.SyncInfo != "3" {
		t.Errorf("changed: %+v", cs)
	}
	select {
	case r := <-reboots:
		if !r.OK() || r.Sync != "3" || r.Upgrade {
			t.Errorf("reboot: %+v", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no reboot")
	}

	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	select {
	case cs := <-checks:
		t.Errorf("an extra check-sync outcome: %+v", cs)
	case r := <-reboots:
		t.Errorf("an extra reboot: %+v", r)
	default:
	}
	mu.Lock()
	defer mu.Unlock()
	var got []string
	for _, n := range notifies {
		if !strings.HasPrefix(n.From, "127.0.0.1:") || n.Status != 200 {
			t.Errorf("notify %+v", n)
		}
		got = append(got, n.Event+"="+map[bool]string{true: "act", false: "ignore"}[n.CheckSync])
	}
	if strings.Join(got, " ") != "message-summary=ignore =ignore check-sync=act check-sync=act" {
		t.Errorf("notifies: %v", got)
	}
	if b.Sync != "3" {
		t.Errorf("runs sync %q", b.Sync)
	}
}
