package hook

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The Debian package puts setup-cisco.path in /lib/systemd/system; once
// enabled, the link in multi-user.target.wants is what picks the trigger
// up (scripts/install --hook writes the unit into /etc/systemd/system).
func TestPackagedPathUnitIsAConsumer(t *testing.T) {
	root := t.TempDir()
	p := DefaultPaths(root)
	fw := FreePBX{Fwconsole: filepath.Join(root, "no-fwconsole")}
	if r := Inspect(context.Background(), fw, p); r.Consumer != "" {
		t.Fatalf("consumer %q in an empty root", r.Consumer)
	}
	unit := filepath.Join(root, "lib/systemd/system/setup-cisco.path")
	for _, d := range []string{filepath.Dir(unit), filepath.Dir(p.PathEnabled)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(unit, []byte("[Path]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := Inspect(context.Background(), fw, p); r.Consumer != "" {
		t.Errorf("an installed but not enabled unit counts as a consumer: %q", r.Consumer)
	}
	if err := os.Symlink(unit, p.PathEnabled); err != nil {
		t.Fatal(err)
	}
	if r := Inspect(context.Background(), fw, p); r.Consumer == "" {
		t.Error("the enabled packaged unit is not seen")
	}
}
