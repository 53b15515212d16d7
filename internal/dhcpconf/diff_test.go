package dhcpconf

import (
	"strings"
	"testing"
)

// Every Kea member that carries a secret is masked, whatever hook or map
// it sits in (Kea ARM: HA peers' basic-auth-password, control agent
// authentication clients' password, D2 tsig-keys' secret, database
// password), also with an escaped quote inside; a member naming a file
// keeps its path.
func TestMaskSecretsKeaMembers(t *testing.T) {
	in := `{ "peers": [ { "basic-auth-user": "kea", "basic-auth-password": "haPass1" } ],
  "authentication": { "type": "basic", "clients": [ { "user": "admin", "password": "caPass2" } ] },
  "tsig-keys": [ { "name": "k", "algorithm": "HMAC-SHA256", "secret": "LSWXnfkKZjdPJI5QxlpnfQ==" } ],
  "lease-database": { "type": "mysql", "password": "db\"Pass3" },
  "hosts-database": { "type": "mysql", "password-file": "/etc/kea/db.pw" },
  "foo-secret": "fooSecret4" }`
	out := string(MaskSecrets([]byte(in)))
	for _, s := range []string{"haPass1", "caPass2", "LSWXnfkKZjdPJI5QxlpnfQ==", "Pass3", "fooSecret4"} {
		if strings.Contains(out, s) {
			t.Errorf("%s shown:\n%s", s, out)
		}
	}
	for _, s := range []string{`"basic-auth-user": "kea"`, `"user": "admin"`, `"password-file": "/etc/kea/db.pw"`} {
		if !strings.Contains(out, s) {
			t.Errorf("%s lost:\n%s", s, out)
		}
	}
}
