package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// missingRootHint names the root the installed daemon's Debian config
// gives (atftpd's OPTIONS, tftpd-hpa's TFTP_DIRECTORY), else the usual
// roots that exist, else says to create it.
func TestMissingRootHint(t *testing.T) {
	mk := func(sys, name, text string) {
		p := filepath.Join(sys, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hpa := t.TempDir()
	mk(hpa, "usr/sbin/in.tftpd", "")
	mk(hpa, "etc/default/tftpd-hpa", "TFTP_USERNAME=\"tftp\"\nTFTP_DIRECTORY=\"/srv/tftp-hpa\"\nTFTP_OPTIONS=\"--secure\"\n")
	if got := missingRootHint(hpa, "/tftpboot"); !strings.Contains(got, "serves /srv/tftp-hpa (TFTP_DIRECTORY in /etc/default/tftpd-hpa): set tftp_root = /srv/tftp-hpa") {
		t.Errorf("tftpd-hpa: %s", got)
	}
	// atftpd's conffile left by a removed package: not a daemon.
	gone := t.TempDir()
	mk(gone, "etc/default/atftpd", "OPTIONS=\"--verbose=5 /srv/tftp\"\n")
	if err := os.MkdirAll(filepath.Join(gone, "var/lib/tftpboot"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := missingRootHint(gone, "/tftpboot"); !strings.HasPrefix(got, "/var/lib/tftpboot exists") {
		t.Errorf("removed atftpd, /var/lib/tftpboot present: %s", got)
	}
	if got := missingRootHint(t.TempDir(), "/tftpboot"); got != "create it, or set tftp_root / --tftp-root" {
		t.Errorf("nothing: %s", got)
	}
}
