package dhcpconf

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/udiff"
)

// UnifiedDiff is udiff.Unified over byte slices: the change from a to b,
// or "" when they are equal.
func UnifiedDiff(aName, bName string, a, b []byte) string {
	return udiff.Unified(aName, bName, string(a), string(b))
}

// secretRe finds the secrets of the three formats: dhcpd.conf's key
// statement "secret VALUE;" (dhcpd.conf(5), OMAPI and DDNS keys) and
// "ldap-password VALUE;", and every Kea JSON member named "secret" or
// "password" or ending in "-secret" or "-password" (Kea ARM: "password"
// of the lease, hosts and config databases and of the control agent's
// authentication clients; "secret" of D2's tsig-keys and the RADIUS
// hook's servers; "basic-auth-password" of the HA hook's peers; any
// later "*-password" the same way). Members naming a file
// ("password-file", "secret-file") hold a path, not the secret, and are
// left as they are. A JSON string value may hold escaped quotes ("a\"b").
var secretRe = regexp.MustCompile(`(?m)((?:^|[{;])\s*(?:secret|ldap-password)\s+)("[^"\n]*"|[^;\s]+)|("(?:[A-Za-z0-9_]+-)*(?:secret|password)"\s*:\s*)("(?:[^"\\\n]|\\.)*")`)

// MaskSecrets replaces each secret in a configuration file by
// cnftext.Fingerprint of it: a changed secret still shows as a changed
// line, its value never does.
func MaskSecrets(b []byte) []byte {
	return secretRe.ReplaceAllFunc(b, func(m []byte) []byte {
		g := secretRe.FindSubmatch(m)
		if g[1] != nil {
			return []byte(string(g[1]) + `"` + cnftext.Fingerprint(trimQuotes(string(g[2]))) + `"`)
		}
		return []byte(string(g[3]) + `"` + cnftext.Fingerprint(trimQuotes(string(g[4]))) + `"`)
	})
}

// MaskOutput masks the secrets of the configuration src in a daemon's
// output about it (dhcpd -t quotes the offending line, kea-dhcp4 -t the
// element): each secret value src holds (MaskSecrets' members) is
// replaced wherever it shows, also on a quoted line that lacks its
// "secret" keyword, and what still reads as a secret statement or member
// is masked as MaskSecrets does.
func MaskOutput(src []byte, out string) string {
	var vals []string
	for _, g := range secretRe.FindAllSubmatch(src, -1) {
		v := g[2]
		if g[1] == nil {
			v = g[4]
		}
		if t := trimQuotes(string(v)); len(t) >= 2 {
			vals = append(vals, t)
			if u, err := strconv.Unquote(string(v)); err == nil && u != t && len(u) >= 2 {
				vals = append(vals, u)
			}
		}
	}
	// Longest first, so a secret holding another is masked whole.
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	out = string(MaskSecrets([]byte(out)))
	if len(vals) == 0 {
		return out
	}
	var pairs []string
	for _, v := range vals {
		pairs = append(pairs, v, cnftext.Fingerprint(v))
	}
	r := strings.NewReplacer(pairs...)
	// The fingerprints MaskSecrets wrote are left whole.
	var b strings.Builder
	at := 0
	for _, m := range maskedRe.FindAllStringIndex(out, -1) {
		b.WriteString(r.Replace(out[at:m[0]]))
		b.WriteString(out[m[0]:m[1]])
		at = m[1]
	}
	b.WriteString(r.Replace(out[at:]))
	return b.String()
}

var maskedRe = regexp.MustCompile(`<secret [^>]*>`)

func trimQuotes(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
