// Package importsettings turns a hand-made SIPDefault.cnf and dialplan.xml
// into setup-cisco's settings file (internal/siteconf's KEY = VALUE), and
// names the settings a file setup-cisco writes changes from such a file.
//
// Each SIPDefault.cnf key maps to the settings key that writes it
// (phonecfg's key table, README "The settings file"); values are checked
// by siteconf itself, so an import never yields a file setup-cisco
// refuses. Keys setup-cisco sets per phone or from FreePBX (lines, proxy
// port, sync) are not settings and are listed as skipped.
package importsettings

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/cnffile"
	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/safefs"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// Setting is one line of the settings file and where it came from.
type Setting struct {
	Key, Value string
	From       string // e.g. "SIPDefault.cnf:12 (preferred_codec)"
}

// Skipped is an input line that gives no setting, and why.
type Skipped struct {
	From, Why string
}

// cnfKeys maps SIPDefault.cnf keys to settings keys; conv turns the
// phone's value into the setting's.
var cnfKeys = map[string]struct {
	setting string
	conv    func(string) string
}{
	"image_version":          {"image_version", nil},
	"proxy1_address":         {"proxy_address", nil},
	"timer_register_expires": {"register_expires", nil},
	"preferred_codec":        {"preferred_codec", nil},
	"voip_control_port":      {"sip_control_port", nil},
	"nat_enable":             {"nat_enable", yesNo},
	"nat_address":            {"nat_address", nil},
	"sntp_server":            {"ntp_server", nil},
	"time_zone":              {"time_zone", nil},
	"dst_auto_adjust":        {"dst_auto_adjust", yesNo},
	"date_format":            {"date_format", nil},
	"time_format_24hr":       {"time_24h", yesNo},
	"messages_uri":           {"messages_uri", nil},
	"telnet_level":           {"telnet_level", nil},
	"phone_password":         {"phone_password", nil},
	"outbound_proxy":         {"outbound_proxy", nil},
	"outbound_proxy_port":    {"outbound_proxy_port", nil},
	"proxy_backup":           {"proxy_backup", nil},
	"proxy_backup_port":      {"proxy_backup_port", nil},
	"proxy_emergency":        {"proxy_emergency", nil},
	"proxy_emergency_port":   {"proxy_emergency_port", nil},
	"services_url":           {"services_url", nil},
	"directory_url":          {"directory_url", nil},
	"logo_url":               {"logo_url", nil},
}

// notSettings are keys setup-cisco writes from FreePBX, the inventory or
// its own logic: importing them would be wrong, so they are named.
func notSetting(k string) string {
	switch {
	case strings.HasPrefix(k, "line") || (strings.HasPrefix(k, "proxy") && k != "proxy1_address"):
		return "per line, from FreePBX and the inventory"
	case k == "sync" || k == "dial_template" || k == "proxy_register" || k == "phone_label":
		return "written by setup-cisco itself"
	case k == "start_media_port" || k == "end_media_port":
		return "" // media_ports, below
	case k == "tftp_cfg_dir":
		return "written by setup-cisco itself, empty: SIP<MAC>.cnf is in the root"
	case k == "sntp_mode":
		return "derived from ntp_server (unicast when it is set)"
	case strings.HasPrefix(k, "dst_"):
		return "derived from time_zone's summer-time rule"
	}
	return "no setting of setup-cisco sets it"
}

func yesNo(v string) string {
	switch strings.TrimSpace(v) {
	case "1":
		return "yes"
	case "0":
		return "no"
	}
	return v
}

// FromCnf reads SIPDefault.cnf's settings. name is used in From.
func FromCnf(name string, data []byte) ([]Setting, []Skipped) {
	var out []Setting
	var skipped []Skipped
	vals := cnffile.Values(data)
	var keys []string
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return vals[keys[i]].Line < vals[keys[j]].Line })
	for _, k := range keys {
		s := vals[k]
		from := fmt.Sprintf("%s:%d (%s)", name, s.Line, k)
		m, ok := cnfKeys[k]
		if !ok {
			if why := notSetting(k); why != "" {
				skipped = append(skipped, Skipped{from, why})
			}
			continue
		}
		v := s.Value
		if v == "" {
			// What setup-cisco writes for a setting left unset (Cisco's
			// sample lists most keys so): nothing to carry over.
			continue
		}
		if m.conv != nil {
			v = m.conv(v)
		}
		out = append(out, Setting{Key: m.setting, Value: v, From: from})
	}
	start, okS := vals["start_media_port"]
	end, okE := vals["end_media_port"]
	if okS || okE {
		d := siteconf.Defaults()
		lo, hi := strconv.Itoa(d.MediaPorts[0]), strconv.Itoa(d.MediaPorts[1])
		line := start.Line
		if okS {
			lo = start.Value
		}
		if okE {
			hi = end.Value
			if !okS {
				line = end.Line
			}
		}
		out = append(out, Setting{Key: "media_ports", Value: lo + "-" + hi, From: fmt.Sprintf("%s:%d (start_media_port, end_media_port)", name, line)})
	}
	return out, skipped
}

// DialRules reads dialplan.xml's <TEMPLATE MATCH=".." Timeout=".."/>
// rules (attribute names in any case) as siteconf's dial_plan value.
// Attributes setup-cisco does not write (Rewrite, Tone, User) are named.
func DialRules(name string, data []byte) (Setting, []Skipped, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var rules []string
	var skipped []Skipped
	n := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Setting{}, nil, fmt.Errorf("%s: %w", name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || !strings.EqualFold(se.Name.Local, "TEMPLATE") {
			continue
		}
		n++
		match, timeout := "", "0"
		for _, a := range se.Attr {
			switch strings.ToLower(a.Name.Local) {
			case "match":
				match = a.Value
			case "timeout":
				timeout = a.Value
			default:
				skipped = append(skipped, Skipped{fmt.Sprintf("%s: rule %d (%s)", name, n, a.Name.Local), "setup-cisco's dial plan rules have MATCH and Timeout only"})
			}
		}
		rules = append(rules, match+":"+timeout)
	}
	if len(rules) == 0 {
		return Setting{}, skipped, fmt.Errorf("%s: no <TEMPLATE> rule", name)
	}
	return Setting{Key: "dial_plan", Value: strings.Join(rules, ", "), From: fmt.Sprintf("%s (%d rules)", name, len(rules))}, skipped, nil
}

// Check keeps the settings siteconf accepts and names the others.
func Check(in []Setting) ([]Setting, []Skipped) {
	var ok []Setting
	var bad []Skipped
	for _, s := range in {
		site := siteconf.Defaults()
		line := s.Key + " = " + s.Value + "\n"
		if s.Key != "time_zone" {
			line = "time_zone = GMT\n" + line // no host zone lookup
		}
		if err := siteconf.Parse(&site, "import", []byte(line)); err != nil {
			msg := err.Error()
			if i := strings.Index(msg, s.Key+": "); i >= 0 {
				msg = msg[i+len(s.Key)+2:]
			}
			bad = append(bad, Skipped{s.From, fmt.Sprintf("%s = %s is not a value setup-cisco accepts: %s", s.Key, s.Value, msg)})
			continue
		}
		ok = append(ok, s)
	}
	return ok, bad
}

// Format writes the settings file text: a header, then each setting with
// a comment naming its source.
func Format(header string, settings []Setting) []byte {
	var b bytes.Buffer
	for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		fmt.Fprintf(&b, "# %s\n", l)
	}
	for _, s := range settings {
		fmt.Fprintf(&b, "\n# from %s\n%s = %s\n", s.From, s.Key, s.Value)
	}
	return b.Bytes()
}

// Difference is a setting a file setup-cisco wrote changes.
type Difference struct {
	Key      string // the .cnf key, or "dial plan"
	Old, New string
	Line     int // in the original
	// Unset: the new file does not set it (New is ""); a key set to ""
	// is a value like any other ("tftp_cfg_dir: ... is now \"\"").
	Unset bool
}

// String names the setting, its line and both values; the value of a
// secret (cnftext.SecretKey: lineN_password, phone_password) is shown as
// its fingerprint, as --diff shows it (cnftext.MaskSecrets): these lines
// go to stderr and syslog, where a live line password must not be read.
func (d Difference) String() string {
	show := strconv.Quote
	if cnftext.SecretKey(d.Key) {
		show = cnftext.Fingerprint
	}
	if d.Unset {
		return fmt.Sprintf("%s: %s (line %d) is no longer set", d.Key, show(d.Old), d.Line)
	}
	return fmt.Sprintf("%s: %s (line %d) is now %s", d.Key, show(d.Old), d.Line, show(d.New))
}

// CompareCnf names each setting of the original .cnf file whose value the
// new file changes or drops, in the original's order.
func CompareCnf(orig, now []byte) []Difference {
	nv, ov := cnffile.Values(now), cnffile.Values(orig)
	var out []Difference
	seen := map[string]bool{}
	for _, s := range cnffile.Read(orig) {
		if seen[s.Key] {
			continue
		}
		seen[s.Key] = true
		last := ov[s.Key]
		n, ok := nv[s.Key]
		switch {
		case !ok:
			out = append(out, Difference{Key: s.Key, Old: last.Value, Line: last.Line, Unset: true})
		case n.Value != last.Value:
			out = append(out, Difference{Key: s.Key, Old: last.Value, New: n.Value, Line: last.Line})
		}
	}
	return out
}

// CompareDialPlan says whether two dialplan.xml files have different rules.
func CompareDialPlan(orig, now []byte) []Difference {
	a, _, errA := DialRules("dialplan.xml", orig)
	b, _, errB := DialRules("dialplan.xml", now)
	if errA != nil || errB != nil || a.Value == b.Value {
		return nil
	}
	return []Difference{{Key: "dial plan", Old: a.Value, New: b.Value, Line: 1}}
}

// selfProxies are the proxy settings that name another proxy beside
// proxy1_address, with their port settings.
var selfProxies = []struct{ key, port string }{
	{"outbound_proxy", "outbound_proxy_port"},
	{"proxy_backup", "proxy_backup_port"},
	{"proxy_emergency", "proxy_emergency_port"},
}

// DropSelfProxies leaves out outbound_proxy, proxy_backup and
// proxy_emergency (and their ports) when they name this PBX: the imported
// proxy_address, or one of self (the host's own addresses). Elastix's stock
// Cisco SIPDefault template sets all three to the PBX on port 5060. A 7940/
// 7960 sends every line's requests to the outbound proxy when one is set,
// and backup/emergency proxies can stop lines reaching their own proxies
// (Cisco's SIP phone tech notes, TECHNMSG in the reference sheet), so a line
// whose driver listens on another port (chan_sip 5160 beside chan_pjsip
// 5060, FreePBX 14+) would reach the wrong driver and never register; each
// line's proxyN_address/port already reaches this PBX, and a backup that is
// the same PBX backs nothing up.
func DropSelfProxies(in []Setting, self []string) ([]Setting, []Skipped) {
	isSelf := map[string]bool{"127.0.0.1": true, "localhost": true}
	for _, a := range self {
		isSelf[strings.ToLower(a)] = true
	}
	byKey := map[string]Setting{}
	for _, s := range in {
		byKey[s.Key] = s
		if s.Key == "proxy_address" {
			isSelf[strings.ToLower(s.Value)] = true
		}
	}
	drop := map[string]string{}
	for _, p := range selfProxies {
		s, ok := byKey[p.key]
		if !ok || !isSelf[strings.ToLower(s.Value)] {
			continue
		}
		port := "5060"
		if ps, ok := byKey[p.port]; ok {
			port = ps.Value
		}
		drop[p.key] = fmt.Sprintf("%s %s is this PBX: the phone would send every line's requests to port %s, so a line on another driver's port (chan_sip 5160 beside chan_pjsip 5060) never registers; each line's own proxy address and port already reach this PBX", p.key, s.Value, port)
		drop[p.port] = fmt.Sprintf("goes with %s, not imported", p.key)
	}
	var out []Setting
	var skipped []Skipped
	for _, s := range in {
		if why, ok := drop[s.Key]; ok {
			skipped = append(skipped, Skipped{From: s.From, Why: why})
			continue
		}
		out = append(out, s)
	}
	return out, skipped
}

// ComparePhoneCnf names each hand setting of an original SIP<MAC>.cnf that
// the phone no longer gets: its value in the new SIP<MAC>.cnf, else in the
// new SIPDefault.cnf (the phone reads SIPDefault.cnf first and its own file
// after, so its own file wins; Cisco SIP IP Phone Administrator Guide,
// "Configuration Files"). Per-line keys (line*, proxy*: from FreePBX and
// the inventory, and holding the lines' passwords) and sync are not hand
// settings and are not compared.
func ComparePhoneCnf(orig, now, sipDefault []byte) []Difference {
	nv, dv, ov := cnffile.Values(now), cnffile.Values(sipDefault), cnffile.Values(orig)
	var out []Difference
	seen := map[string]bool{}
	for _, s := range cnffile.Read(orig) {
		k := s.Key
		if seen[k] || strings.HasPrefix(k, "line") || strings.HasPrefix(k, "proxy") || k == "sync" {
			continue
		}
		seen[k] = true
		last := ov[k]
		n, ok := nv[k]
		if !ok {
			n, ok = dv[k]
		}
		switch {
		case !ok:
			out = append(out, Difference{Key: k, Old: last.Value, Line: last.Line, Unset: true})
		case n.Value != last.Value:
			out = append(out, Difference{Key: k, Old: last.Value, New: n.Value, Line: last.Line})
		}
	}
	return out
}

// PhoneFile is a phone's own file in the directory a replaced
// SIPDefault.cnf's tftp_cfg_dir named.
type PhoneFile struct {
	Path string // as the phone asked for it, relative to the TFTP root: "sip_phone/SIP<MAC>.cnf"
	MAC  string // 12 upper-case hex digits
	Data []byte
}

// maxPhoneFile bounds a phone file read for comparison (setup-cisco's
// own are under 2 KiB).
const maxPhoneFile = 64 << 10

// CfgDir is where a phone asks for its own file under a SIPDefault.cnf's
// tftp_cfg_dir: the value is put as written in front of SIP<MAC>.cnf
// (HUGO-sample "./sip_phone/"; TEO's phone asked for ./SIP<MAC>.cnf under
// "./"; fact sheet §1, §3), a path the TFTP daemon takes from its root
// (atftpd, and tftpd-hpa with --secure). dir is that directory relative to
// the root ("" for the root itself) and prefix what stands before "SIP"
// in the file name ("sip_phone" without a slash asks for
// sip_phoneSIP<MAC>.cnf). ok is false when data sets no tftp_cfg_dir, one
// that is the root itself (the files setup-cisco writes), or one that
// leaves the root.
func CfgDir(data []byte) (value, dir, prefix string, ok bool) {
	value, set := cnffile.Get(data, "tftp_cfg_dir")
	if !set {
		return "", "", "", false
	}
	p := path.Clean(strings.TrimLeft(value+"SIP", "/"))
	if p == ".." || strings.HasPrefix(p, "../") {
		return value, "", "", false
	}
	dir, prefix = path.Dir(p), strings.TrimSuffix(path.Base(p), "SIP")
	if dir == "." {
		dir = ""
	}
	return value, dir, prefix, dir != "" || prefix != ""
}

// CfgDirPhoneFiles reads the phones' own files that a replaced
// SIPDefault.cnf (orig) sent the phones to through tftp_cfg_dir (CfgDir),
// in the TFTP root at root: every regular prefix+SIP<MAC>.cnf there, MAC
// in upper case as phones ask for it. Neither the directory nor a file is
// followed through a symbolic link (the root may be writable by others).
// A directory that is not there has none.
func CfgDirPhoneFiles(root string, orig []byte) (value string, files []PhoneFile, err error) {
	value, dir, prefix, ok := CfgDir(orig)
	if !ok {
		return value, nil, nil
	}
	d, err := safefs.Open(root)
	if err != nil {
		return value, nil, err
	}
	defer func() { d.Close() }()
	if dir != "" {
		for _, c := range strings.Split(dir, "/") {
			sub, err := d.OpenDir(c)
			if errors.Is(err, fs.ErrNotExist) {
				return value, nil, nil
			}
			if err != nil {
				return value, nil, err
			}
			d.Close()
			d = sub
		}
	}
	entries, err := d.ReadDir()
	if err != nil {
		return value, nil, err
	}
	for _, e := range entries {
		mac, ok := strings.CutPrefix(e.Name(), prefix+"SIP")
		if mac, ok = strings.CutSuffix(mac, ".cnf"); !ok || !upperMAC(mac) || !e.Type().IsRegular() {
			continue
		}
		data, err := d.ReadFile(e.Name(), maxPhoneFile)
		if err != nil {
			return value, files, err
		}
		files = append(files, PhoneFile{Path: path.Join(dir, e.Name()), MAC: mac, Data: data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return value, files, nil
}

// upperMAC says whether s is 12 upper-case hex digits.
func upperMAC(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
