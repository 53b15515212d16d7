package doctor

import (
	"strings"
	"testing"
)

// TestB13AtftpdOptionsAfterDirectory: README (watch table) tells the admin
// to make atftpd log with "--logfile FILE --verbose=7"; appended to the end
// of OPTIONS in /etc/default/atftpd, they follow the directory. atftpd
// parses with getopt_long, which permutes: the real atftpd 0.8.0 run as
// `atftpd --daemon --no-fork --bind-address 127.0.0.1 ROOT --verbose=7
// --logfile LOG` logs "directory: ROOT/" and serves SIPDefault.cnf from
// ROOT. Seen on main (ed88881), setup-cisco -r ROOT doctor against that
// process: "problem: atftpd: pid N serves LOG, but setup-cisco writes to
// ROOT; fix: set tftp_root = LOG in the config file" (daemonRoot takes the
// last word that starts with "/"): a false problem, exit 1, with a fix that
// points tftp_root at the log file. With --verbose=7 last instead, the
// served root is not compared at all, so a real mismatch goes unreported.
// Right: the directory is atftpd's non-option argument wherever it stands.
func TestB13AtftpdOptionsAfterDirectory(t *testing.T) {
	at := func(args ...string) Proc {
		return Proc{PID: 28072, Comm: "atftpd", UID: 65534, GID: 65534, NetNS: "net:[1]", UDPPort: []int{69},
			Args: append([]string{"/usr/sbin/atftpd", "--daemon", "--tftpd-timeout", "300", "--retry-timeout", "5", "--maxthread", "100"}, args...)}
	}
	// Serving the right root, log options after it.
	_, fs := CheckTFTPDaemon([]Proc{at("/srv/tftp", "--verbose=7", "--logfile", "/var/log/atftpd.log")}, "/srv/tftp", "net:[1]")
	for _, f := range fs {
		if f.Severity == Problem {
			t.Errorf("atftpd serves /srv/tftp (the root), yet: %s", f)
		}
	}
	// Serving another root: the mismatch must be found.
	_, fs = CheckTFTPDaemon([]Proc{at("/srv/tftp", "--logfile", "/var/log/atftpd.log", "--verbose=7")}, "/tftpboot", "net:[1]")
	found := false
	for _, f := range fs {
		found = found || f.Severity == Problem && strings.Contains(f.String(), "/srv/tftp")
	}
	if !found {
		t.Errorf("atftpd serves /srv/tftp, setup-cisco writes /tftpboot: no problem named; findings: %v", fs)
	}
}
