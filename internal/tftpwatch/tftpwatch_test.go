package tftpwatch

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// sample is atftpd 0.8.0's own log (--verbose=7) from a scripts/e2e run:
// a 7960 on 8.11 upgrading to 8.12, a 7940 on 6.3 to its pinned 7.5, the
// 7960 again in each broken case, and a phone not in the inventory.
func sample(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/atftpd.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

func TestParseSample(t *testing.T) {
	p := NewParser()
	var req []string
	outcome := map[string]Kind{}
	for _, l := range sample(t) {
		e, ok := p.Line(l)
		if !ok || e.Client.String() != "10.79.60.100" {
			continue
		}
		if e.Kind == Requested {
			req = append(req, e.File)
		} else if _, seen := outcome[e.File]; !seen {
			outcome[e.File] = e.Kind
		}
	}
	first := []string{"CTLSEP001B54796001.tlv", "SEP001B54796001.cnf.xml", "P0S3-08-11-00.loads", "SIPDefault.cnf",
		"SIP001B54796001.cnf", "RINGLIST.DAT", "dialplan.xml",
		"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"}
	if len(req) < len(first) || !slices.Equal(req[:len(first)], first) {
		t.Errorf("first boot's requests:\n got %v\nwant %v", req, first)
	}
	// Outcomes are logged on the request's thread, often after the next
	// request of another thread.
	for f, k := range map[string]Kind{"CTLSEP001B54796001.tlv": NotFound, "SEP001B54796001.cnf.xml": Sent,
		"SIPDefault.cnf": Sent, "RINGLIST.DAT": NotFound, "dialplan.xml": Sent, "P003-8-12-00.sbn": Sent} {
		if outcome[f] != k {
			t.Errorf("%s: outcome %v, want %v", f, outcome[f], k)
		}
	}
}

func TestTrackerSample(t *testing.T) {
	tr := &Tracker{Describe: func(m macaddr.MAC) string {
		return map[macaddr.MAC]string{"001B54796001": "ext 1001, 7960", "001B54794002": "ext 2001, 7940"}[m]
	}}
	p := NewParser()
	var out []string
	for _, l := range sample(t) {
		if e, ok := p.Line(l); ok {
			if msg := tr.Handle(e); msg != "" {
				out = append(out, msg)
			}
		}
	}
	all := strings.Join(out, "\n")
	for _, want := range []string{
		"Nov 25 11:04:08 001B54796001 (ext 1001, 7960) 10.79.60.100: asked for SEP001B54796001.cnf.xml: running SCCP or 8.x XML first",
		"001B54796001 (ext 1001, 7960) 10.79.60.100: config fetched: SIP001B54796001.cnf",
		"001B54796001 (ext 1001, 7960) 10.79.60.100: downloading image P0S3-8-12-00.loads",
		// Before its first per-phone file the MAC is unknown.
		"Nov 25 11:04:09 10.79.60.101: fetched OS79XX.TXT",
		"001B54796001 (ext 1001, 7960) 10.79.60.100: file not found: SIP001B54796001.cnf",
		"001B54796099 (not in the inventory) 10.79.60.102: file not found: SIP001B54796099.cnf (phone not in the inventory? setup-cisco phone add)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing line %q in:\n%s", want, all)
		}
	}
	if strings.Contains(all, "CTLSEP") {
		t.Error("a missing CTLSEP file is normal and must not be shown")
	}
	sum := tr.Summary()
	want := []string{
		"001B54796001 (ext 1001, 7960) 10.79.60.100: 40 request(s); stopped at: file not found: P0S3-8-12-00.sb2",
		"001B54794002 (ext 2001, 7940) 10.79.60.101: 8 request(s); last: image file sent: P003-07-5-00.sbn",
		"001B54796099 (not in the inventory) 10.79.60.102: 5 request(s); stopped at: file not found: SIP001B54796099.cnf (phone not in the inventory? setup-cisco phone add)",
	}
	if !slices.Equal(sum, want) {
		t.Errorf("summary:\n got %q\nwant %q", sum, want)
	}
}

func TestTrackerUnreadable(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "SIPDefault.cnf"), []byte("image_version: P0S3-8-12-00\n"), 0o600)
	tr := &Tracker{Root: root}
	p := NewParser()
	var got string
	for _, l := range []string{
		"Nov 25 10:57:17 vm atftpd[1.2]: Serving SIPDefault.cnf to 10.0.0.5:52331",
		"Nov 25 10:57:17 vm atftpd[1.2]: File /srv/tftp/SIPDefault.cnf not found",
	} {
		if e, ok := p.Line(l); ok {
			if m := tr.Handle(e); m != "" {
				got = m
			}
		}
	}
	if !strings.Contains(got, "file not found: SIPDefault.cnf (it is in "+root+" now") {
		t.Errorf("got %q", got)
	}
}

// tftpd-hpa (-v) logs through syslog: "RRQ from A filename F" and, for a
// refusal, "sending NAK (code, text) to A".
func TestParseHPA(t *testing.T) {
	p := NewParser()
	e1, ok1 := p.Line("Nov 25 10:00:00 pbx in.tftpd[812]: RRQ from 192.168.0.151 filename SIP001B54796001.cnf")
	e2, ok2 := p.Line("Nov 25 10:00:00 pbx in.tftpd[812]: sending NAK (1, File not found) to 192.168.0.151")
	if !ok1 || !ok2 || e1.Kind != Requested || e2.Kind != NotFound || e2.File != "SIP001B54796001.cnf" {
		t.Errorf("got %+v %v, %+v %v", e1, ok1, e2, ok2)
	}
}

func TestFollow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "atftpd.log")
	if err := os.WriteFile(path, []byte("old 1\nold 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := Follow(context.Background(), path, true, true, func(l string) { got = append(got, l) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"old 1\n", "old 2\n"}) {
		t.Errorf("--from-start --once: %q", got)
	}

	// Without --from-start only new lines come, also after logrotate
	// renames the file and the daemon starts a new one.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lines := make(chan string, 10)
	done := make(chan error)
	go func() { done <- Follow(ctx, path, false, false, func(l string) { lines <- l }) }()
	next := func() string {
		select {
		case l := <-lines:
			return l
		case <-time.After(10 * time.Second):
			t.Fatal("no line")
			return ""
		}
	}
	appendLine := func(s string) {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(s)
		f.Close()
	}
	time.Sleep(2 * pollEvery) // let Follow reach the end before appending
	appendLine("new 1\n")
	if l := next(); l != "new 1\n" {
		t.Errorf("got %q, want new 1", l)
	}
	os.Rename(path, path+".1")
	appendLine("rotated 1\n")
	if l := next(); l != "rotated 1\n" {
		t.Errorf("got %q after rotation", l)
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}
