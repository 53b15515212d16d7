// Package tzrule turns a time zone of the system's tz database (an IANA
// name such as Europe/Berlin, the host's zone, or a POSIX TZ string) into
// what a Cisco 7940/7960 on SIP firmware can be told: a time_zone code and
// an explicit daylight-saving rule (dst_start_*, dst_stop_*, dst_offset).
//
// The rule is the POSIX TZ string that ends every version 2+ TZif file
// (RFC 8536 §3.3): it states how the zone behaves from its last listed
// transition on, which is today's rule. "CET-1CEST,M3.5.0,M10.5.0/3" reads:
// standard time CET one hour east of UTC, daylight time CEST, from the last
// (5) Sunday (0) of March at 02:00 local standard time to the last Sunday of
// October at 03:00 local daylight time.
//
// The phone's side (shared/reference/cisco-79x0-sip-facts.md §7, ADM20-3-26:
// Cisco SIP IP Phone 7960 Admin Guide 2.0, 78-10497-02, p.3-26): months 1-12,
// dst_*_day 0 for a relative rule, day_of_week 1-7 with 1 = Sunday,
// week_of_month 1-6 or 8 for the last week, times hh:mm in local time;
// time_zone codes as sipXconfig copies Cisco's list (sipXtapi/sipXtapi,
// sipXconfig/neoconf/etc/ciscoIp/phone.xml), dst_offset -12..12 hours (same).
package tzrule

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Zone is a time zone as the phone is told it.
type Zone struct {
	Name   string // what was asked for: "Europe/Berlin", or a POSIX TZ string
	From   string // where it came from: the file read, or "TZ"
	POSIX  string // the rule read from the tz database
	Code   string // time_zone: Cisco's code for the standard-time offset
	Offset int    // standard time, seconds east of UTC
	DST    *DST   // nil: the zone keeps standard time all year
}

// DST is an explicit daylight-saving rule.
type DST struct {
	Offset      int // hours added in summer (dst_offset)
	Start, Stop Change
}

// Change is one transition: on weekday Weekday (1 = Sunday) of week Week
// (1-4, or 8 for the last) of Month (1-12), at Hour:Minute local time.
type Change struct {
	Month, Week, Weekday int
	Hour, Minute         int
}

// Time is the change's time as the phone reads it, "02:00".
func (c Change) Time() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// Code is one of Cisco's time_zone codes with the standard-time offset it
// stands for, in minutes east of UTC.
type Code struct {
	Name   string
	Offset int // minutes east of UTC
	Known  bool
}

// Codes lists Cisco's time_zone codes in Cisco's order (sipXconfig's copy,
// fact sheet §7), with the standard-time offset each stands for. The list
// is ordered by offset from -12 to +12; the offsets follow the usual
// meaning of each abbreviation (IDL International Date Line -12, NT Nome
// -11, AHST Alaska-Hawaii -10, YST Yukon -9, ..., BST Brazil -3, AT Azores
// -2, WAT West Africa -1, BT Baghdad +3, IT Iran +3:30, AFG +4:30, IST India
// +5:30, SUM Sumatra +7, WAST West Australia +8, CAST Central Australia
// +9:30, EAST East Australia +10, EADT +11, NZST +12). IMT and HST sit
// between two known neighbours in Cisco's order with no offset one can be
// sure of, so they are accepted when given directly but never chosen.
var Codes = []Code{
	{"IDL", -12 * 60, true}, {"NT", -11 * 60, true}, {"AHST", -10 * 60, true}, {"IMT", 0, false},
	{"YST", -9 * 60, true}, {"PST", -8 * 60, true}, {"MST", -7 * 60, true}, {"CST", -6 * 60, true},
	{"EST", -5 * 60, true}, {"AST", -4 * 60, true}, {"NST", -(3*60 + 30), true}, {"BST", -3 * 60, true},
	{"AT", -2 * 60, true}, {"WAT", -1 * 60, true}, {"GMT", 0, true}, {"CET", 60, true},
	{"EET", 2 * 60, true}, {"BT", 3 * 60, true}, {"IT", 3*60 + 30, true}, {"ZP4", 4 * 60, true},
	{"AFG", 4*60 + 30, true}, {"ZP5", 5 * 60, true}, {"IST", 5*60 + 30, true}, {"ZP6", 6 * 60, true},
	{"SUM", 7 * 60, true}, {"WAST", 8 * 60, true}, {"HST", 0, false}, {"JST", 9 * 60, true},
	{"CAST", 9*60 + 30, true}, {"EAST", 10 * 60, true}, {"EADT", 11 * 60, true}, {"NZST", 12 * 60, true},
}

// IsCode reports whether s is one of Cisco's codes (exact case).
func IsCode(s string) bool {
	for _, c := range Codes {
		if c.Name == s {
			return true
		}
	}
	return false
}

// CodeNames lists the codes, for messages.
func CodeNames() []string {
	out := make([]string, len(Codes))
	for i, c := range Codes {
		out[i] = c.Name
	}
	return out
}

// ErrUnknown is wrapped by Lookup for a name the tz database does not have.
var ErrUnknown = errors.New("not a time zone of the tz database")

// ErrUnrepresentable is wrapped when the zone exists but the phone cannot
// show it: no code for its offset, or a rule the phone's keys cannot state.
var ErrUnrepresentable = errors.New("the phone cannot show this zone")

// Lookup reads the IANA zone name from the tz database (ZONEINFO, else
// /usr/share/zoneinfo, as the C library does) and converts it.
func Lookup(name string) (Zone, error) {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return Zone{}, fmt.Errorf("%q: %w", name, ErrUnknown)
	}
	var lastErr error
	for _, dir := range zoneDirs() {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			lastErr = err
			continue
		}
		z, err := fromTZif(name, path, data)
		if err != nil {
			return Zone{}, err
		}
		return z, nil
	}
	if errors.Is(lastErr, os.ErrNotExist) || lastErr == nil {
		return Zone{}, fmt.Errorf("%q: %w (looked in %s)", name, ErrUnknown, strings.Join(zoneDirs(), ", "))
	}
	return Zone{}, fmt.Errorf("%q: %w", name, lastErr)
}

func zoneDirs() []string {
	if d := os.Getenv("ZONEINFO"); d != "" {
		return []string{d, "/usr/share/zoneinfo"}
	}
	return []string{"/usr/share/zoneinfo"}
}

// Host returns the host's zone as the C library decides it (tzset(3)): TZ
// when set (":NAME" or "NAME" a zone file, an absolute path, or a POSIX TZ
// string; empty: UTC), else /etc/localtime (missing: UTC).
func Host() (Zone, error) {
	tz, set := os.LookupEnv("TZ")
	if set && strings.TrimPrefix(tz, ":") == "" {
		// TZ set but empty: the C library uses UTC.
		z, err := FromPOSIX("UTC0")
		z.Name, z.From = "UTC", "TZ (empty)"
		return z, err
	}
	if set {
		tz = strings.TrimPrefix(tz, ":")
		if strings.HasPrefix(tz, "/") {
			return fromFile(tz, tz)
		}
		if z, err := Lookup(tz); err == nil || !errors.Is(err, ErrUnknown) {
			if err == nil {
				z.From = "TZ=" + tz
			}
			return z, err
		}
		z, err := FromPOSIX(tz)
		if err != nil {
			return Zone{}, fmt.Errorf("TZ=%s: %w", tz, err)
		}
		z.From = "TZ"
		return z, nil
	}
	name := "/etc/localtime"
	if target, err := filepath.EvalSymlinks(name); err == nil {
		for _, dir := range zoneDirs() {
			if rel, err := filepath.Rel(dir, target); err == nil && !strings.HasPrefix(rel, "..") {
				name = rel
				break
			}
		}
	}
	if _, err := os.Lstat("/etc/localtime"); errors.Is(err, os.ErrNotExist) {
		// No /etc/localtime: the C library uses UTC.
		z, err := FromPOSIX("UTC0")
		z.Name, z.From = "UTC", "no /etc/localtime"
		return z, err
	}
	return fromFile(name, "/etc/localtime")
}

func fromFile(name, path string) (Zone, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Zone{}, fmt.Errorf("time zone: %w", err)
	}
	return fromTZif(name, path, data)
}

// fromTZif reads the footer of a TZif file (RFC 8536 §3.3).
func fromTZif(name, path string, data []byte) (Zone, error) {
	if !bytes.HasPrefix(data, []byte("TZif")) || len(data) < 5 {
		return Zone{}, fmt.Errorf("%s: %w", path, ErrUnknown)
	}
	if data[4] < '2' {
		return Zone{}, fmt.Errorf("%s: TZif version 1 has no rule footer: %w", path, ErrUnrepresentable)
	}
	body := bytes.TrimSuffix(data, []byte("\n"))
	i := bytes.LastIndexByte(body, '\n')
	if i < 0 {
		return Zone{}, fmt.Errorf("%s: no rule footer", path)
	}
	posix := string(body[i+1:])
	z, err := FromPOSIX(posix)
	if err != nil {
		return Zone{}, fmt.Errorf("%s (%s): %w", name, posix, err)
	}
	z.Name, z.From = name, path
	return z, nil
}

// FromPOSIX converts a POSIX TZ string ("EST5EDT,M3.2.0,M11.1.0").
func FromPOSIX(s string) (Zone, error) {
	z := Zone{Name: s, POSIX: s}
	p := &posixParser{s: s}
	stdName := p.name()
	if stdName == "" {
		return z, fmt.Errorf("%q: no zone abbreviation: %w", s, ErrUnknown)
	}
	west, ok := p.offset()
	if !ok {
		return z, fmt.Errorf("%q: no UTC offset: %w", s, ErrUnknown)
	}
	z.Offset = -west
	code, err := codeFor(z.Offset)
	if err != nil {
		return z, fmt.Errorf("%s: %w", stdName, err)
	}
	z.Code = code
	if p.done() {
		return z, nil
	}
	if p.name() == "" {
		return z, fmt.Errorf("%q: %w", s, ErrUnknown)
	}
	dstWest := west - 3600
	if !p.done() && p.peek() != ',' {
		if dstWest, ok = p.offset(); !ok {
			return z, fmt.Errorf("%q: bad daylight-time offset: %w", s, ErrUnknown)
		}
	}
	save := west - dstWest
	if save%3600 != 0 || save == 0 {
		return z, fmt.Errorf("summer time shifts by %s, the phone's dst_offset takes whole hours: %w", hm(save), ErrUnrepresentable)
	}
	if p.done() {
		// No rule: POSIX says the default rule applies; the tz database
		// always writes one, so this is a hand-made TZ value.
		return z, fmt.Errorf("%q: daylight time without a rule: %w", s, ErrUnrepresentable)
	}
	start, err := p.change()
	if err != nil {
		return z, err
	}
	stop, err := p.change()
	if err != nil {
		return z, err
	}
	if !p.done() {
		return z, fmt.Errorf("%q: trailing %q: %w", s, p.s[p.i:], ErrUnknown)
	}
	z.DST = &DST{Offset: save / 3600, Start: start, Stop: stop}
	return z, nil
}

// codeFor picks Cisco's code for a standard-time offset (seconds east).
func codeFor(east int) (string, error) {
	if east%60 == 0 {
		for _, c := range Codes {
			if c.Known && c.Offset == east/60 {
				return c.Name, nil
			}
		}
	}
	return "", fmt.Errorf("UTC%s: no Cisco time_zone code has this offset: %w", signedHM(east), ErrUnrepresentable)
}

func hm(sec int) string { return fmt.Sprintf("%d:%02d", sec/3600, sec%3600/60) }

func signedHM(east int) string {
	sign := "+"
	if east < 0 {
		sign, east = "-", -east
	}
	return sign + hm(east)
}

type posixParser struct {
	s string
	i int
}

func (p *posixParser) done() bool { return p.i >= len(p.s) }
func (p *posixParser) peek() byte { return p.s[p.i] }

// name reads "CET" or "<+0330>".
func (p *posixParser) name() string {
	if p.done() {
		return ""
	}
	if p.peek() == '<' {
		j := strings.IndexByte(p.s[p.i:], '>')
		if j < 0 {
			return ""
		}
		n := p.s[p.i+1 : p.i+j]
		p.i += j + 1
		return n
	}
	j := p.i
	for j < len(p.s) && (p.s[j] >= 'A' && p.s[j] <= 'Z' || p.s[j] >= 'a' && p.s[j] <= 'z') {
		j++
	}
	n := p.s[p.i:j]
	p.i = j
	if len(n) < 3 {
		return ""
	}
	return n
}

// offset reads [+-]hh[:mm[:ss]] as seconds (positive west, as POSIX has it).
func (p *posixParser) offset() (int, bool) {
	sign := 1
	if !p.done() && (p.peek() == '+' || p.peek() == '-') {
		if p.peek() == '-' {
			sign = -1
		}
		p.i++
	}
	sec, ok := p.clock()
	return sign * sec, ok
}

// clock reads hh[:mm[:ss]].
func (p *posixParser) clock() (int, bool) {
	var parts []int
	for len(parts) < 3 {
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i {
			return 0, false
		}
		n, _ := strconv.Atoi(p.s[p.i:j])
		parts = append(parts, n)
		p.i = j
		if p.done() || p.peek() != ':' {
			break
		}
		p.i++
	}
	sec := parts[0] * 3600
	if len(parts) > 1 {
		sec += parts[1] * 60
	}
	if len(parts) > 2 {
		sec += parts[2]
	}
	return sec, true
}

// change reads ",Mm.w.d[/time]".
func (p *posixParser) change() (Change, error) {
	if p.done() || p.peek() != ',' {
		return Change{}, fmt.Errorf("%q: want ,Mm.w.d: %w", p.s, ErrUnknown)
	}
	p.i++
	if p.done() || p.peek() != 'M' {
		return Change{}, fmt.Errorf("%q: a day-of-year rule (Jn or n): %w; the phone's rule is month, week and weekday", p.s, ErrUnrepresentable)
	}
	p.i++
	var f [3]int
	for k := range f {
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i {
			return Change{}, fmt.Errorf("%q: bad Mm.w.d: %w", p.s, ErrUnknown)
		}
		f[k], _ = strconv.Atoi(p.s[p.i:j])
		p.i = j
		if k < 2 {
			if p.done() || p.peek() != '.' {
				return Change{}, fmt.Errorf("%q: bad Mm.w.d: %w", p.s, ErrUnknown)
			}
			p.i++
		}
	}
	if f[0] < 1 || f[0] > 12 || f[1] < 1 || f[1] > 5 || f[2] > 6 {
		return Change{}, fmt.Errorf("%q: bad Mm.w.d: %w", p.s, ErrUnknown)
	}
	c := Change{Month: f[0], Week: f[1], Weekday: f[2] + 1, Hour: 2}
	if c.Week == 5 { // POSIX 5: the last such weekday; Cisco 8: the last week
		c.Week = 8
	}
	if !p.done() && p.peek() == '/' {
		p.i++
		neg := false
		if !p.done() && (p.peek() == '-' || p.peek() == '+') {
			neg = p.peek() == '-'
			p.i++
		}
		sec, ok := p.clock()
		if !ok {
			return Change{}, fmt.Errorf("%q: bad change time: %w", p.s, ErrUnknown)
		}
		if neg || sec >= 24*3600 || sec%60 != 0 {
			return Change{}, fmt.Errorf("%q: changes at %s%s, outside the day the phone's rule names: %w", p.s, map[bool]string{true: "-"}[neg], hm(sec), ErrUnrepresentable)
		}
		c.Hour, c.Minute = sec/3600, sec%3600/60
	}
	return c, nil
}
