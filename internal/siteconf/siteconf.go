// Package siteconf reads setup-cisco's site settings file: KEY = VALUE
// lines, `#` comments, optional double quotes around a value. Every key is
// documented in the README and in Example; an unknown key is an error that
// names the file and line, so a typo never passes silently.
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
)

// DefaultPath is where setup-cisco looks when --config is not given.
const DefaultPath = "/etc/setup-cisco/setup-cisco.conf"

// DefaultImage is the last SIP release for the 7940/7960; Cisco wrote 8.12
// without the zero padding of 8.1-8.11 (fact sheet §4).
const DefaultImage = "P0S3-8-12-00"

// Site holds everything that is the same for every phone.
type Site struct {
	TFTPRoot      string
	ProxyAddress  string // empty: this host's primary IPv4
	SIPPort       int    // chan_sip port override; 0: from the database
	PJSIPPort     int    // chan_pjsip port override; 0: from the database
	ImageVersion  string
	TimeZone      string
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
	ControlPort   int
	MediaPorts    [2]int
	Templates     string // template override directory
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
		TimeZone:      "GMT",
		DSTAutoAdjust: true,
		DateFormat:    "M/D/Y",
		DialPlan:      []DialRule{{Match: "*", Timeout: 5}},
		MessagesURI:   "*97",
		RegisterTime:  3600,
		Codec:         "g711ulaw",
		ControlPort:   5060,
		MediaPorts:    [2]int{16384, 32766},
		Templates:     "/etc/setup-cisco/templates",
	}
}

type setter func(s *Site, v string) error

var keys = map[string]setter{
	"tftp_root":       func(s *Site, v string) error { s.TFTPRoot = v; return nonEmpty(v) },
	"proxy_address":   func(s *Site, v string) error { s.ProxyAddress = v; return host(v) },
	"sip_port":        intKey(func(s *Site) *int { return &s.SIPPort }, 1, 65535),
	"pjsip_port":      intKey(func(s *Site) *int { return &s.PJSIPPort }, 1, 65535),
	"image_version":   func(s *Site, v string) error { s.ImageVersion = v; return word(v) },
	"time_zone":       func(s *Site, v string) error { s.TimeZone = v; return word(v) },
	"dst_auto_adjust": boolKey(func(s *Site) *bool { return &s.DSTAutoAdjust }),
	"date_format": func(s *Site, v string) error {
		s.DateFormat = v
		return oneOf(v, "M/D/Y", "D/M/Y", "Y/M/D", "Y/D/M", "M/Y/D", "D/Y/M")
	},
	"time_24h":         boolKey(func(s *Site) *bool { return &s.Time24h }),
	"ntp_server":       func(s *Site, v string) error { s.NTPServer = v; return host(v) },
	"dial_plan":        func(s *Site, v string) (err error) { s.DialPlan, err = ParseDialPlan(v); return err },
	"phone_password":   func(s *Site, v string) error { s.PhonePassword = v; return password(v) },
	"messages_uri":     func(s *Site, v string) error { s.MessagesURI = v; return word(v) },
	"telnet_level":     intKey(func(s *Site) *int { return &s.TelnetLevel }, 0, 2),
	"register_expires": intKey(func(s *Site) *int { return &s.RegisterTime }, 1, 3932100),
	"preferred_codec":  func(s *Site, v string) error { s.Codec = v; return oneOf(v, "g711ulaw", "g711alaw", "g729a") },
	"nat_enable":       boolKey(func(s *Site) *bool { return &s.NATEnable }),
	"nat_address":      func(s *Site, v string) error { s.NATAddress = v; return host(v) },
	"sip_control_port": intKey(func(s *Site) *int { return &s.ControlPort }, 1, 65535),
	"media_ports":      mediaPorts,
	"templates":        func(s *Site, v string) error { s.Templates = v; return nonEmpty(v) },
}

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
			return s, nil
		}
		return s, fmt.Errorf("config: %w", err)
	}
	return s, Parse(&s, path, data)
}

// Parse applies the settings in data to s.
func Parse(s *Site, name string, data []byte) error {
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
		if strings.ContainsAny(v, "\"#;\r\n") {
			return fmt.Errorf("%s:%d: %s: value may not contain \", # or ; (they end a value in the phone's config file)", name, n, k)
		}
		if err := set(s, v); err != nil {
			return fmt.Errorf("%s:%d: %s: %w", name, n, k, err)
		}
	}
	return sc.Err()
}

// ParseDialPlan reads "MATCH:TIMEOUT MATCH:TIMEOUT ..." (comma or space
// separated). MATCH uses the phone's dial-plan syntax: `.` one digit, `*`
// any digits, `\*` a literal star; TIMEOUT seconds to wait after the last
// digit (0: dial at once).
func ParseDialPlan(v string) ([]DialRule, error) {
	var rules []DialRule
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		m, t, ok := strings.Cut(f, ":")
		if !ok {
			return nil, fmt.Errorf("%q: want MATCH:TIMEOUT", f)
		}
		sec, err := strconv.Atoi(t)
		if err != nil || sec < 0 || sec > 60 {
			return nil, fmt.Errorf("%q: timeout must be 0-60 seconds", f)
		}
		for _, r := range m {
			if !strings.ContainsRune("0123456789.*#\\>+", r) {
				return nil, fmt.Errorf("%q: %q is not dial-plan syntax (digits . * # \\ > +)", f, r)
			}
		}
		if m == "" {
			return nil, fmt.Errorf("%q: empty match", f)
		}
		rules = append(rules, DialRule{Match: m, Timeout: sec})
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("no rules")
	}
	return rules, nil
}

func nonEmpty(v string) error {
	if v == "" {
		return fmt.Errorf("empty value")
	}
	return nil
}

func word(v string) error {
	if v == "" || strings.ContainsAny(v, " \t") {
		return fmt.Errorf("%q: want one word", v)
	}
	return nil
}

func host(v string) error {
	if v == "" {
		return fmt.Errorf("empty value")
	}
	if _, err := netip.ParseAddr(v); err == nil {
		return nil
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Errorf("%q is neither an IPv4 address nor a host name", v)
		}
	}
	return nil
}

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
