// Package siteconf reads setup-cisco's site settings file: KEY = VALUE
// lines, `#` comments, optional double quotes around a value. Every key is
// documented in the README and in Example; an unknown key is an error that
// names the file and line, so a typo never passes silently. Every value that
// reaches a phone is checked against what the phone accepts, with the
// source of each rule next to its check; a value the phone would not take
// is an error naming the file and line, never copied into a .cnf file.
package siteconf

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/tzrule"
)

// DefaultPath is where setup-cisco looks when --config is not given.
const DefaultPath = "/etc/setup-cisco/setup-cisco.conf"

// DefaultImage is the last SIP release for the 7940/7960; Cisco wrote 8.12
// without the zero padding of 8.1-8.11 (fact sheet §4).
const DefaultImage = "P0S3-8-12-00"

// Site holds everything that is the same for every phone.
type Site struct {
	TFTPRoot     string
	ProxyAddress string // empty: this host's primary IPv4
	SIPPort      int    // chan_sip port override; 0: from the database
	PJSIPPort    int    // chan_pjsip port override; 0: from the database
	ImageVersion string
	// TimeZone is what the file says (an IANA name or a Cisco code), or ""
	// for the host's zone; Clock is what the phone is told.
	TimeZone      string
	Clock         Clock
	DSTAutoAdjust bool
	DateFormat    string
	Time24h       bool
	NTPServer     string
	DialPlan      []DialRule
	PhonePassword string
	MessagesURI   string
	TelnetLevel   int
	RegisterTime  int // timer_register_expires, seconds
	Codec         string
	NATEnable     bool
	NATAddress    string
	// Other proxies and URLs a phone may have from another setup; empty:
	// written empty, so its flash forgets them (fact sheet §7). A port of
	// 0 is unset: written as 5060, Cisco's default (phonecfg).
	OutboundProxy, BackupProxy, EmergencyProxy             string
	OutboundProxyPort, BackupProxyPort, EmergencyProxyPort int
	ServicesURL, LogoURL                                   string
	ControlPort                                            int
	MediaPorts                                             [2]int
	Templates                                              string // template override directory
	// DialTimeout is the seconds the phone waits for a number that may go
	// on, in the dial plan derived from FreePBX (package dialplan).
	DialTimeout int
	// DirectoryRoot is the directory, inside a web server's document root,
	// where the company directory is written; DirectoryBase the URL that
	// directory is reached at. Both empty: no directory (package directory).
	DirectoryRoot string
	DirectoryBase string
	// DirectoryURL is the phone's directory_url, set by the write path.
	DirectoryURL string
	// Set holds the keys the settings file set, with their line: a value
	// set there wins over one read from FreePBX.
	Set map[string]int
}

// Clock is the phone's time zone: Cisco's time_zone code and, for a zone
// read from the tz database, its summer-time rule.
type Clock struct {
	Zone tzrule.Zone // Code always set; DST nil: no summer time, or unknown
	// Direct is set when the file gave a Cisco code itself: no rule is
	// known, the phone's built-in one applies (fact sheet §7).
	Direct bool
	Source string // for messages: "time_zone = Europe/Berlin", "host zone ..."
}

// DialRule is one <TEMPLATE MATCH=... Timeout=...> of dialplan.xml.
type DialRule struct {
	Match   string
	Timeout int
}

// Defaults returns the settings used when the file does not set them.
func Defaults() Site {
	return Site{
		TFTPRoot:      "/tftpboot",
		ImageVersion:  DefaultImage,
		Clock:         Clock{Zone: tzrule.Zone{Name: "GMT", Code: "GMT"}, Direct: true, Source: "built-in default"},
		DSTAutoAdjust: true,
		DateFormat:    "M/D/Y",
		DialPlan:      []DialRule{{Match: "*", Timeout: 5}},
		MessagesURI:   "*97",
		RegisterTime:  3600,
		Codec:         "g711ulaw",
		ControlPort:   5060,
		MediaPorts:    [2]int{16384, 32766},
		Templates:     "/etc/setup-cisco/templates",
		DialTimeout:   5,
	}
}

type setter func(s *Site, v string) error

var keys = map[string]setter{
	"tftp_root":       func(s *Site, v string) error { s.TFTPRoot = v; return nonEmpty(v) },
	"proxy_address":   func(s *Site, v string) error { s.ProxyAddress = v; return host(v) },
	"sip_port":        intKey(func(s *Site) *int { return &s.SIPPort }, 1, 65535),
	"pjsip_port":      intKey(func(s *Site) *int { return &s.PJSIPPort }, 1, 65535),
	"image_version":   imageVersion,
	"time_zone":       timeZone,
	"dst_auto_adjust": boolKey(func(s *Site) *bool { return &s.DSTAutoAdjust }),
	// The six forms Cisco's date_format takes, as sipXconfig copies Cisco's
	// list (sipXtapi/sipXtapi sipXconfig/neoconf/etc/ciscoIp/phone.xml;
	// fact sheet §7).
	"date_format": func(s *Site, v string) error {
		s.DateFormat = v
		return oneOf(v, DateFormats...)
	},
	"time_24h":       boolKey(func(s *Site) *bool { return &s.Time24h }),
	"ntp_server":     func(s *Site, v string) error { s.NTPServer = v; return host(v) },
	"dial_plan":      func(s *Site, v string) (err error) { s.DialPlan, err = ParseDialPlan(v); return err },
	"phone_password": func(s *Site, v string) error { s.PhonePassword = v; return password(v) },
	"messages_uri":   func(s *Site, v string) error { s.MessagesURI = v; return dialString(v) },
	// telnet_level 0 off, 1 on, 2 privileged (HUGO-sample, FUSION; §3).
	"telnet_level": intKey(func(s *Site) *int { return &s.TelnetLevel }, 0, 2),
	// timer_register_expires 1-3932100 s (Cisco's sample, HUGO-sample; §3).
	"register_expires": intKey(func(s *Site) *int { return &s.RegisterTime }, 1, 3932100),
	// preferred_codec: g711ulaw (default), g711alaw, g729a (Cisco's sample,
	// HUGO-sample, JH-SIPDefault; §3).
	"preferred_codec":  func(s *Site, v string) error { s.Codec = v; return oneOf(v, "g711ulaw", "g711alaw", "g729a") },
	"nat_enable":       boolKey(func(s *Site) *bool { return &s.NATEnable }),
	"nat_address":      func(s *Site, v string) error { s.NATAddress = v; return host(v) },
	"sip_control_port": intKey(func(s *Site) *int { return &s.ControlPort }, 1, 65535),
	// outbound_proxy takes an address or a DNS A record; the backup and
	// emergency proxies an IPv4 address only (Cisco's sample
	// SIPDefault.cnf, HUGO-sample; fact sheet §3).
	"outbound_proxy":       func(s *Site, v string) error { s.OutboundProxy = v; return host(v) },
	"outbound_proxy_port":  intKey(func(s *Site) *int { return &s.OutboundProxyPort }, 1, 65535),
	"proxy_backup":         func(s *Site, v string) error { s.BackupProxy = v; return ipv4(v) },
	"proxy_backup_port":    intKey(func(s *Site) *int { return &s.BackupProxyPort }, 1, 65535),
	"proxy_emergency":      func(s *Site, v string) error { s.EmergencyProxy = v; return ipv4(v) },
	"proxy_emergency_port": intKey(func(s *Site) *int { return &s.EmergencyProxyPort }, 1, 65535),
	"services_url":         func(s *Site, v string) error { s.ServicesURL = v; return httpURL(v) },
	// directory_url: another server's directory for the Directories key;
	// directory_web_root/_url make setup-cisco write its own instead.
	"directory_url": func(s *Site, v string) error {
		if s.DirectoryURL = v; v == "" {
			return nil // none: written empty
		}
		return httpURL(v)
	},
	"logo_url":    func(s *Site, v string) error { s.LogoURL = v; return httpURL(v) },
	"media_ports": mediaPorts,
	"templates":   func(s *Site, v string) error { s.Templates = v; return nonEmpty(v) },
	// dial_timeout: the Timeout of dial plan rules for numbers that may go
	// on; dialplan.xml takes seconds, 0 dials at once (Cisco SIP admin
	// guide 6.x/7.x p.3-22).
	"dial_timeout":       intKey(func(s *Site) *int { return &s.DialTimeout }, 1, 60),
	"directory_web_root": directoryRoot,
	"directory_web_url":  directoryBase,
}

// DateFormats are the values date_format takes.
var DateFormats = []string{"M/D/Y", "D/M/Y", "Y/M/D", "Y/D/M", "Y-M-D", "YY-M-D"}

// noCnfCheck are the keys whose value never goes into a .cnf file, so may
// hold the characters that end a .cnf value: the dial plan goes into
// dialplan.xml, where '#' is a dial-plan character.
var noCnfCheck = map[string]bool{"dial_plan": true, "tftp_root": true, "templates": true, "directory_web_root": true}

// Keys lists the keys the file understands, sorted.
func Keys() []string {
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Load reads path over the defaults. A missing file is not an error when
// optional is true (the default path); it is when the user named it.
func Load(path string, optional bool) (Site, error) {
	s := Defaults()
	data, err := os.ReadFile(path)
	if err != nil {
		if optional && os.IsNotExist(err) {
			return s, s.hostClock(path)
		}
		return s, fmt.Errorf("config: %w", err)
	}
	return s, Parse(&s, path, data)
}

// Parse applies the settings in data to s.
func Parse(s *Site, name string, data []byte) error {
	// A UTF-8 byte order mark (Windows editors write one) is not part of
	// the first key.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	seen := map[string]int{}
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("%s:%d: want KEY = VALUE", name, n)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		set, ok := keys[k]
		if !ok {
			return fmt.Errorf("%s:%d: unknown setting %q (known: %s)", name, n, k, strings.Join(Keys(), ", "))
		}
		if prev, dup := seen[k]; dup {
			return fmt.Errorf("%s:%d: %s is already set on line %d", name, n, k, prev)
		}
		seen[k] = n
		if strings.ContainsAny(v, "\"\r\n") || !noCnfCheck[k] && strings.ContainsAny(v, "#;") {
			return fmt.Errorf("%s:%d: %s: value may not contain \", # or ; (they end a value in the phone's config file)", name, n, k)
		}
		if err := set(s, v); err != nil {
			return fmt.Errorf("%s:%d: %s: %w", name, n, k, err)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	s.Set = seen
	if (s.DirectoryRoot == "") != (s.DirectoryBase == "") {
		return fmt.Errorf("%s: directory_web_root and directory_web_url go together: the directory is written to the one and the phones fetch it from the other", name)
	}
	if n := seen["directory_url"]; s.DirectoryURL != "" && s.DirectoryRoot != "" {
		return fmt.Errorf("%s:%d: directory_url: set it or directory_web_root and directory_web_url (setup-cisco's own directory), not both", name, n)
	}
	if _, set := seen["time_zone"]; !set {
		return s.hostClock(name)
	}
	return nil
}

// directoryRoot is an absolute directory path.
func directoryRoot(s *Site, v string) error {
	if !strings.HasPrefix(v, "/") {
		return fmt.Errorf("%q: want an absolute directory path, such as /var/www/html/cisco", v)
	}
	s.DirectoryRoot = strings.TrimRight(v, "/")
	return nil
}

// directoryBase is the http:// URL the directory is reached at: the
// 79x0 fetches XML services over HTTP only (fact sheet §3: logo_url,
// directory_url, services_url are HTTP URLs).
func directoryBase(s *Site, v string) error {
	if err := httpURL(v); err != nil {
		return err
	}
	s.DirectoryBase = strings.TrimRight(v, "/")
	return nil
}

// httpURL checks a URL a phone fetches: http:// (the 79x0 has no HTTPS;
// fact sheet §3: logo_url, directory_url, services_url are HTTP URLs), to
// a host a phone can reach (as a proxy's address: no loopback).
func httpURL(v string) error {
	rest, ok := strings.CutPrefix(v, "http://")
	if !ok || rest == "" || strings.ContainsAny(v, " \t<>&'") {
		return fmt.Errorf("%q: want an http:// URL, such as http://192.168.1.10/cisco", v)
	}
	// The phone fetches the pages from this host: the same check as the
	// proxy's address, so http://127.0.0.1/... or localhost is refused.
	authority, _, _ := strings.Cut(rest, "/")
	h := authority
	if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		h = authority[:i]
		if p, err := strconv.Atoi(authority[i+1:]); err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("%q: port %q is not a number from 1 to 65535", v, authority[i+1:])
		}
	}
	if err := host(h); err != nil {
		return fmt.Errorf("%q: %w", v, err)
	}
	return nil
}

// CheckIPv4 checks an address a phone is sent to that must be a dotted
// IPv4 address (proxy_backup, a SIP driver's bind): what CheckHost takes,
// but no host name.
func CheckIPv4(v string) error { return ipv4(v) }

// ipv4 checks a server the phone takes as a dotted IPv4 address only.
func ipv4(v string) error {
	if err := host(v); err != nil {
		return err
	}
	if _, err := netip.ParseAddr(v); err != nil {
		return fmt.Errorf("%q: want an IPv4 address (the phone takes no host name here)", v)
	}
	return nil
}

// hostClock sets the clock from the host's zone (TZ, else /etc/localtime,
// as the C library decides) when the file sets no time_zone.
func (s *Site) hostClock(name string) error {
	z, err := tzrule.Host()
	if err != nil {
		return fmt.Errorf("%s: time_zone not set, and the host's time zone does not fit the phone: %w (set time_zone)", name, err)
	}
	s.TimeZone = ""
	s.Clock = Clock{Zone: z, Source: fmt.Sprintf("host zone %s (%s)", z.Name, z.From)}
	return nil
}

// timeZone takes an IANA zone name (Europe/Berlin) or one of Cisco's codes
// (EST). A zone is converted with its summer-time rule (package tzrule); a
// zone the phone cannot show, or a name that is neither, is an error.
func timeZone(s *Site, v string) error {
	s.TimeZone = v
	if tzrule.IsCode(v) {
		s.Clock = Clock{Zone: tzrule.Zone{Name: v, Code: v}, Direct: true, Source: "time_zone = " + v}
		return nil
	}
	z, err := tzrule.Lookup(v)
	if err != nil {
		return fmt.Errorf("%w; want an IANA zone such as Europe/Berlin, or a Cisco code (%s)", err, strings.Join(tzrule.CodeNames(), " "))
	}
	s.Clock = Clock{Zone: z, Source: "time_zone = " + v}
	return nil
}

// imageVersion takes a SIP load name for the 7940/7960, spelt as Cisco
// names the files (package firmware: MATRIX, CME-INST; 8.12 unpadded).
func imageVersion(s *Site, v string) (err error) {
	s.ImageVersion, err = ImageVersion(v)
	return err
}

// ImageVersion checks a value for image_version (the key or
// --image-version): a SIP load name, given in any of its spellings, and
// returns it as the files name it (P0S3-08-12-00 is P0S3-8-12-00:
// firmware.Parse).
func ImageVersion(v string) (string, error) {
	img, err := firmware.Parse(v)
	if err != nil {
		return "", err
	}
	if img.Protocol != firmware.SIP {
		return "", fmt.Errorf("%s is a %s load; image_version needs a SIP load (P0S3-...)", img.Name, img.Protocol)
	}
	return img.Name, nil
}

// ParseDialPlan reads "MATCH:TIMEOUT MATCH:TIMEOUT ..." (separated by
// spaces, or by a comma after a TIMEOUT). MATCH uses the 7940/7960's
// dial-plan syntax (CUCM Admin Guide OL-18611-01, "SIP Dial Rules", pattern
// 7940_7960_OTHER; fact sheet §7): digits, `.` one digit, `*` one or more
// digits, `\*` a literal star, `,` secondary dial tone, `#`. `>` belongs to
// the 7905/7912 and is refused. TIMEOUT is seconds to wait after the last
// digit (0: dial at once).
func ParseDialPlan(v string) ([]DialRule, error) {
	var rules []DialRule
	rest := v
	for {
		rest = strings.TrimLeft(rest, ", \t")
		if rest == "" {
			break
		}
		colon := strings.IndexByte(rest, ':')
		if colon < 0 || strings.ContainsAny(rest[:colon], " \t") {
			f, _, _ := strings.Cut(rest, " ")
			return nil, fmt.Errorf("%q: want MATCH:TIMEOUT", f)
		}
		m := rest[:colon]
		end := colon + 1
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		f := rest[:end]
		rest = rest[end:]
		if rest != "" && !strings.ContainsRune(", \t", rune(rest[0])) {
			g, _, _ := strings.Cut(rest, " ")
			return nil, fmt.Errorf("%q: timeout must be 0-60 seconds", f+g)
		}
		sec, err := strconv.Atoi(f[colon+1:])
		if err != nil || sec < 0 || sec > 60 {
			return nil, fmt.Errorf("%q: timeout must be 0-60 seconds", f)
		}
		if m == "" {
			return nil, fmt.Errorf("%q: empty match", f)
		}
		if err := dialPattern(m); err != nil {
			return nil, fmt.Errorf("%q: %w", f, err)
		}
		rules = append(rules, DialRule{Match: m, Timeout: sec})
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("no rules")
	}
	return rules, nil
}

// dialPattern checks one MATCH against the 7940/7960 characters: a
// backslash only before a star.
func dialPattern(m string) error {
	for i := 0; i < len(m); i++ {
		c := m[i]
		switch {
		case c >= '0' && c <= '9', c == '.', c == '*', c == ',', c == '#':
		case c == '\\' && i+1 < len(m) && m[i+1] == '*':
			i++
		case c == '\\':
			return fmt.Errorf("'\\' must be followed by '*' (\\* is a literal star)")
		default:
			return fmt.Errorf("%q is not 7940/7960 dial-plan syntax (digits . * \\* , #)", c)
		}
	}
	return nil
}

// dialString checks messages_uri: what the Messages key dials, a number or
// feature code (JH-SIPDefault, CME-FILES: "*97"): digits, '*', '+', letters
// for a SIP user part, '.', '-', '_' and '@' for a host. '#' and ';' cannot
// be written into a .cnf value (package cnftext). Cisco documents no
// length; 31 characters is the conservative limit used for line names.
func dialString(v string) error {
	if v == "" {
		return fmt.Errorf("empty value")
	}
	if len(v) > 31 {
		return fmt.Errorf("%q: at most 31 characters", v)
	}
	for _, r := range v {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("*+.-_@", r)) {
			return fmt.Errorf("%q: %q is not allowed (digits, letters, * + . - _ @)", v, r)
		}
	}
	return nil
}

func nonEmpty(v string) error {
	if v == "" {
		return fmt.Errorf("empty value")
	}
	return nil
}

// host checks an address the phone is given (proxy, NTP, NAT): Cisco's
// sample takes a dotted IPv4 address or a host name (HUGO-sample, §3); the
// 7940/7960 have no IPv6. A host name is at most 253 characters (RFC 1035).
// CheckHost checks an address or host name the phones are given as a
// server (--proxy, proxy_address, ntp_server, nat_address).
func CheckHost(v string) error { return host(v) }

// CheckDialString checks a number for the Messages key (messages_uri) that
// does not come from the settings file, such as FreePBX's feature code.
func CheckDialString(v string) error { return dialString(v) }

func host(v string) error {
	if v == "" {
		return fmt.Errorf("empty value")
	}
	if a, err := netip.ParseAddr(v); err == nil {
		switch {
		case !a.Is4():
			return fmt.Errorf("%q: the 7940/7960 speak IPv4 only", v)
		case a.IsLoopback() || a.IsUnspecified():
			return fmt.Errorf("%s is not an address a phone can reach (it would talk to itself); give this host's LAN address", v)
		case a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
			return fmt.Errorf("%s is a multicast or broadcast address, not a server", v)
		}
		return nil
	}
	if strings.EqualFold(strings.TrimSuffix(v, "."), "localhost") {
		return fmt.Errorf("%s is not a name a phone can resolve to this server (it would talk to itself); give this host's LAN address", v)
	}
	if len(v) > 253 {
		return fmt.Errorf("host name longer than 253 characters")
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Errorf("%q is neither an IPv4 address nor a host name", v)
		}
	}
	return nil
}

// password checks phone_password: at most 31 characters (comment in
// Cisco's sample file, HUGO-sample; fact sheet §2), printable ASCII.
func password(v string) error {
	if len(v) > 31 {
		return fmt.Errorf("at most 31 characters (Cisco's sample SIPDefault.cnf)")
	}
	for _, r := range v {
		if r < 0x21 || r > 0x7e {
			return fmt.Errorf("printable ASCII without spaces only")
		}
	}
	return nil
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%q: want one of %s", v, strings.Join(allowed, ", "))
}

func intKey(field func(*Site) *int, lo, hi int) setter {
	return func(s *Site, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("%q: want a number from %d to %d", v, lo, hi)
		}
		*field(s) = n
		return nil
	}
}

func boolKey(field func(*Site) *bool) setter {
	return func(s *Site, v string) error {
		switch strings.ToLower(v) {
		case "1", "yes", "true", "on":
			*field(s) = true
		case "0", "no", "false", "off":
			*field(s) = false
		default:
			return fmt.Errorf("%q: want yes or no", v)
		}
		return nil
	}
}

func mediaPorts(s *Site, v string) error {
	a, b, ok := strings.Cut(v, "-")
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || lo < 1024 || hi > 65535 || lo >= hi || lo%2 != 0 {
		return fmt.Errorf("%q: want EVEN_FIRST-LAST within 1024-65535", v)
	}
	s.MediaPorts = [2]int{lo, hi}
	return nil
}

// Example is a commented configuration file listing every setting with its
// default; the tests keep it in step with the parser.
//
//go:embed example.conf
var Example string
