package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckWritable(t *testing.T) {
	root := filepath.Join(t.TempDir(), "tftpboot")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(root, 0o755))
	must(os.WriteFile(filepath.Join(root, "SIPDefault.cnf"), nil, 0o644))
	if fs := CheckWritable(root); len(fs) != 0 {
		t.Fatalf("healthy root: %v", fs)
	}
	// The how-to's chmod -R 777, plus a link whose own mode means nothing.
	must(os.Chmod(root, 0o777|os.ModeSticky))
	for _, n := range []string{"SIPDefault.cnf", "SIP001122AABBCC.cnf"} {
		must(os.WriteFile(filepath.Join(root, n), nil, 0o644))
		must(os.Chmod(filepath.Join(root, n), 0o777))
	}
	must(os.Mkdir(filepath.Join(root, "sub"), 0o755))
	must(os.Chmod(filepath.Join(root, "sub"), 0o777))
	must(os.Symlink("/etc/passwd", filepath.Join(root, "link")))
	fs := CheckWritable(root)
	if len(fs) != 1 || fs[0].Severity != Problem {
		t.Fatalf("got %v; want one problem", fs)
	}
	got := fs[0].String()
	wantFix := "fix: chmod 755 " + root + " " + filepath.Join(root, "sub") + "; chmod 644 " +
		filepath.Join(root, "SIP001122AABBCC.cnf") + " " + filepath.Join(root, "SIPDefault.cnf")
	for _, want := range []string{"mode 1777", "3 file(s) in it are world-writable", "atftpd/in.tftpd accept TFTP uploads", wantFix} {
		if !strings.Contains(got, want) {
			t.Errorf("finding lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "/link") || strings.Contains(got, "(link") {
		t.Errorf("a symlink counted as world-writable:\n%s", got)
	}
	// Many files: one find command instead of a list.
	for i := range 10 {
		p := filepath.Join(root, "f"+string(rune('a'+i)))
		must(os.WriteFile(p, nil, 0o644))
		must(os.Chmod(p, 0o666))
	}
	got = CheckWritable(root)[0].Fix
	if !strings.HasSuffix(got, "; find "+root+" -maxdepth 1 -type f -perm -o=w -exec chmod 644 {} +") {
		t.Errorf("fix = %s", got)
	}
}

// doctor reads the DHCP configuration as setup-dhcp does: a link another
// user planted in a directory others can write is not followed.
func TestReadDHCPConfigRefusesPlantedLink(t *testing.T) {
	base := t.TempDir()
	pub := filepath.Join(base, "pub")
	if err := os.Mkdir(pub, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(pub, 0o777)
	secret := filepath.Join(base, "secret")
	os.WriteFile(secret, []byte("option voip-tftp-servers code 150 = ip-address;\nroot:$6$x\n"), 0o600)
	conf := filepath.Join(pub, "dhcpd.conf")
	if err := os.Symlink(secret, conf); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		os.Lchown(conf, 65534, 65534)
	}
	if _, err := ReadDHCPConfig(conf); err == nil || !strings.Contains(err.Error(), "not followed") {
		t.Errorf("ReadDHCPConfig = %v; want the planted link refused", err)
	}
}
