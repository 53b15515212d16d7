package dhcpconf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dhcpd -t quotes the line it rejects; a key's secret on it, or a secret
// alone on the next line of a statement, must not reach the terminal or
// a cron mail.
func TestCheckMasksSecretsInDaemonOutput(t *testing.T) {
	if _, err := FindTool("dhcpd"); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	for name, src := range map[string]string{
		"same-line": "key k { algorithm hmac-md5; secret c2VjcmV0LXZhbHVlLTEyMzQ= oops; };\n",
		"next-line": "key k { algorithm hmac-md5; secret\n  c2VjcmV0LXZhbHVlLTEyMzQ= oops; };\n",
		"ldap":      "ldap-server \"x\";\nldap-password \"c2VjcmV0LXZhbHVlLTEyMzQ=\" oops;\n",
	} {
		file := filepath.Join(dir, name+".conf")
		os.WriteFile(file, []byte(src), 0o600)
		err := Check(context.Background(), ISC, file)
		var rej *RejectedError
		if !errors.As(err, &rej) {
			t.Fatalf("%s: dhcpd -t accepted or failed otherwise: %v", name, err)
		}
		if strings.Contains(rej.Output, "c2VjcmV0LXZhbHVlLTEyMzQ") {
			t.Errorf("%s: secret in dhcpd's output:\n%s", name, rej.Output)
		}
		if !strings.Contains(rej.Output, "<secret hmac-sha256:") {
			t.Errorf("%s: no masked secret in dhcpd's output:\n%s", name, rej.Output)
		}
	}
}

func TestMaskOutputKea(t *testing.T) {
	src := []byte(`{"Dhcp4": {"lease-database": {"type": "mysql", "password": "hunter2-pw"}}}`)
	out := MaskOutput(src, `DHCP4_CONFIG_LOAD_FAIL ... 'password': 'hunter2-pw' (<string>:1:40)`)
	if strings.Contains(out, "hunter2-pw") {
		t.Errorf("Kea output unmasked: %s", out)
	}
}
