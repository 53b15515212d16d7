package tftpwatch

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// track runs lines through a parser and a tracker and returns the lines
// shown and the summary.
func track(p *Parser, tr *Tracker, lines []string) (string, string) {
	var out []string
	for _, l := range lines {
		if e, ok := p.Line(l); ok {
			if m := tr.Handle(e); m != "" {
				out = append(out, m)
			}
		}
	}
	return strings.Join(out, "\n"), strings.Join(tr.Summary(), "\n")
}

// dnsmasq 2.90's own lines (--log-facility FILE: no host name), captured
// from the real daemon by TestRealDaemons' first version.
func TestParseDnsmasqFile(t *testing.T) {
	p := NewParser()
	var got []Event
	for _, l := range readLines(t, "testdata/dnsmasq.log") {
		if e, ok := p.Line(l); ok {
			got = append(got, e)
		}
	}
	if p.Root != "/tmp/sites-tftpd/root" || p.Known != 5 {
		t.Errorf("root %q, known %d", p.Root, p.Known)
	}
	if len(got) != 2 || got[0].Kind != Sent || got[0].File != "SIPDefault.cnf" || got[0].Client.String() != "127.0.0.1" ||
		got[1].Kind != NotFound || got[1].File != "SIP001122334455.cnf" || got[1].Client.String() != "127.0.0.1" {
		t.Errorf("events %+v", got)
	}
}

func TestParseDnsmasqSyslog(t *testing.T) {
	for _, c := range []struct {
		line string
		want Event
	}{
		{"Apr  2 13:58:54 pbx dnsmasq-tftp[31943]: sent /srv/tftp/SIPDefault.cnf to 10.20.35.130", Event{File: "SIPDefault.cnf", Kind: Sent}},
		{"Apr  2 13:58:54 pbx dnsmasq-tftp[31943]: failed sending /srv/tftp/P0S3-8-12-00.sb2 to 10.20.35.130", Event{File: "P0S3-8-12-00.sb2", Kind: Refused}},
		// before dnsmasq 2.86 a miss names no client
		{"Apr  2 13:58:54 pbx dnsmasq-tftp[31943]: file /srv/tftp/SIP001B54796001.cnf not found", Event{File: "SIP001B54796001.cnf", Kind: NotFound}},
		{"Apr  2 13:58:54 pbx dnsmasq-tftp[31943]: cannot access /srv/tftp/SIPDefault.cnf: Permission denied", Event{File: "SIPDefault.cnf", Kind: Refused}},
		{"Apr  2 13:58:54 pbx dnsmasq-tftp[31943]: error 0 Transfer cancelled received from 10.20.35.130", Event{Kind: Refused}},
		{"2026-11-29T10:00:00+00:00 pbx dnsmasq-tftp[1]: sent /srv/tftp/dialplan.xml to 10.20.35.130", Event{File: "dialplan.xml", Kind: Sent}},
	} {
		p := NewParser()
		p.Root = "/srv/tftp/"
		e, ok := p.Line(c.line)
		if !ok || e.Kind != c.want.Kind || e.File != c.want.File {
			t.Errorf("%q: got %+v %v", c.line, e, ok)
		}
	}
	// DNS and DHCP lines of the same dnsmasq are known but no TFTP step.
	p := NewParser()
	if _, ok := p.Line("Apr  2 13:59:01 pbx dnsmasq-dhcp[31943]: 653460281 tags: eth0"); ok {
		t.Error("a DHCP line read as a TFTP event")
	}
}

// CentOS/RHEL tftp-server (in.tftpd under xinetd): the request, then the
// outcome; a miss must end as "file not found", never as "downloading".
func TestParseRHEL(t *testing.T) {
	lines := []string{
		"Nov 29 10:00:01 trixbox xinetd[2001]: START: tftp pid=4101 from=192.168.1.50",
		"Nov 29 10:00:01 trixbox in.tftpd[4101]: RRQ from 192.168.1.50 filename SIPDefault.cnf",
		"Nov 29 10:00:01 trixbox in.tftpd[4101]: Client 192.168.1.50 finished SIPDefault.cnf",
		"Nov 29 10:00:02 trixbox in.tftpd[4102]: RRQ from 192.168.1.50 filename SIP001B54796001.cnf",
		"Nov 29 10:00:02 trixbox in.tftpd[4102]: Client 192.168.1.50 File not found SIP001B54796001.cnf",
		"Nov 29 10:00:03 trixbox in.tftpd[4103]: RRQ from 192.168.1.50 filename P0S3-8-12-00.loads",
		"Nov 29 10:00:03 trixbox in.tftpd[4103]: Client 192.168.1.50 File not found P0S3-8-12-00.loads",
	}
	tr := &Tracker{Describe: func(macaddr.MAC) string { return "" }}
	out, sum := track(NewParser(), tr, lines)
	for _, want := range []string{
		"config fetched: SIPDefault.cnf",
		"file not found: SIP001B54796001.cnf (phone not in the inventory? setup-cisco phone add)",
		"asked for image P0S3-8-12-00.loads",
		"file not found: P0S3-8-12-00.loads",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "downloading") || !strings.Contains(sum, "stopped at: file not found: P0S3-8-12-00.loads") {
		t.Errorf("a miss shown as a download:\n%s\n%s", out, sum)
	}
}

// tftpd-hpa 5.2 (Debian): the format strings of its in.tftpd ("%s from %s
// filename %s", "sending NAK (%d, %s) to %s"), IPv6-mapped clients.
func TestParseHPAMapped(t *testing.T) {
	p := NewParser()
	e1, _ := p.Line("Nov 29 10:00:00 pbx in.tftpd[812]: RRQ from ::ffff:192.168.0.151 filename P0S3-8-12-00.sb2")
	e2, ok := p.Line("Nov 29 10:00:00 pbx in.tftpd[812]: sending NAK (1, File not found) to ::ffff:192.168.0.151")
	if !ok || !e1.Asked || e2.Kind != NotFound || e2.File != "P0S3-8-12-00.sb2" || e2.Client.String() != "192.168.0.151" {
		t.Errorf("%+v / %+v", e1, e2)
	}
	e3, _ := p.Line("Nov 29 10:00:01 pbx in.tftpd[813]: RRQ from 192.168.0.151 filename x remapped to y")
	e4, ok := p.Line("Nov 29 10:00:01 pbx in.tftpd[813]: sending NAK (2, Access violation) to 192.168.0.151")
	if !ok || e3.File != "x" || e4.Kind != Refused || e4.Detail != "Access violation" {
		t.Errorf("%+v / %+v", e3, e4)
	}
}

// The field case: a log of some other TFTP server: no line known.
func TestUnknownFormat(t *testing.T) {
	p := NewParser()
	out, sum := track(p, &Tracker{}, readLines(t, "testdata/tftp-unknown-format.log"))
	if out != "" || sum != "" || p.Lines != 5 || p.Known != 0 {
		t.Errorf("out %q sum %q lines %d known %d", out, sum, p.Lines, p.Known)
	}
	for _, d := range []string{"atftpd", "tftpd-hpa", "RHEL", "dnsmasq"} {
		if !strings.Contains(Formats, d) {
			t.Errorf("Formats does not name %s", d)
		}
	}
}

// "phone not in the inventory?" only for phones that are not in it.
func TestInventoryHint(t *testing.T) {
	lines := []string{
		"Nov 25 10:00:00 pbx in.tftpd[1]: RRQ from 10.0.0.5 filename SIP001B54796001.cnf",
		"Nov 25 10:00:00 pbx in.tftpd[1]: sending NAK (1, File not found) to 10.0.0.5",
		"Nov 25 10:00:01 pbx in.tftpd[2]: RRQ from 10.0.0.6 filename SIP001B54796002.cnf",
		"Nov 25 10:00:01 pbx in.tftpd[2]: sending NAK (1, File not found) to 10.0.0.6",
		"Nov 25 10:00:02 pbx in.tftpd[3]: RRQ from 10.0.0.7 filename SIP001B54796003.cnf",
		"Nov 25 10:00:02 pbx in.tftpd[3]: sending NAK (1, File not found) to 10.0.0.7",
	}
	tr := &Tracker{
		Describe: func(m macaddr.MAC) string {
			return map[macaddr.MAC]string{"001B54796001": "ext 1001, 7960", "001B54796002": "in the inventory, not written"}[m]
		},
		Problem: func(m macaddr.MAC) string {
			return map[macaddr.MAC]string{"001B54796002": "line 3 is beyond the 7940's 2 lines"}[m]
		},
	}
	out, _ := track(NewParser(), tr, lines)
	for _, want := range []string{
		"001B54796001 (ext 1001, 7960) 10.0.0.5: file not found: SIP001B54796001.cnf (the phone is in the inventory, but its file is not written yet: run setup-cisco)",
		"10.0.0.6: file not found: SIP001B54796002.cnf (its inventory entry has a problem: line 3 is beyond the 7940's 2 lines; setup-cisco phone list)",
		"001B54796003 (not in the inventory) 10.0.0.7: file not found: SIP001B54796003.cnf (phone not in the inventory? setup-cisco phone add)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Count(out, "phone not in the inventory?") != 1 {
		t.Errorf("hint for an inventory phone:\n%s", out)
	}
}

// A request's file name is the requesting host's choice, and every daemon
// logs it byte for byte; the daemons' own words may carry it too. No
// line watch shows holds a control character, whichever format brought it.
func TestControlCharactersQuoted(t *testing.T) {
	const bad = "SIP001122AABBCC.cnf\x1b[2J\x1b]0;pwned\x07"
	root := t.TempDir()
	for name, log := range map[string]string{
		"atftpd": "Nov 25 11:04:09 vm atftpd[1.2]: Serving " + bad + " to 10.0.0.1:1\n" +
			"Nov 25 11:04:09 vm atftpd[1.2]: File " + root + "/" + bad + " not found\n" +
			"Nov 25 11:04:10 vm atftpd[1.3]: Serving x\x1b[1m to 10.0.0.1:1\n" +
			"Nov 25 11:04:10 vm atftpd[1.3]: File name with \x1b[1m forbidden\n",
		"tftpd-hpa": "Nov 25 11:04:09 pbx in.tftpd[9]: RRQ from 10.0.0.2 filename " + bad + "\n" +
			"Nov 25 11:04:09 pbx in.tftpd[9]: sending NAK (2, Access \x1b[2J violation) to 10.0.0.2\n",
		"RHEL": "Nov 25 11:04:09 pbx in.tftpd[9]: Client 10.0.0.3 File not found " + bad + "\n",
		"dnsmasq": "Nov 25 11:04:09 pbx dnsmasq-tftp[5]: TFTP root is " + root + "\n" +
			"Nov 25 11:04:09 pbx dnsmasq-tftp[5]: file " + root + "/" + bad + " not found for 10.0.0.4\n" +
			"Nov 25 11:04:09 pbx dnsmasq-tftp[5]: cannot access " + root + "/x\x07: Permission \x1b[2Jdenied\n" +
			"Nov 25 11:04:09 pbx dnsmasq-tftp[5]: error 0 \x1b]0;pwned\x07 received from 10.0.0.4\n",
	} {
		p, tr := NewParser(), &Tracker{Root: root}
		lines, summary := track(p, tr, strings.Split(log, "\n"))
		out := lines + "\n" + summary
		if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `\x1b[2J`) {
			t.Errorf("%s: control characters shown raw, or the name not at all:\n%s", name, out)
		}
	}
}

// atftpd names the directory it serves at its start (--verbose=6 and up)
// and each miss by its full path there; a log rotated past the start still
// shows the directory in its misses. A restart forgets the old directory.
func TestAtftpdDaemonRoot(t *testing.T) {
	for _, tc := range []struct{ log, want string }{
		{"Nov 25 11:04:06 vm atftpd[6.1]: Advanced Trivial FTP server started (0.8.0)\n" +
			"Nov 25 11:04:06 vm atftpd[6.1]:   directory: /var/lib/tftpboot/\n", "/var/lib/tftpboot"},
		{"Nov 25 11:05:08 vm atftpd[6.2]: Serving SIPDefault.cnf to 10.0.0.1:3\n" +
			"Nov 25 11:05:08 vm atftpd[6.2]: File /var/lib/tftpboot/SIPDefault.cnf not found\n", "/var/lib/tftpboot"},
		{"Nov 25 11:05:08 vm atftpd[6.2]: Serving ./SIPDefault.cnf to 10.0.0.1:3\n" +
			"Nov 25 11:05:08 vm atftpd[6.2]: File /srv/tftp/./SIPDefault.cnf not found\n", "/srv/tftp"},
		// through syslog, the indent may be gone
		{"Nov 25 11:04:06 vm atftpd[6]: directory: /srv/tftp/\n", "/srv/tftp"},
		// pcre remapping: the path is not the name asked for in a directory.
		{"Nov 25 11:05:08 vm atftpd[6.2]: Serving SIPDefault.cnf to 10.0.0.1:3\n" +
			"Nov 25 11:05:08 vm atftpd[6.2]: File /srv/tftp/default.cnf not found\n", ""},
		{"Nov 25 11:04:06 vm atftpd[6.1]:   directory: /var/lib/tftpboot/\n" +
			"Nov 25 12:00:00 vm atftpd[7.1]: Advanced Trivial FTP server started (0.8.0)\n", ""},
	} {
		p := NewParser()
		for _, l := range strings.Split(tc.log, "\n") {
			p.Line(l)
		}
		if p.DaemonRoot != tc.want || (tc.want != "" && (p.Daemon != "atftpd" || p.DaemonRootLine == "")) {
			t.Errorf("daemon root %q (%q, %q), want %q from:\n%s", p.DaemonRoot, p.Daemon, p.DaemonRootLine, tc.want, tc.log)
		}
	}
}
