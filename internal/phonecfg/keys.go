package phonecfg

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/tzrule"
)

// The files a key goes in.
const (
	DefaultFile = "SIPDefault.cnf"
	PhoneFile   = "SIP<MAC>.cnf"
)

// Key is one key setup-cisco writes. The table below is the single list of
// them: the built-in templates render the files from it, the tests check
// the files against it, and README's key list is generated from it.
//
// Flash retention (fact sheet §7; ADM40-p2-4, CME-FILES): a 7940/7960 keeps
// in flash every value no file sets, so every key here is written in every
// file of its kind, to a value or to Reset; a line, a password or a
// setting removed from FreePBX or from setup-cisco.conf is thereby cleared
// on the phone's next boot instead of living on.
type Key struct {
	// Name is the key; "N" in a line key stands for the line number,
	// written for every line key of the model (7940: 2, 7960: 6).
	Name     string
	File     string // DefaultFile or PhoneFile
	Releases string // the firmware releases that read it
	Format   string // the values it takes
	Reset    string // written when setup-cisco has nothing to set
	Source   string // where the key and its values are documented
	quote    bool   // written in double quotes (always when empty)
	// site gives the value in SIPDefault.cnf; phone that in SIP<MAC>.cnf
	// (n: the line number of a line key). ok false: write Reset.
	site  func(c *Config) (string, bool)
	phone func(c *Config, p Phone, n int) (string, bool)
}

// PerLine reports whether the key is written once per line key.
func (k Key) PerLine() bool { return strings.Contains(k.Name, "N_") }

// Setting is one written `key: value` line.
type Setting struct {
	Key, Value string
	Quote      bool
}

// String is the line as written: `key: "value"` or `key: value`.
func (s Setting) String() string {
	var b strings.Builder
	s.WriteLine(&b)
	return strings.TrimSuffix(b.String(), "\n")
}

// WriteLine writes the setting as one cnf line, newline included: key,
// ": ", the value (in double quotes when quoted or empty).
func (s Setting) WriteLine(w interface {
	WriteString(string) (int, error)
}) {
	w.WriteString(s.Key)
	if s.Quote || s.Value == "" {
		w.WriteString(`: "`)
		w.WriteString(s.Value)
		w.WriteString("\"\n")
		return
	}
	w.WriteString(": ")
	w.WriteString(s.Value)
	w.WriteString("\n")
}

func always(v string) func(*Config) (string, bool) {
	return func(*Config) (string, bool) { return v, true }
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// dst reads one part of the summer-time rule; ok is false (write the reset
// value) when the zone has none.
func dst(f func(r *tzrule.DST) string) func(*Config) (string, bool) {
	return func(c *Config) (string, bool) {
		r := c.Site.Clock.Zone.DST
		if r == nil {
			return "", false
		}
		return f(r), true
	}
}

// dstKey is a row of the summer-time rule: SIPDefault.cnf, read from 2.0
// on (srcDST), its value from the zone's rule or its reset value.
// siteKey is a SIPDefault.cnf key set from the settings file key of the
// same name, written empty when that is unset (Cisco's sample
// SIPDefault.cnf, HUGO-sample, lists each with ""; fact sheet §3, §7).
func siteKey(name, format string, v func(*siteconf.Site) string) Key {
	return Key{Name: name, File: DefaultFile, Releases: "all that read it", Format: format, Reset: `""`,
		Source: "HUGO-sample (Cisco's sample SIPDefault.cnf); TECHNMSG; fact sheet §3, §7", quote: true,
		site: func(c *Config) (string, bool) { x := v(&c.Site); return x, x != "" }}
}

// proxyPortKey is the port of outbound_proxy, proxy_backup or
// proxy_emergency: the settings file's value, else 5060, the reset value
// Cisco's sample SIPDefault.cnf writes and documents for each ("default is
// 5060", HUGO-sample), whether or not the proxy is set. Never empty: a
// phone told to use a proxy on port "" keeps what its flash had (§7).
func proxyPortKey(name string, v func(*siteconf.Site) int) Key {
	return Key{Name: name, File: DefaultFile, Releases: "all that read it", Format: "UDP port", Reset: "5060",
		Source: "HUGO-sample (Cisco's sample SIPDefault.cnf: 5060, the default); fact sheet §3, §7", quote: true,
		site: func(c *Config) (string, bool) { p := v(&c.Site); return strconv.Itoa(p), p != 0 }}
}

func dstKey(name, format, reset string, quote bool, f func(r *tzrule.DST) string) Key {
	return Key{Name: name, File: DefaultFile, Releases: "2.0 and later", Format: format, Reset: reset,
		Source: srcDST, quote: quote, site: dst(f)}
}

func line(f func(l Line) string) func(*Config, Phone, int) (string, bool) {
	return func(_ *Config, p Phone, n int) (string, bool) {
		for _, l := range p.Lines {
			if l.N == n {
				return f(l), true
			}
		}
		return "", false
	}
}

const (
	srcDST  = "ADM20-3-26 (Cisco SIP IP Phone 7960 Admin Guide 2.0, p.3-26); sipXconfig phone.xml; fact sheet §7"
	srcLine = "ADM40-p3-24 (Admin Guide 4.0, Table 3-4, phone-specific); CME-FILES writes unused lines empty; fact sheet §3, §7"
)

// Keys is the key table, in the order the files are written.
// image_version comes first: phones on old loads read it from the first line
// of SIPDefault.cnf (how-to; firmware package).
var Keys = []Key{
	{Name: "image_version", File: DefaultFile, Releases: "all", Format: "SIP load name, no extension (P0S3-8-12-00)", Reset: "(always set)",
		Source: "PROV-SIPDefault, TEO, CME-FILES; first line: how-to", quote: true,
		site: func(c *Config) (string, bool) { return c.Site.ImageVersion, true }},
	{Name: "proxy_register", File: DefaultFile, Releases: "all", Format: "0 off, 1 register", Reset: "(always 1)",
		Source: "HUGO-sample, JH-SIPDefault", site: always("1")},
	{Name: "timer_register_expires", File: DefaultFile, Releases: "all", Format: "1-3932100 seconds", Reset: "3600",
		Source: "HUGO-sample", site: func(c *Config) (string, bool) { return strconv.Itoa(c.Site.RegisterTime), true }},
	{Name: "preferred_codec", File: DefaultFile, Releases: "all", Format: "g711ulaw, g711alaw or g729a", Reset: "g711ulaw",
		Source: "HUGO-sample, JH-SIPDefault", site: func(c *Config) (string, bool) { return c.Site.Codec, true }},
	{Name: "voip_control_port", File: DefaultFile, Releases: "all", Format: "UDP port", Reset: "5060",
		Source: "HUGO-sample, CME-FILES", site: func(c *Config) (string, bool) { return strconv.Itoa(c.Site.ControlPort), true }},
	{Name: "start_media_port", File: DefaultFile, Releases: "all", Format: "even UDP port", Reset: "16384",
		Source: "HUGO-sample, CME-FILES", site: func(c *Config) (string, bool) { return strconv.Itoa(c.Site.MediaPorts[0]), true }},
	{Name: "end_media_port", File: DefaultFile, Releases: "all", Format: "UDP port", Reset: "32766",
		Source: "HUGO-sample, CME-FILES", site: func(c *Config) (string, bool) { return strconv.Itoa(c.Site.MediaPorts[1]), true }},
	{Name: "nat_enable", File: DefaultFile, Releases: "all", Format: "0 or 1", Reset: "0",
		Source: "HUGO-sample, TECHNMSG", site: func(c *Config) (string, bool) { return boolStr(c.Site.NATEnable), true }},
	{Name: "nat_address", File: DefaultFile, Releases: "all", Format: "WAN IPv4 address or DNS A record", Reset: `""`,
		Source: "HUGO-sample, TECHNMSG", quote: true, site: func(c *Config) (string, bool) { return c.Site.NATAddress, c.Site.NATAddress != "" }},
	{Name: "sntp_mode", File: DefaultFile, Releases: "all", Format: "unicast, multicast, anycast or directedbroadcast", Reset: "directedbroadcast",
		Source: "HUGO-sample, CME-FILES", site: func(c *Config) (string, bool) { return "unicast", c.Site.NTPServer != "" }},
	{Name: "sntp_server", File: DefaultFile, Releases: "all", Format: "IPv4 address or host name", Reset: `""`,
		Source: "HUGO-sample, CME-FILES", quote: true, site: func(c *Config) (string, bool) { return c.Site.NTPServer, c.Site.NTPServer != "" }},
	{Name: "time_zone", File: DefaultFile, Releases: "all", Format: "Cisco zone code (" + strings.Join(tzrule.CodeNames(), " ") + ")", Reset: "(always set)",
		Source: "sipXconfig phone.xml (Cisco's list); fact sheet §7", site: func(c *Config) (string, bool) { return c.Site.Clock.Zone.Code, true }},
	dstKey("dst_offset", "hours, -12 to 12", "1", false, func(r *tzrule.DST) string { return strconv.Itoa(r.Offset) }),
	dstKey("dst_start_month", "1-12 (or month name)", "4", false, func(r *tzrule.DST) string { return strconv.Itoa(r.Start.Month) }),
	dstKey("dst_start_day", "1-31, 0 for a weekday rule", "0", false, func(*tzrule.DST) string { return "0" }),
	dstKey("dst_start_day_of_week", "1-7, 1 = Sunday", "1", false, func(r *tzrule.DST) string { return strconv.Itoa(r.Start.Weekday) }),
	dstKey("dst_start_week_of_month", "1-6, 8 = last week", "1", false, func(r *tzrule.DST) string { return strconv.Itoa(r.Start.Week) }),
	dstKey("dst_start_time", "hh:mm local time", "02:00", true, func(r *tzrule.DST) string { return r.Start.Time() }),
	dstKey("dst_stop_month", "1-12 (or month name)", "10", false, func(r *tzrule.DST) string { return strconv.Itoa(r.Stop.Month) }),
	dstKey("dst_stop_day", "1-31, 0 for a weekday rule", "0", false, func(*tzrule.DST) string { return "0" }),
	dstKey("dst_stop_day_of_week", "1-7, 1 = Sunday", "1", false, func(r *tzrule.DST) string { return strconv.Itoa(r.Stop.Weekday) }),
	dstKey("dst_stop_week_of_month", "1-6, 8 = last week", "8", false, func(r *tzrule.DST) string { return strconv.Itoa(r.Stop.Week) }),
	dstKey("dst_stop_time", "hh:mm local (summer) time", "02:00", true, func(r *tzrule.DST) string { return r.Stop.Time() }),
	{Name: "dst_auto_adjust", File: DefaultFile, Releases: "2.0 and later", Format: "0 or 1", Reset: "1",
		Source: srcDST, site: func(c *Config) (string, bool) {
			ck := c.Site.Clock
			return boolStr(c.Site.DSTAutoAdjust && (ck.Direct || ck.Zone.DST != nil)), true
		}},
	{Name: "date_format", File: DefaultFile, Releases: "all", Format: "M/D/Y, D/M/Y, Y/M/D, Y/D/M, Y-M-D or YY-M-D", Reset: "M/D/Y",
		Source: "sipXconfig phone.xml (Cisco's list); CME-FILES; fact sheet §7", quote: true,
		site: func(c *Config) (string, bool) { return c.Site.DateFormat, true }},
	{Name: "time_format_24hr", File: DefaultFile, Releases: "all", Format: "0 = 12 h, 1 = 24 h", Reset: "0",
		Source: "HUGO-sample, CME-FILES", site: func(c *Config) (string, bool) { return boolStr(c.Site.Time24h), true }},
	{Name: "dial_template", File: DefaultFile, Releases: "all", Format: "dial plan file name without .xml", Reset: "(always dialplan)",
		Source: "HUGO-sample", quote: true, site: always("dialplan")},
	{Name: "messages_uri", File: DefaultFile, Releases: "all", Format: "number the Messages key dials", Reset: "(always set)",
		Source: "JH-SIPDefault, CME-FILES", quote: true, site: func(c *Config) (string, bool) { return c.Site.MessagesURI, true }},
	{Name: "directory_url", File: DefaultFile, Releases: "all that show Directories (not documented per release)", Format: "http:// URL of a CiscoIPPhoneDirectory or CiscoIPPhoneMenu", Reset: `""`,
		Source: "HUGO-sample, ADIS; fact sheet §3", quote: true, site: func(c *Config) (string, bool) { return c.Site.DirectoryURL, c.Site.DirectoryURL != "" }},
	{Name: "tftp_cfg_dir", File: DefaultFile, Releases: "all", Format: "directory of SIP<MAC>.cnf, relative to the TFTP root, ending in /", Reset: `"" (the root)`,
		Source: "HUGO-sample (./sip_phone/); prepended to SIP<MAC>.cnf as written: TEO; fact sheet §1, §3. Kept in flash like any key (§7): a root taken over from a layout with a subdirectory must clear it", quote: true,
		site: always("")},
	// Where else a phone sends SIP or finds services: a root taken over
	// from a hand-made setup may have set them, and flash keeps them (an
	// outbound proxy at the old PBX breaks registration), so each is
	// written, empty unless the settings file sets it (ports: 5060).
	siteKey("outbound_proxy", "IPv4 address or DNS A record", func(s *siteconf.Site) string { return s.OutboundProxy }),
	proxyPortKey("outbound_proxy_port", func(s *siteconf.Site) int { return s.OutboundProxyPort }),
	siteKey("proxy_backup", "IPv4 address", func(s *siteconf.Site) string { return s.BackupProxy }),
	proxyPortKey("proxy_backup_port", func(s *siteconf.Site) int { return s.BackupProxyPort }),
	siteKey("proxy_emergency", "IPv4 address", func(s *siteconf.Site) string { return s.EmergencyProxy }),
	proxyPortKey("proxy_emergency_port", func(s *siteconf.Site) int { return s.EmergencyProxyPort }),
	siteKey("services_url", "http:// URL of the Services menu", func(s *siteconf.Site) string { return s.ServicesURL }),
	siteKey("logo_url", "http:// URL of a 90x56 BMP", func(s *siteconf.Site) string { return s.LogoURL }),
	{Name: "telnet_level", File: DefaultFile, Releases: "all", Format: "0 off, 1 on, 2 privileged", Reset: "0",
		Source: "HUGO-sample, FUSION-7940-SIPDefault", site: func(c *Config) (string, bool) { return strconv.Itoa(c.Site.TelnetLevel), true }},

	{Name: "image_version", File: PhoneFile, Releases: "all", Format: "SIP load name: the phone's pin", Reset: "(not written: SIPDefault.cnf's applies)",
		Source: "CME-FILES, IPF, FUSION-7940-SIPmac; fact sheet §2", quote: true},
	{Name: "phone_label", File: PhoneFile, Releases: "2.0 and later", Format: "text, at most 11 characters", Reset: `""`,
		Source: "HUGO-sample, ADIS; length FUNKFEUER", quote: true,
		phone: func(_ *Config, p Phone, _ int) (string, bool) { return p.Label, p.Label != "" }},
	{Name: "phone_password", File: PhoneFile, Releases: "3.0 and later", Format: "printable ASCII, at most 31 characters", Reset: "cisco",
		Source: "HUGO-sample (Cisco's sample: default cisco, 31 characters); phone-specific: ADM40-p3-24, fact sheet §7", quote: true,
		phone: func(c *Config, p Phone, _ int) (string, bool) {
			return c.Site.PhonePassword, c.Site.PhonePassword != "" && !p.Retired
		}},
	{Name: "sync", File: PhoneFile, Releases: "all", Format: "1-32 characters, compared with syncinfo.xml", Reset: "1",
		Source: "HUGO-sample, CME-FILES, ADM80-p4-4",
		phone:  func(_ *Config, p Phone, _ int) (string, bool) { return p.Sync, p.Sync != "" }},
	{Name: "lineN_name", File: PhoneFile, Releases: "all", Format: "number or user ID, no host part", Reset: `""`,
		Source: srcLine, quote: true, phone: line(func(l Line) string { return l.Name })},
	{Name: "lineN_authname", File: PhoneFile, Releases: "all", Format: "digest user name", Reset: `""`,
		Source: srcLine, quote: true, phone: line(func(l Line) string { return l.Name })},
	{Name: "lineN_password", File: PhoneFile, Releases: "all", Format: "digest password", Reset: `""`,
		Source: srcLine, quote: true, phone: line(func(l Line) string { return l.Password })},
	{Name: "lineN_displayname", File: PhoneFile, Releases: "2.0 and later", Format: "text sent in SIP headers", Reset: `""`,
		Source: srcLine + "; HUGO-sample", quote: true, phone: line(func(l Line) string { return l.DisplayName })},
	{Name: "lineN_shortname", File: PhoneFile, Releases: "all", Format: "line key label; empty shows lineN_name", Reset: `""`,
		Source: srcLine + "; TECHNMSG", quote: true, phone: line(func(l Line) string { return l.ShortName })},
	{Name: "proxyN_address", File: PhoneFile, Releases: "all", Format: "IPv4 address or host name", Reset: `""`,
		Source: "CME-FILES (six of each), HUGO-sample, FUSION-7940-SIPmac", quote: true, phone: line(func(l Line) string { return l.Proxy })},
	{Name: "proxyN_port", File: PhoneFile, Releases: "all", Format: "UDP port", Reset: "5060",
		Source: "CME-FILES, HUGO-sample", quote: true, phone: line(func(l Line) string { return strconv.Itoa(l.Port) })},
}

// reset is the value written for Reset: its literal text, "" for `""`.
func (k Key) reset() string {
	if k.Reset == `""` {
		return ""
	}
	return k.Reset
}

func (k Key) setting(name, v string, ok bool) Setting {
	if !ok {
		v = k.reset()
	}
	return Setting{Key: name, Value: v, Quote: k.quote}
}

// DefaultSettings is SIPDefault.cnf, key by key.
func (c *Config) DefaultSettings() []Setting {
	var out []Setting
	for _, k := range Keys {
		if k.File == DefaultFile {
			v, ok := k.site(c)
			out = append(out, k.setting(k.Name, v, ok))
		}
	}
	return out
}

// PhoneSettings is p's SIP<MAC>.cnf, key by key: the pin when there is
// one, then every other key, the line keys for each line key the model has
// (lines without an extension get the reset values).
func (c *Config) PhoneSettings(p Phone) []Setting {
	return c.AppendPhoneSettings(nil, &p)
}

// AppendPhoneSettings appends PhoneSettings(*p) to out (a writer that
// reuses one slice for every phone allocates none).
func (c *Config) AppendPhoneSettings(out []Setting, p *Phone) []Setting {
	lines := LineKeys(p.Model)
	out = slices.Grow(out, 1+len(Keys)+lines*len(perLineNames))
	if p.Image != "" {
		out = append(out, Setting{Key: "image_version", Value: p.Image, Quote: true})
	}
	for _, k := range Keys {
		if k.File == PhoneFile && k.phone != nil && !k.PerLine() {
			v, ok := k.phone(c, *p, 0)
			out = append(out, k.setting(k.Name, v, ok))
		}
	}
	for n := 1; n <= lines; n++ {
		for _, k := range Keys {
			if k.File == PhoneFile && k.PerLine() {
				v, ok := k.phone(c, *p, n)
				out = append(out, k.setting(lineKeyName(k.Name, n), v, ok))
			}
		}
	}
	return out
}

// perLineNames holds the per-line keys' names for lines 1-6 (line1_name
// ...), made once instead of for every phone: read-only after init, so the
// phones may be rendered concurrently.
var perLineNames = func() map[string][6]string {
	m := map[string][6]string{}
	for _, k := range Keys {
		if k.File == PhoneFile && k.PerLine() {
			var names [6]string
			for n := range names {
				names[n] = strings.Replace(k.Name, "N_", fmt.Sprint(n+1)+"_", 1)
			}
			m[k.Name] = names
		}
	}
	return m
}()

// lineKeyName is per-line key name (lineN_...) for line n.
func lineKeyName(name string, n int) string {
	if names, ok := perLineNames[name]; ok && n >= 1 && n <= len(names) {
		return names[n-1]
	}
	return strings.Replace(name, "N_", fmt.Sprint(n)+"_", 1)
}

// LineKeys is the number of line keys of a model: 2 on the 7940, 6 on the
// 7960 (ADM75-D, ADM40-p3-24); 6 for a model not known.
func LineKeys(model string) int {
	if n := inventory.Models[model]; n > 0 {
		return n
	}
	return 6
}

// KeyTableMarkdown is README's list of the keys written ("Keys written"),
// generated from Keys; a test keeps README in step.
func KeyTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| Key | File | Releases | Values | Reset value | Source |\n|---|---|---|---|---|---|\n")
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, k := range Keys {
		name := "`" + k.Name + "`"
		if k.PerLine() {
			name += " (N = 1-6; 1-2 on the 7940)"
		}
		reset := k.Reset
		if !strings.HasPrefix(reset, "(") {
			reset = "`" + reset + "`"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", name, k.File, cell(k.Releases), cell(k.Format), cell(reset), cell(k.Source))
	}
	return b.String()
}
