// Package tftpwatch reads a TFTP daemon's log (atftpd's own log file or its
// syslog/journal lines; tftpd-hpa's syslog lines) and tells, per phone,
// what it fetched and where it stopped.
package tftpwatch

import (
	"net/netip"
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
)

// Event is one request's step.
type Event struct {
	Time   string // as logged, e.g. "Nov 25 10:57:17"
	Client netip.Addr
	File   string // as requested, without the daemon's root
	Kind   Kind
	Detail string // the daemon's words for Refused
}

// Parser turns log lines into events. atftpd logs the request and its
// outcome on separate lines of the same thread, so it keeps the open
// request per thread (per process when the tag has no thread id).
type Parser struct {
	open map[string]Event // by thread
	last map[string]Event // tftpd-hpa: last request by client, for its NAK lines
}

// NewParser returns a parser with no open requests.
func NewParser() *Parser {
	return &Parser{open: map[string]Event{}, last: map[string]Event{}}
}

var (
	// "Nov 25 10:57:17 host atftpd[22660.140463911253696]: message"; the
	// journal and syslog write "atftpd[22660]:".
	reHead = regexp.MustCompile(`^(\w{3} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[\d:.+-]+) \S+ (atftpd|in\.tftpd|tftpd)\[([\d.]+)\]: (.*)$`)

	reServing  = regexp.MustCompile(`^Serving (.+) to ([\d.]+):\d+$`)
	reNotFound = regexp.MustCompile(`^File (.+) not found$`)
	reHpaRRQ   = regexp.MustCompile(`^RRQ from (?:::ffff:)?([\d.]+) filename (.+?)(?: remapped to .*)?$`)
	reHpaNAK   = regexp.MustCompile(`^sending NAK \((\d+), ([^)]*)\) to (?:::ffff:)?([\d.]+)$`)
)

// Line parses one log line; ok is false for lines that are not a step of
// a request (start-up banner, socket notes).
func (p *Parser) Line(line string) (Event, bool) {
	m := reHead.FindStringSubmatch(strings.TrimRight(line, "\r\n"))
	if m == nil {
		return Event{}, false
	}
	when, daemon, thread, msg := m[1], m[2], m[3], m[4]
	if daemon != "atftpd" {
		return p.hpa(when, msg)
	}
	if s := reServing.FindStringSubmatch(msg); s != nil {
		a, err := netip.ParseAddr(s[2])
		if err != nil {
			return Event{}, false
		}
		e := Event{Time: when, Client: a, File: s[1], Kind: Requested}
		p.open[thread] = e
		return e, true
	}
	e, isOpen := p.open[thread]
	if !isOpen {
		return Event{}, false
	}
	e.Time = when
	switch {
	case reNotFound.MatchString(msg):
		e.Kind = NotFound
	case msg == "End of transfer":
		e.Kind = Sent
	case strings.HasPrefix(msg, "File name with") || strings.Contains(msg, "forbidden") || strings.Contains(msg, "denied"):
		e.Kind, e.Detail = Refused, msg
	case msg == "Server thread exiting":
		delete(p.open, thread)
		return Event{}, false
	default:
		return Event{}, false
	}
	delete(p.open, thread)
	return e, true
}

// hpa reads tftpd-hpa's syslog lines (-v): "RRQ from A filename F" and
// "sending NAK (1, File not found) to A".
func (p *Parser) hpa(when, msg string) (Event, bool) {
	if s := reHpaRRQ.FindStringSubmatch(msg); s != nil {
		a, err := netip.ParseAddr(s[1])
		if err != nil {
			return Event{}, false
		}
		e := Event{Time: when, Client: a, File: s[2], Kind: Requested}
		p.last[a.String()] = e
		return e, true
	}
	if s := reHpaNAK.FindStringSubmatch(msg); s != nil {
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
