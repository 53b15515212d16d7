// Package tftpwatch reads a TFTP daemon's log and tells, per phone, what it
// fetched and where it stopped. Formats read (Formats names them):
//
//   - atftpd: its own --logfile or syslog/journal lines, "Serving F to A:P",
//     then "End of transfer" or "File PATH not found" on the same thread
//     (atftpd 0.8 tftpd_file.c); from --verbose=6 its start names the
//     directory it serves ("  directory: PATH/", tftpd.c), and a miss the
//     full path there.
//   - tftpd-hpa (Debian's in.tftpd, -v): "RRQ from A filename F" and, with
//     -vv, "sending NAK (code, text) to A" (tftp-hpa 5.2 tftpd.c).
//   - CentOS/RHEL tftp-server (in.tftpd under xinetd, what trixbox and the
//     FreePBX Distro ship): the same RRQ line, then "Client A File not found
//     F" on a miss and "Client A finished F" after a transfer.
//   - dnsmasq --enable-tftp: "sent PATH to A", "failed sending PATH to A",
//     "file PATH not found for A" (before 2.86: without "for A"), "cannot
//     access PATH: ...", "error N TEXT received from A", from dnsmasq-tftp
//     with or without a host name (--log-facility FILE writes none)
//     (dnsmasq src/tftp.c). PATH includes the TFTP root, which dnsmasq
//     names at start ("TFTP root is PATH") or Parser.Root gives.
package tftpwatch

import (
	"net/netip"
	"path/filepath"
	"regexp"
	"strings"
)

// Kind is what happened to one request.
type Kind int

// Kinds of events.
const (
	Requested Kind = iota // the daemon starts serving the file
	Sent                  // the transfer completed
	NotFound              // "File not found": absent, or not readable by the daemon
	Refused               // any other refusal (path with .., access violation)
	Failed                // started, not completed: the phone stopped answering
)

// Event is one request's step.
type Event struct {
	Time   string     // as logged, e.g. "Nov 25 10:57:17"
	Client netip.Addr // invalid when the daemon does not name it
	File   string     // as requested, without the daemon's root; "" unknown
	Kind   Kind
	Detail string // the daemon's words for Refused
	// Asked marks a Requested event that says only that the phone asked
	// (tftpd-hpa, RHEL in.tftpd), not that the daemon serves the file; the
	// outcome may follow.
	Asked bool
}

// Formats names the log formats Parser reads, for a log it cannot read.
const Formats = "atftpd (--logfile or syslog), tftpd-hpa and CentOS/RHEL tftp-server (in.tftpd -v, syslog), dnsmasq --enable-tftp (syslog or --log-facility)"

// Parser turns log lines into events. atftpd logs the request and its
// outcome on separate lines of the same thread, so it keeps the open
// request per thread (per process when the tag has no thread id).
type Parser struct {
	// Root is the TFTP root, stripped from the paths dnsmasq logs; dnsmasq's
	// own "TFTP root is" line sets it when empty.
	Root string
	// Lines counts the non-empty lines read, Known those in a format
	// Parser reads (including lines that are no request's step), Outcomes
	// the lines that end a request: atftpd's (at --verbose=5 there are
	// none), tftpd-hpa's NAKs (-v -v) and RHEL's "Client A ...".
	Lines, Known, Outcomes int
	// DaemonRoot is the directory the daemon said at its (last) start it
	// serves: dnsmasq's "TFTP root is PATH", "/" for its "TFTP enabled"
	// (no tftp-root: names are looked up from its working directory, /),
	// atftpd's "directory: PATH/" (--verbose=6 and up) or, when the log
	// has no start of it, the directory a "File PATH not found" shows
	// the requested name looked up in; "" when the log does not say
	// (atftpd at --verbose=5 and tftpd-hpa's misses are judged against
	// the running daemon's command line by doctor). DaemonRootLine is
	// that line, for messages; Daemon the daemon that logged it
	// ("atftpd", "dnsmasq").
	DaemonRoot, DaemonRootLine, Daemon string

	// open are atftpd's requests not yet ended, by thread; by process
	// where its lines carry no thread id (syslog, LOG_PID only), then
	// several at once, in order. ends counts, per process, "End of
	// transfer" lines that could not be told apart among several open
	// requests; failed, the ends still to come of transfers already
	// reported failed.
	open   map[string][]Event
	ends   map[string]int
	aborts map[string]int // like ends, for "Aborting transfer"
	failed map[string]int
	last   map[string]Event // tftpd-hpa: last request by client, for its NAK lines
	// pending are events a line settled besides the one Line returned
	// (Pending hands them out).
	pending []Event
}

// NewParser returns a parser with no open requests.
func NewParser() *Parser {
	return &Parser{open: map[string][]Event{}, ends: map[string]int{}, aborts: map[string]int{}, failed: map[string]int{}, last: map[string]Event{}}
}

var (
	// "Nov 25 10:57:17 host atftpd[22660.140463911253696]: message"; the
	// journal and syslog write "atftpd[22660]:".
	reHead = regexp.MustCompile(`^(\w{3} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[\d:.+-]+) (?:\S+ )?(atftpd|in\.tftpd|tftpd|dnsmasq-tftp|dnsmasq|dnsmasq-dhcp)\[([\d.]+)\]: (.*)$`)

	reServing  = regexp.MustCompile(`^Serving (.+) to ([\d.]+):\d+$`)
	reNoAnswer = regexp.MustCompile(`^client \(([\d.]+)\) not responding$`)
	reNotFound = regexp.MustCompile(`^File (.+) not found$`)
	reHpaRRQ   = regexp.MustCompile(`^RRQ from (?:::ffff:)?([\d.]+) filename (.+?)(?: remapped to .*)?$`)
	reHpaNAK   = regexp.MustCompile(`^sending NAK \((\d+), ([^)]*)\) to (?:::ffff:)?([\d.]+)$`)
	reRHEL     = regexp.MustCompile(`^Client (?:::ffff:)?([\d.]+) (File not found|finished) (.+)$`)

	reDMSent     = regexp.MustCompile(`^(sent|failed sending) (.+) to ([\d.]+)$`)
	reDMNotFound = regexp.MustCompile(`^file (.+) not found(?: for ([\d.]+))?$`)
	reDMAccess   = regexp.MustCompile(`^cannot (?:access|read) (.+): (.+)$`)
	reDMError    = regexp.MustCompile(`^error (\d+) (.*) received from ([\d.]+)$`)
)

// Line parses one log line; ok is false for lines that are not a step of
// a request (start-up banner, socket notes).
func (p *Parser) Line(line string) (Event, bool) {
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) != "" {
		p.Lines++
	}
	m := reHead.FindStringSubmatch(line)
	if m == nil {
		return Event{}, false
	}
	p.Known++
	when, daemon, thread, msg := m[1], m[2], m[3], m[4]
	switch daemon {
	case "dnsmasq-tftp":
		return p.dnsmasq(when, msg)
	case "dnsmasq", "dnsmasq-dhcp":
		return Event{}, false // the same daemon's DNS and DHCP lines
	case "atftpd":
	default:
		return p.hpa(when, msg)
	}
	return p.atftpd(when, thread, msg)
}

// atftpd reads atftpd's lines: "Serving F to A:P" opens a request, and
// "File F not found", "End of transfer", a refusal, or "client (A) not
// responding" (retries given up; atftpd still logs "End of transfer"
// after it) ends it. Lines name their thread with --logfile
// ("atftpd[pid.thread]"); through syslog only their process, so with
// several requests open an end is given to one only when the line names
// it (file, client) or when it is the only one left.
func (p *Parser) atftpd(when, thread, msg string) (Event, bool) {
	if strings.HasPrefix(msg, "Advanced Trivial FTP server started") {
		// A (re)start: the directory is logged next, or not at all
		// (--verbose=5); what the last start said no longer holds.
		p.DaemonRoot, p.DaemonRootLine, p.Daemon = "", "", ""
		return Event{}, false
	}
	if d, ok := strings.CutPrefix(strings.TrimSpace(msg), "directory: "); ok && d != "" {
		// The start's options, indented in --logfile; syslog may strip
		// the indent.
		p.DaemonRoot, p.DaemonRootLine, p.Daemon = filepath.Clean(d), when+" atftpd: directory: "+d, "atftpd"
		return Event{}, false
	}
	if s := reServing.FindStringSubmatch(msg); s != nil {
		a, err := netip.ParseAddr(s[2])
		if err != nil {
			return Event{}, false
		}
		e := Event{Time: when, Client: a, File: s[1], Kind: Requested}
		p.open[thread] = append(p.open[thread], e)
		return e, true
	}
	open := p.open[thread]
	take := func(i int) Event {
		e := open[i]
		p.open[thread] = append(open[:i:i], open[i+1:]...)
		e.Time = when
		return e
	}
	find := func(match func(Event) bool) int {
		for i, e := range open {
			if match(e) {
				return i
			}
		}
		if len(open) == 1 {
			return 0
		}
		return -1
	}
	switch {
	case reNoAnswer.MatchString(msg):
		p.Outcomes++
		a, _ := netip.ParseAddr(reNoAnswer.FindStringSubmatch(msg)[1])
		i := find(func(e Event) bool { return e.Client == a })
		if i < 0 {
			return Event{}, false
		}
		e := take(i)
		e.Kind, e.Detail = Failed, "the phone stopped answering (atftpd gave up retrying)"
		p.failed[thread]++
		p.settle(thread)
		return e, true
	case reNotFound.MatchString(msg):
		p.Outcomes++
		// atftpd names the file as requested or by its full path.
		f := reNotFound.FindStringSubmatch(msg)[1]
		i := find(func(e Event) bool {
			return e.File == f || e.File == p.rel(f) || strings.HasSuffix(f, "/"+strings.TrimPrefix(e.File, "./"))
		})
		if i < 0 {
			return Event{}, false
		}
		e := take(i)
		e.Kind = NotFound
		if p.DaemonRoot == "" && strings.HasPrefix(f, "/") && f != e.File {
			// atftpd names the miss by the path it tried: the name
			// the phone asked for, in the directory it serves.
			if dir, ok := strings.CutSuffix(f, "/"+strings.TrimPrefix(e.File, "./")); ok {
				p.DaemonRoot, p.DaemonRootLine, p.Daemon = filepath.Clean(dir+"/"), when+" atftpd: File "+f+" not found", "atftpd"
			}
		}
		p.settle(thread)
		return e, true
	case msg == "End of transfer":
		p.Outcomes++
		switch {
		case p.failed[thread] > 0:
			p.failed[thread]-- // a failed transfer's thread ending
		case len(open) == 1:
			e := take(0)
			e.Kind = Sent
			return e, true
		case len(open) > 1:
			p.ends[thread]++
			p.settle(thread)
		}
		return Event{}, false
	case msg == "Aborting transfer":
		// tftpd_file.c: a read error on the transfer's socket (the
		// phone's port closed, ICMP unreachable: "recvfrom: Connection
		// refused") ends it; no "End of transfer" follows.
		p.Outcomes++
		if len(open) == 1 {
			e := take(0)
			e.Kind, e.Detail = Failed, aborted
			return e, true
		}
		if len(open) > 1 {
			p.aborts[thread]++
			p.settle(thread)
		}
		return Event{}, false
	case strings.HasPrefix(msg, "File name with") || strings.Contains(msg, "forbidden") || strings.Contains(msg, "denied"):
		if len(open) != 1 {
			return Event{}, false
		}
		e := take(0)
		e.Kind, e.Detail = Refused, msg
		return e, true
	case msg == "Server thread exiting":
		if strings.Contains(thread, ".") {
			delete(p.open, thread)
		}
	}
	return Event{}, false
}

// Pending returns, once, the events the last line settled besides the one
// Line returned: requests an earlier, then ambiguous "End of transfer"
// turned out to have ended. Call it after each Line.
func (p *Parser) Pending() []Event {
	out := p.pending
	p.pending = nil
	return out
}

// aborted is the Detail of a transfer atftpd aborted.
const aborted = "atftpd aborted it (the phone went away: its port is closed)"

// settle: when as many unattributed ends ("End of transfer", "Aborting
// transfer") were seen as requests are still open in a process, each of
// those has ended: they are reported (Pending), the aborted ones failed.
// Syslog names no thread, so which ones were aborted is inferred: a
// transfer is aborted after atftpd's retry timeout, while config files
// end at once, so images first, then the oldest requests.
func (p *Parser) settle(thread string) {
	n, a := p.ends[thread], p.aborts[thread]
	open := p.open[thread]
	if n+a == 0 || n+a < len(open) {
		return
	}
	failed := map[int]bool{}
	for pass := 0; pass < 2 && len(failed) < a; pass++ {
		for i, e := range open {
			if len(failed) < a && !failed[i] && (pass == 1 || isImage(e.File)) {
				failed[i] = true
			}
		}
	}
	for i, e := range open {
		e.Kind = Sent
		if failed[i] {
			e.Kind, e.Detail = Failed, aborted
		}
		p.pending = append(p.pending, e)
	}
	delete(p.open, thread)
	delete(p.ends, thread)
	delete(p.aborts, thread)
}

// hpa reads tftpd-hpa's syslog lines (-v): "RRQ from A filename F" and
// "sending NAK (1, File not found) to A", and RHEL's "Client A File not
// found F" / "Client A finished F".
func (p *Parser) hpa(when, msg string) (Event, bool) {
	if s := reRHEL.FindStringSubmatch(msg); s != nil {
		a, err := netip.ParseAddr(s[1])
		if err != nil {
			return Event{}, false
		}
		p.Outcomes++
		delete(p.last, a.String())
		e := Event{Time: when, Client: a, File: strings.TrimPrefix(s[3], "/"), Kind: Sent}
		if s[2] == "File not found" {
			e.Kind = NotFound
		}
		return e, true
	}
	if s := reHpaRRQ.FindStringSubmatch(msg); s != nil {
		a, err := netip.ParseAddr(s[1])
		if err != nil {
			return Event{}, false
		}
		e := Event{Time: when, Client: a, File: s[2], Kind: Requested, Asked: true}
		p.last[a.String()] = e
		return e, true
	}
	if s := reHpaNAK.FindStringSubmatch(msg); s != nil {
		p.Outcomes++
		e, ok := p.last[s[3]]
		if !ok {
			return Event{}, false
		}
		delete(p.last, s[3])
		e.Time, e.Kind = when, Refused
		if s[1] == "1" {
			e.Kind = NotFound
		} else {
			e.Detail = s[2]
		}
		return e, true
	}
	return Event{}, false
}

// dnsmasq reads dnsmasq's TFTP lines (src/tftp.c). dnsmasq logs no request,
// only outcomes, with the file's full path.
func (p *Parser) dnsmasq(when, msg string) (Event, bool) {
	if r, ok := strings.CutPrefix(msg, "TFTP root is "); ok {
		// "TFTP root is PATH [secure mode]" (src/dnsmasq.c)
		if f := strings.Fields(r); len(f) > 0 {
			p.DaemonRoot, p.DaemonRootLine, p.Daemon = f[0], when+" dnsmasq-tftp: "+strings.TrimSpace(msg), "dnsmasq"
			if p.Root == "" {
				p.Root = f[0]
			}
		}
		return Event{}, false
	}
	if strings.HasPrefix(msg, "TFTP enabled") {
		p.DaemonRoot, p.DaemonRootLine, p.Daemon = "/", when+" dnsmasq-tftp: "+strings.TrimSpace(msg)+" (no tftp-root: names are looked up from /)", "dnsmasq"
		return Event{}, false
	}
	addr := func(s string) netip.Addr {
		a, _ := netip.ParseAddr(s)
		return a
	}
	switch {
	case reDMSent.MatchString(msg):
		s := reDMSent.FindStringSubmatch(msg)
		e := Event{Time: when, Client: addr(s[3]), File: p.rel(s[2]), Kind: Sent}
		if s[1] != "sent" {
			e.Kind, e.Detail = Refused, "the transfer failed (the phone stopped answering)"
		}
		return e, true
	case reDMNotFound.MatchString(msg):
		s := reDMNotFound.FindStringSubmatch(msg)
		return Event{Time: when, Client: addr(s[2]), File: p.rel(s[1]), Kind: NotFound}, true
	case reDMAccess.MatchString(msg):
		s := reDMAccess.FindStringSubmatch(msg)
		return Event{Time: when, File: p.rel(s[1]), Kind: Refused, Detail: s[2]}, true
	case reDMError.MatchString(msg):
		s := reDMError.FindStringSubmatch(msg)
		return Event{Time: when, Client: addr(s[3]), Kind: Refused, Detail: "the phone ended the transfer: error " + s[1] + " " + s[2]}, true
	}
	return Event{}, false
}

// rel makes a path dnsmasq logged relative to the TFTP root, or to the
// directory the daemon said it serves (the name the phone asked for).
func (p *Parser) rel(path string) string {
	for _, root := range []string{p.Root, p.DaemonRoot} {
		if root == "" || root == "/" {
			continue
		}
		if r, ok := strings.CutPrefix(path, strings.TrimRight(root, "/")+"/"); ok {
			return r
		}
	}
	return path
}
