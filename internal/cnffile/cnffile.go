// Package cnffile is the one reader of Cisco 79x0 SIP .cnf files
// (SIPDefault.cnf, SIP<MAC>.cnf): `name: value` lines as the phone reads
// them (Cisco SIP IP Phone admin guide, "Configuration file syntax";
// cisco-79x0-sip-facts.md §2): `#` starts a comment line, `;` ends the
// value, quotes around the value are optional, spacing around the colon
// varies; blank lines and lines without a key are skipped.
package cnffile

import (
	"bytes"
	"strings"
)

// Setting is one `name: value` line.
type Setting struct {
	Key, Value string
	Line       int // 1-based
}

// ParseLine splits one line into key and value; ok is false for a blank,
// comment or other line the phone skips.
func ParseLine(line string) (key, value string, ok bool) {
	line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
	if line == "" || strings.HasPrefix(line, "#") {
		return "", "", false
	}
	k, v, ok := strings.Cut(line, ":")
	k = strings.TrimSpace(k)
	if !ok || k == "" || strings.ContainsAny(k, " \t\"") {
		return "", "", false
	}
	v = strings.TrimSpace(v)
	if rest, quoted := strings.CutPrefix(v, `"`); quoted {
		if end := strings.IndexByte(rest, '"'); end >= 0 {
			return k, rest[:end], true
		}
		v = rest // unterminated quote: read up to ';' as if unquoted
	}
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	return k, strings.TrimSpace(v), true
}

// Read returns every setting of a .cnf file in file order. A UTF-8 byte
// order mark (a file saved by a Windows editor) is not part of the first
// key, so import-settings keeps such a file's first line.
func Read(data []byte) []Setting {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var out []Setting
	for i, line := range strings.Split(string(data), "\n") {
		if k, v, ok := ParseLine(line); ok {
			out = append(out, Setting{Key: k, Value: v, Line: i + 1})
		}
	}
	return out
}

// Values returns each key's value; a key set twice has its last value,
// as the phone applies the lines in order.
func Values(data []byte) map[string]Setting {
	m := map[string]Setting{}
	for _, s := range Read(data) {
		m[s.Key] = s
	}
	return m
}

// Get returns the last value of key.
func Get(data []byte, key string) (string, bool) {
	s, ok := Values(data)[key]
	return s.Value, ok
}

// FirstLineImage returns the image_version set on the first line. Only
// that line counts: phones on old loads read the load name there (the
// how-to; setup-cisco writes it first for that reason).
func FirstLineImage(data []byte) (string, bool) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	k, v, ok := ParseLine(string(first))
	if !ok || k != "image_version" || v == "" {
		return "", false
	}
	return v, true
}
