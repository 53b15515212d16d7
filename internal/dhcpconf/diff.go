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

func trimQuotes(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
