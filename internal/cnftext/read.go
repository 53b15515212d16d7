package cnftext

import (
	"bytes"
	"strings"
)

// ParseLine splits one line of a .cnf file into key and value with the
// phone's rules (fact sheet §2): `name: value`, `#` starts a comment line,
// `;` ends the value, quotes around the value are optional and spacing
// around the colon varies. ok is false for a blank, comment or other line
// the phone skips.
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

// FirstLineImage returns the image_version set on the first line of
// SIPDefault.cnf. Only that line counts: phones on old loads read the load
// name there (the how-to; setup-cisco writes it first for that reason).
func FirstLineImage(data []byte) (string, bool) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	k, v, ok := ParseLine(string(first))
	if !ok || k != "image_version" || v == "" {
		return "", false
	}
	return v, true
}
