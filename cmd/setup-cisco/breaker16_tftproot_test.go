package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBreaker16DefaultRootBesideDebianAtftpd: the Debian package Recommends
// atftpd, whose Debian default (/etc/default/atftpd, OPTIONS ending in
// /srv/tftp) serves /srv/tftp. Following README's quick start on such a
// host (this machine: Debian 12, atftpd installed by scripts/test, no
// /tftpboot), "setup-cisco -n" stops with "TFTP root /tftpboot does not
// exist (create it, or set tftp_root / --tftp-root)". Its first advice is
// the wrong one: after mkdir /tftpboot every run writes there, exit 0,
// silent, and atftpd keeps serving /srv/tftp, where no phone file ever
// appears. The message should name the directory the installed TFTP daemon
// serves (tftp_root = /srv/tftp).
func TestBreaker16DefaultRootBesideDebianAtftpd(t *testing.T) {
	opts, err := os.ReadFile("/etc/default/atftpd")
	if err != nil {
		t.Skipf("no Debian atftpd here: %v", err)
	}
	if !strings.Contains(string(opts), "/srv/tftp\"") {
		t.Skip("/etc/default/atftpd does not serve /srv/tftp")
	}
	if fi, err := os.Stat("/srv/tftp"); err != nil || !fi.IsDir() {
		t.Skip("no /srv/tftp")
	}
	if _, err := os.Lstat("/tftpboot"); err == nil {
		t.Skip("/tftpboot exists here")
	}
	conf := filepath.Join(t.TempDir(), "site.conf")
	if err := os.WriteFile(conf, []byte("proxy_address = 192.0.2.10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-n", "-c", conf, "--db-dsn", "root@unix(/nonexistent/mysqld.sock)/asterisk"}, &stdout, &stderr)
	t.Logf("exit %d, stderr:\n%s", code, stderr.String())
	if !strings.Contains(stderr.String(), "/srv/tftp") {
		t.Errorf("with atftpd serving /srv/tftp and no /tftpboot, the run's advice does not name /srv/tftp: %q", stderr.String())
	}
}
