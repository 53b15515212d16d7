package dhcpconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A dhcpd.conf (or its .bak) planted as a symlink in a directory others can
// write is neither followed nor read: the install refuses, or replaces the
// .bak link as an entry, and the link's target is left as it was.
func TestInstallPlantedLinks(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "pub")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777)
	secret := filepath.Join(base, "shadow")
	os.WriteFile(secret, []byte("root:$6$x\n"), 0o600)
	conf := filepath.Join(dir, "dhcpd.conf")
	if err := os.Symlink(secret, conf); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadExisting(conf); err == nil {
		t.Errorf("ReadExisting followed the link: %q", b)
	}
	if err := Install(conf, []byte("new\n"), nil); err == nil || !strings.Contains(err.Error(), "not followed") {
		t.Errorf("Install = %v; want a refused link", err)
	}
	// A regular file with a link planted at its .bak name.
	os.Remove(conf)
	os.WriteFile(conf, []byte("old\n"), 0o644)
	os.Symlink(secret, conf+".bak")
	var checked string
	err := Install(conf, []byte("new\n"), func(c string) error {
		checked = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(checked) == dir {
		t.Errorf("candidate %s checked in the directory others can write", checked)
	}
	if b, _ := os.ReadFile(secret); string(b) != "root:$6$x\n" {
		t.Errorf("link target changed: %q", b)
	}
	if fi, _ := os.Stat(secret); fi.Mode().Perm() != 0o600 {
		t.Errorf("link target mode: %v", fi.Mode())
	}
	if fi, err := os.Lstat(conf + ".bak"); err != nil || !fi.Mode().IsRegular() {
		t.Errorf(".bak is %v, %v; want a regular file", fi, err)
	}
	if b, _ := os.ReadFile(conf); string(b) != "new\n" {
		t.Errorf("dhcpd.conf = %q", b)
	}
}

// An admin's own link in a directory only root writes is still followed.
func TestInstallFollowsTrustedLink(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "managed.conf")
	os.WriteFile(real, []byte("old\n"), 0o640)
	link := filepath.Join(base, "dhcpd.conf")
	os.Symlink("managed.conf", link)
	if err := Install(link, []byte("new\n"), nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new\n" {
		t.Errorf("target = %q", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
}
