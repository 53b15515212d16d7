package tftpwatch

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// Tracker follows phones by client address and words each event.
type Tracker struct {
	// Describe names a phone, e.g. "ext 1001, 7960"; nil or "" prints the
	// MAC alone (not in the inventory).
	Describe func(macaddr.MAC) string
	// Root is the TFTP root, to tell a missing file from one the daemon
	// may not read; "" skips that.
	Root string
	// DaemonRoot and DaemonRootLine are the Parser's: the directory the
	// daemon says it serves, and the log line that says so. A miss of a
	// file that is in Root is then the daemon looking elsewhere.
	DaemonRoot, DaemonRootLine string
	// Problem says why an inventory phone's file is not written (a bad
	// inventory row), "" when nothing is wrong; nil: not known.
	Problem func(macaddr.MAC) string
	// OutcomesLogged: the log ends requests (so it is not atftpd at
	// --verbose=5, which logs only their start).
	OutcomesLogged bool

	cases  CaseIndex
	phones map[string]*phone
	order  []string
}

type phone struct {
	addr     string
	mac      macaddr.MAC
	requests int
	last     string // last outcome, worded
	stopped  bool   // the last outcome was a failure
	asked    string // the last file asked for, whatever came of it
	// missing are the phone's configuration files (SIPDefault.cnf,
	// SIP<MAC>.cnf) it was refused and has not fetched since, worded, in
	// order: a 7960 goes on to RINGLIST.DAT and dialplan.xml without them
	// (cisco-79x0-sip-facts §1), so its last fetch says nothing of them.
	missing []configMiss
	// unanswered are its configuration files asked for with no outcome
	// logged since (atftpd --verbose=5, tftpd-hpa -v), by base name.
	unanswered map[string]string
	hpa        bool // its requests are tftpd-hpa's / RHEL's RRQ lines
}

type configMiss struct{ file, msg string }

// required says whether base is a configuration file a SIP 79x0 cannot
// register without: SIPDefault.cnf or its SIP<MAC>.cnf (Cisco SIP IP
// Phone Administrator Guide 8.x, "Configuration files").
func required(base string) bool {
	if strings.EqualFold(base, "SIPDefault.cnf") {
		return true
	}
	_, ok := MACOf(base)
	return ok && strings.HasPrefix(strings.ToUpper(base), "SIP") && strings.HasSuffix(base, ".cnf")
}

var reMAC = regexp.MustCompile(`^(?:.*/)?(?:CTLSEP|SEP|SIP)([0-9A-Fa-f]{12})\.(?:tlv|cnf\.xml|cnf)$`)

// MACOf returns the MAC in a per-phone file name (SIP<MAC>.cnf,
// SEP<MAC>.cnf.xml, CTLSEP<MAC>.tlv), if any.
func MACOf(file string) (macaddr.MAC, bool) {
	m := reMAC.FindStringSubmatch(file)
	if m == nil {
		return "", false
	}
	mac, err := macaddr.Parse(m[1])
	return mac, err == nil
}

// Handle records e and returns the line to show, or "" for steps not
// worth a line (the start of a config file's transfer, its end for an
// image).
func (t *Tracker) Handle(e Event) string {
	if t.phones == nil {
		t.phones = map[string]*phone{}
	}
	key, addr := e.Client.String(), e.Client.String()
	mac, perPhone := MACOf(e.File)
	if !e.Client.IsValid() {
		// dnsmasq names no client on "cannot access PATH" and (before
		// 2.86) "file PATH not found": such lines are never credited to
		// the phone of another line; a per-phone file names its own.
		addr, key = "unknown client", "unknown client"
		if perPhone {
			key += " " + string(mac)
		}
	}
	p := t.phones[key]
	if p == nil {
		p = &phone{addr: addr}
		t.phones[key] = p
		t.order = append(t.order, key)
	}
	if perPhone {
		p.mac = mac
	}
	if e.Kind == Requested {
		p.requests++
		p.asked = e.File
		p.hpa = p.hpa || e.Asked
	}
	if base := filepath.Base(e.File); required(base) {
		if p.unanswered == nil {
			p.unanswered = map[string]string{}
		}
		if e.Kind == Requested {
			p.unanswered[base] = e.File
		} else {
			delete(p.unanswered, base)
		}
	}
	msg, failed := t.word(e)
	if msg == "" {
		return ""
	}
	if e.Kind != Requested || isImage(e.File) {
		p.last, p.stopped = msg, failed
	}
	if base := filepath.Base(e.File); required(base) {
		switch {
		case e.Kind == Sent:
			p.clearMissing(base)
		case failed && (e.Kind == NotFound || e.Kind == Refused || e.Kind == Failed):
			p.clearMissing(base)
			p.missing = append(p.missing, configMiss{base, msg})
		}
	}
	return fmt.Sprintf("%s %s: %s", e.Time, t.who(p), msg)
}

func (p *phone) clearMissing(base string) {
	kept := p.missing[:0]
	for _, m := range p.missing {
		if !strings.EqualFold(m.file, base) {
			kept = append(kept, m)
		}
	}
	p.missing = kept
}

// word says what e means for the phone. The names and the daemon's words
// in it are the log's, and the file name is whatever the requesting host
// chose: they are Shown, so that a control character cannot reach the
// admin's terminal or forge a line.
func (t *Tracker) word(e Event) (msg string, failed bool) {
	base := filepath.Base(e.File)
	name, detail := Shown(e.File), Shown(e.Detail)
	switch {
	case strings.HasPrefix(base, "SEP") && strings.HasSuffix(base, ".cnf.xml"):
		if e.Kind != Requested {
			return "", false
		}
		return "asked for " + Shown(base) + ": running SCCP or 8.x XML first", false
	case strings.HasPrefix(base, "CTLSEP"):
		if e.Kind == NotFound {
			return "", false // normal on SIP: no security file
		}
	}
	switch e.Kind {
	case Requested:
		if isImage(e.File) && e.Asked {
			// tftpd-hpa / RHEL log the request before they look for
			// the file: a miss follows on the next line.
			return "asked for image " + name, false
		}
		if isImage(e.File) {
			return "downloading image " + name, false
		}
		return "", false
	case Sent:
		switch {
		case isImage(e.File):
			return "image file sent: " + name, false
		case strings.HasSuffix(base, ".cnf"):
			return "config fetched: " + name, false
		}
		return "fetched " + name, false
	case NotFound:
		if t.inRoot(e.File) {
			if t.elsewhere() {
				return "file not found: " + name + " (it is in " + Shown(t.Root) + ", but the daemon serves " + Shown(t.DaemonRoot) + ": " + Shown(t.DaemonRootLine) + "; set tftp_root = " + Shown(t.DaemonRoot) + " in setup-cisco's config, or make the daemon serve " + Shown(t.Root) + ")", true
			}
			return "file not found: " + name + " (it is in " + Shown(t.Root) + " now: unreadable by the daemon? setup-cisco doctor)", true
		}
		if twin, ok := t.cases.Twin(t.Root, e.File); ok {
			return "file not found: " + name + " (" + CaseAdvice(e.File, twin) + ")", true
		}
		if why := t.whyMissing(base); why != "" {
			return "file not found: " + name + " (" + why + ")", true
		}
		return "file not found: " + name, !optional(base)
	}
	if e.Kind == Failed {
		return "transfer of " + name + " failed: " + detail, true
	}
	if e.File == "" {
		return "transfer ended: " + detail, true
	}
	return "refused " + name + ": " + detail, true
}

// elsewhere says whether the daemon's log names a directory it serves
// other than Root.
func (t *Tracker) elsewhere() bool {
	if t.DaemonRoot == "" || t.Root == "" || filepath.Clean(t.DaemonRoot) == filepath.Clean(t.Root) {
		return false
	}
	a, err1 := os.Stat(t.DaemonRoot)
	b, err2 := os.Stat(t.Root)
	return err1 != nil || err2 != nil || !os.SameFile(a, b)
}

// Shown is a name or text from the log as messages print it: as it is,
// or Go-quoted when it holds a control character or is not UTF-8 (a TFTP
// request's file name is chosen by any host on the network, and atftpd's
// --logfile writes it byte for byte; dnsmasq drops control characters).
func Shown(s string) string { return syncdir.Shown(s) }

// optional files: phones carry on without them.
func optional(base string) bool {
	return base == "RINGLIST.DAT" || base == "OS79XX.TXT" || strings.HasPrefix(base, "CTLSEP") ||
		strings.HasSuffix(base, ".cnf.xml") || strings.HasPrefix(base, "MGC") || strings.HasSuffix(base, ".xml")
}

func isImage(file string) bool {
	_, err := firmware.Parse(filepath.Base(file))
	ext := strings.ToLower(filepath.Ext(file))
	return err == nil && (ext == ".loads" || ext == ".sb2" || ext == ".sbn" || ext == ".bin")
}

func (t *Tracker) who(p *phone) string {
	if p.mac == "" {
		return p.addr
	}
	s := string(p.mac)
	if t.Describe != nil {
		if d := t.Describe(p.mac); d != "" {
			s += " (" + d + ")"
		} else {
			s += " (not in the inventory)"
		}
	}
	return s + " " + p.addr
}

// Summary says where each phone seen stopped, in the order they appeared.
func (t *Tracker) Summary() []string {
	var out []string
	for _, k := range t.order {
		p := t.phones[k]
		state, last := "last", p.last
		if p.stopped {
			state = "stopped at"
		}
		if last == "" {
			state, last = t.unanswered(p)
		}
		missing := p.missing
		if t.Root != "" {
			// a configuration file asked for with no answer logged, and
			// not in the root now: the phone did not get it either.
			for _, base := range sortedKeys(p.unanswered) {
				if f := p.unanswered[base]; !t.inRoot(f) {
					msg := "asked for " + Shown(f) + ", which is not in " + Shown(t.Root)
					if why := t.whyMissing(base); why != "" {
						msg += " (" + why + ")"
					}
					missing = append(missing, configMiss{base, msg + "; " + t.quiet(p)})
				}
			}
		}
		if len(missing) > 0 {
			// A configuration file it never got outweighs whatever it
			// fetched after it.
			switch m := missing[0].msg; {
			case p.stopped && last != m:
				// It stopped at a later failure (an image): that
				// first, the configuration it also lacks after.
				last += " (also " + m + ")"
			case last != m && last != "":
				last = m + "; last logged: " + last
			default:
				last = m
			}
			state = "stopped at"
		}
		out = append(out, fmt.Sprintf("%s: %d request(s); %s: %s", t.who(p), p.requests, state, last))
	}
	return out
}

// unanswered words a phone whose log lines name requests but no outcome:
// atftpd at Debian's default --verbose=5 logs "Serving F" (LOG_NOTICE)
// but neither "File F not found" nor "End of transfer" (LOG_INFO), so a
// miss looks like a hit; the root tells them apart.
func (t *Tracker) unanswered(p *phone) (state, msg string) {
	file, quiet := p.asked, t.quiet(p)
	if file == "" {
		return "last", "no request seen"
	}
	if t.Root != "" {
		if !t.inRoot(file) {
			msg := "asked for " + Shown(file) + ", which is not in " + Shown(t.Root)
			if why := t.whyMissing(filepath.Base(file)); why != "" {
				msg += " (" + why + ")"
			}
			return "stopped at", msg + "; " + quiet
		}
	}
	return "last", "asked for " + Shown(file) + "; " + quiet
}

// quiet says what a log that shows a request and no outcome means, and
// how to make this daemon log its misses: atftpd from --verbose=6
// (LOG_INFO), tftpd-hpa's NAKs from -v -v (tftpd(8) --verbose).
func (t *Tracker) quiet(p *phone) string {
	switch {
	case t.OutcomesLogged:
		return "the log shows no outcome of it"
	case p.hpa:
		return "the log names requests, not outcomes: tftpd-hpa logs its misses (NAKs) with -v -v (TFTP_OPTIONS in /etc/default/tftpd-hpa)"
	}
	return "the log names requests, not outcomes: atftpd logs misses from --verbose=6 (OPTIONS in /etc/default/atftpd)"
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// whyMissing says why a phone's SIP<MAC>.cnf (base) is not in the root,
// from the inventory; "" for any other file.
func (t *Tracker) whyMissing(base string) string {
	mac, ok := MACOf(base)
	if !ok || !strings.HasPrefix(base, "SIP") {
		return ""
	}
	switch {
	case t.Problem != nil && t.Problem(mac) != "":
		return "its inventory entry has a problem: " + t.Problem(mac) + "; setup-cisco phone list"
	case t.Describe != nil && t.Describe(mac) != "":
		return "the phone is in the inventory, but its file is not written yet: run setup-cisco"
	}
	return "phone not in the inventory? setup-cisco phone add"
}

// inRoot says whether file, as a phone asked for it, is in the TFTP root
// now (false when the root is not known).
func (t *Tracker) inRoot(file string) bool {
	if t.Root == "" {
		return false
	}
	_, err := os.Lstat(filepath.Join(t.Root, filepath.Clean("/"+file)))
	return err == nil
}
