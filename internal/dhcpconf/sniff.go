package dhcpconf

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/isc"
)

// Found is what an existing configuration file plainly is, by its content:
// the server that reads it, and for Kea the map it holds.
type Found struct {
	Format Format
	// Kea: the top-level map ("Dhcp4", "Dhcp6", "Control-agent",
	// "DhcpDdns"); "" for other formats.
	Map  string
	Line int // where the finding is (1-based); 0 when not one line
	What string
}

var (
	keaMap         = regexp.MustCompile(`"(Dhcp4|Dhcp6|Control-agent|DhcpDdns)"\s*:`)
	dnsmasqSetting = regexp.MustCompile(`^[a-z][a-z0-9-]*=`)
	// dnsmasq's read_file (option.c) allows blanks and tabs on both sides
	// of "=": "dhcp-range = A,B,12h" is the same option.
	dnsmasqSpaced = regexp.MustCompile(`^[a-z][a-z0-9-]*[ \t]+=`)
)

// Sniff says which server's file src plainly is: a Kea JSON document (its
// first significant character is "{", which no dhcpd.conf statement starts
// with: dhcpd.conf(5); kea-dhcp4(8) reads a JSON map "Dhcp4"), a dnsmasq
// file (a "name=value" line, dnsmasq(8) CONFIG FILE, a form dhcpd.conf
// never has; blanks around "=" as dnsmasq's option.c read_file allows
// them, "dhcp-range = A,B", when the file is not also a dhcpd.conf whose
// grammar parses, where a line of a multi-line expression could read
// "name = value"), or an ISC dhcpd.conf (statements dhcpd's grammar parses). ok
// is false for a file with nothing in it, or one that is none of these.
func Sniff(path string, src []byte) (f Found, ok bool) {
	line, first := firstSignificant(src)
	if first == '{' {
		f = Found{Format: Kea, Line: line, What: "a JSON document"}
		if m := keaMap.FindSubmatchIndex(src); m != nil {
			f.Map = string(src[m[2]:m[3]])
			f.Line = 1 + bytes.Count(src[:m[0]], []byte("\n"))
			f.What = fmt.Sprintf("a JSON %q map", f.Map)
		}
		return f, true
	}
	for i, l := range strings.Split(string(src), "\n") {
		if dnsmasqSetting.MatchString(strings.TrimSpace(l)) {
			return Found{Format: Dnsmasq, Line: i + 1, What: fmt.Sprintf("a dnsmasq line %q", clip(strings.TrimSpace(l)))}, true
		}
	}
	if first == 0 {
		return Found{}, false
	}
	stmts, _, err := isc.ParseFile(path, src)
	if err != nil || len(stmts) == 0 {
		for i, l := range strings.Split(string(src), "\n") {
			if t := strings.TrimSpace(l); dnsmasqSpaced.MatchString(t) {
				return Found{Format: Dnsmasq, Line: i + 1, What: fmt.Sprintf("a dnsmasq line %q", clip(t))}, true
			}
		}
		return Found{}, false
	}
	return Found{Format: ISC, Line: stmts[0].Line, What: fmt.Sprintf("a dhcpd.conf statement %q", clip(strings.Join(wordsFrom(stmts[0], 0), " ")))}, true
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// firstSignificant returns the first character outside comments and
// white space (0 when there is none) and its line. Comments are those of
// any of the three formats: "#", and Kea's "//" and "/* */".
func firstSignificant(src []byte) (line int, c byte) {
	line = 1
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n':
			line++
		case src[i] == ' ' || src[i] == '\t' || src[i] == '\r':
		case src[i] == '#' || bytes.HasPrefix(src[i:], []byte("//")):
			for i < len(src) && src[i] != '\n' {
				i++
			}
			line++
		case bytes.HasPrefix(src[i:], []byte("/*")):
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return line, 0
			}
			line += bytes.Count(src[i:i+2+end], []byte("\n"))
			i += end + 3
		default:
			return line, src[i]
		}
	}
	return line, 0
}

// serverOf names the server that reads a file of format f, as messages do.
func serverOf(f Found) string {
	switch {
	case f.Format == Kea && f.Map == "Dhcp6":
		return "kea-dhcp6's DHCPv6 configuration"
	case f.Format == Kea && f.Map == "Control-agent":
		return "Kea's control agent configuration (kea-ctrl-agent.conf)"
	case f.Format == Kea && f.Map == "DhcpDdns":
		return "Kea's DDNS configuration (kea-dhcp-ddns.conf)"
	case f.Format == Kea:
		return "a Kea configuration"
	case f.Format == Dnsmasq:
		return "a dnsmasq configuration"
	}
	return "an ISC dhcpd.conf"
}

// OtherFormat refuses to write a file of format want over path, whose
// content src is plainly another server's file (Sniff), or a Kea file
// other than kea-dhcp4's (a Dhcp6, Control-agent or DhcpDdns map; or
// the name kea-dhcp6.conf): replacing it would leave that server unable
// to start, or without its configuration. The error names the finding
// and the --format (or --out) to give. nil when the file is of format
// want, empty, or not recognised.
func OtherFormat(want Format, path string, src []byte) error {
	f, ok := Sniff(path, src)
	if want == Kea && filepath.Base(path) == "kea-dhcp6.conf" && (!ok || f.Format == Kea && f.Map == "") {
		f, ok = Found{Format: Kea, Map: "Dhcp6", What: "its name"}, true
	}
	if !ok {
		return nil
	}
	at := path
	if f.Line > 0 {
		at = fmt.Sprintf("%s:%d", path, f.Line)
	}
	if f.Format == Kea && (f.Map == "Dhcp6" || f.Map == "Control-agent" || f.Map == "DhcpDdns") {
		advice := "give the kea-dhcp4 file (on Debian /etc/kea/kea-dhcp4.conf) as --out"
		if f.Map == "Dhcp6" {
			advice = "option 150 is a DHCPv4 option, which kea-dhcp6 never sends; the phones' server is kea-dhcp4, whose file is kea-dhcp4.conf (on Debian /etc/kea/kea-dhcp4.conf): give that as --out"
		}
		return fmt.Errorf("--out: %s: %s: this is %s, not kea-dhcp4's; not replaced: %s", at, f.What, serverOf(f), advice)
	}
	if f.Format == want {
		return nil
	}
	return fmt.Errorf("--out: %s: %s: this is %s, not a file for --format %s; not replaced (writing %s over it would leave its server unable to read it): give --format %s to work on it, or another --out", at, f.What, serverOf(f), want, want, f.Format)
}
