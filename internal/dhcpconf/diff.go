package dhcpconf

import (
	"regexp"

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
// "ldap-password VALUE;", and a Kea JSON "secret" or "password" member
// (tsig-keys, lease and hosts databases, control agent auth).
var secretRe = regexp.MustCompile(`(?m)((?:^|[{;])\s*(?:secret|ldap-password)\s+)("[^"\n]*"|[^;\s]+)|("(?:secret|password)"\s*:\s*)("[^"\n]*")`)

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

func trimQuotes(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
