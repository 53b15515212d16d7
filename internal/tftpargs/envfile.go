package tftpargs

import (
	"os"
	"strings"
)

// ReadEnvFile reads the KEY=VALUE lines of the file at path into env, a
// later line overriding an earlier one: systemd.exec(5) EnvironmentFile=
// and the /etc/default files Debian's init scripts source. Blank lines and
// lines starting with # or ; are skipped, a leading "export " is dropped,
// and one pair of matching "..." or '...' around a value is removed. The
// error is os.ReadFile's.
func ReadEnvFile(path string, env map[string]string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(l, "export "), "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		env[strings.TrimSpace(k)] = v
	}
	return nil
}

// SplitQuoted splits a command line into words at spaces and tabs, text in
// "..." or '...' kept as one word without its quotes (systemd.service(5)
// "Command lines", Environment= in systemd.exec(5)); "" is an empty word.
func SplitQuoted(s string) []string {
	var out []string
	var w strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			w.WriteByte(c)
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, w.String())
	}
	return out
}
