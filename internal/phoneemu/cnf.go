package phoneemu

import (
	"bufio"
	"bytes"
	"strings"
)

// Cnf is a parsed SIPDefault.cnf or SIP<MAC>.cnf: key to value, keys as
// written (the phone's keys are lower case).
type Cnf map[string]string

// ParseCnf reads a .cnf file with the phone's rules (fact sheet §2): one
// `name: value` per line, `#` starts a comment line, `;` ends the value,
// quotes around the value are optional, spacing around the colon varies.
// Lines that are not `name: value` are skipped, as the phone skips unknown
// keys; the last value of a key wins.
func ParseCnf(data []byte) Cnf {
	c := Cnf{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if k, v, ok := cnfLine(sc.Text()); ok {
			c[k] = v
		}
	}
	return c
}

// cnfLine splits one line into key and value.
func cnfLine(line string) (key, value string, ok bool) {
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
// SIPDefault.cnf. Only that line counts: the how-to's phones on old loads
// read the load name there (setup-cisco writes it first for that reason).
func FirstLineImage(data []byte) (string, bool) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	k, v, ok := cnfLine(string(first))
	if !ok || k != "image_version" || v == "" {
		return "", false
	}
	return v, true
}
