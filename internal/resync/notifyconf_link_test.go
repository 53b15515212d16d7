package resync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// /etc/asterisk belongs to asterisk on FreePBX and --resync runs as root:
// a link the asterisk user left at sip_notify_custom.conf is not followed,
// neither to read the target into the new file nor to write it.
func TestEnsureNotifyTypeRefusesLink(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "asterisk")
	if err := os.Mkdir(dir, 0o775); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(base, "shadow")
	os.WriteFile(secret, []byte("root:$6$secret\n"), 0o600)
	custom := filepath.Join(dir, notifyTypes["sip"].files[0])
	if err := os.Symlink(secret, custom); err != nil {
		t.Fatal(err)
	}
	added, err := EnsureNotifyType(dir, "sip")
	if err == nil || added || !strings.Contains(err.Error(), "not followed") {
		t.Fatalf("EnsureNotifyType = %v, %v; want the link refused", added, err)
	}
	if b, _ := os.ReadFile(secret); string(b) != "root:$6$secret\n" {
		t.Errorf("target changed: %q", b)
	}
	if fi, err := os.Lstat(custom); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced: %v, %v", fi, err)
	}
	// A plain file is appended to, as before.
	os.Remove(custom)
	os.WriteFile(custom, []byte("; mine\n"), 0o640)
	if added, err := EnsureNotifyType(dir, "sip"); err != nil || !added {
		t.Fatalf("EnsureNotifyType = %v, %v", added, err)
	}
	b, _ := os.ReadFile(custom)
	if !strings.HasPrefix(string(b), "; mine\n") || !strings.Contains(string(b), "[cisco-check-cfg]") {
		t.Errorf("file = %q", b)
	}
	if fi, _ := os.Stat(custom); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the file's 0640 kept", fi.Mode())
	}
}
