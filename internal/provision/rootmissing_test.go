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

// TestMissingRootHintReadsOptionsAsTheDaemon: the hint names the directory
// the daemon serves, its command line read as the daemon reads it
// (getopt_long permutes: atftpd's first operand, wherever it stands; an
// option's value is no operand), not the last word of the variable. The
// README's own advice appends "--logfile FILE" to OPTIONS, after Debian's
// /srv/tftp: that must not make the hint say tftp_root = FILE.
func TestMissingRootHintReadsOptionsAsTheDaemon(t *testing.T) {
	host := func(t *testing.T, bin, file, text string) string {
		sys := t.TempDir()
		for name, data := range map[string]string{bin: "", file: text} {
			p := filepath.Join(sys, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return sys
	}
	const debianOpts = "--port 69 --tftpd-timeout 300 --retry-timeout 5 --mcast-port 1758 --mcast-addr 239.239.239.0-255 --mcast-ttl 1 --maxthread 100 --verbose=5"
	for _, c := range []struct {
		bin, file, text, want string
	}{
		// atftpd (Debian 12: /lib/systemd/system/atftpd.service runs
		// `/usr/sbin/in.tftpd $OPTIONS`).
		{"usr/sbin/atftpd", "etc/default/atftpd", "## Options for atftpd:\nOPTIONS=\"" + debianOpts + " /srv/tftp --logfile /var/log/atftpd.log\"\n",
			"serves /srv/tftp (the directory operand of OPTIONS in /etc/default/atftpd): set tftp_root = /srv/tftp"},
		{"usr/sbin/atftpd", "etc/default/atftpd", "OPTIONS=\"" + debianOpts + " /srv/tftp --logfile=/var/log/atftpd.log --verbose=7\"\n",
			"serves /srv/tftp (the directory operand of OPTIONS in /etc/default/atftpd): set tftp_root = /srv/tftp"},
		{"usr/sbin/atftpd", "etc/default/atftpd", "OPTIONS='--logfile /var/log/atftpd.log -v7 /srv/phones --pidfile /run/atftpd.pid'\n",
			"serves /srv/phones (the directory operand of OPTIONS in /etc/default/atftpd): set tftp_root = /srv/phones"},
		// No directory: Debian's atftpd serves /srv/tftp.
		{"usr/sbin/atftpd", "etc/default/atftpd", "OPTIONS=\"" + debianOpts + " --logfile /var/log/atftpd.log\"\n",
			"serves /srv/tftp (atftpd's default: OPTIONS in /etc/default/atftpd names no directory): set tftp_root = /srv/tftp"},
		// tftpd-hpa (Debian's /etc/init.d/tftpd-hpa runs `in.tftpd --listen
		// --user $TFTP_USERNAME --address $TFTP_ADDRESS $TFTP_OPTIONS
		// $TFTP_DIRECTORY`): the first directory on that line.
		{"usr/sbin/in.tftpd", "etc/default/tftpd-hpa", "TFTP_USERNAME=\"tftp\"\nTFTP_DIRECTORY=\"/srv/a /srv/b\"\nTFTP_ADDRESS=\":69\"\nTFTP_OPTIONS=\"-m /etc/tftpd.map --verbose\"\n",
			"serves /srv/a (TFTP_DIRECTORY in /etc/default/tftpd-hpa): set tftp_root = /srv/a"},
		{"usr/sbin/in.tftpd", "etc/default/tftpd-hpa", "TFTP_USERNAME=\"tftp\"\nTFTP_DIRECTORY=\"\"\nTFTP_ADDRESS=\":69\"\nTFTP_OPTIONS=\"--secure /srv/chroot --create\"\n",
			"serves /srv/chroot (the directory operand of TFTP_OPTIONS in /etc/default/tftpd-hpa): set tftp_root = /srv/chroot"},
	} {
		sys := host(t, c.bin, c.file, c.text)
		if got := missingRootHint(sys, "/tftpboot"); !strings.Contains(got, c.want) {
			t.Errorf("%s %q:\n got %s\nwant %s", c.file, c.text, got, c.want)
		}
	}
}
