package doctor

import (
	"os"
	"path/filepath"
	"testing"
)

// TestB9TFTPDHPAReadsAsItsUser: the real tftpd-hpa 5.2 (Debian 12 package
// tftpd-hpa_5.2+20150808-1.4, run in a network namespace as
// `in.tftpd --foreground --listen --user nobody --address 192.0.2.10:69
// --secure -v ROOT`; Debian's /etc/default/tftpd-hpa gives `--user tftp`)
// keeps its listening process as root (/proc/PID/status Uid 0 0 0 0) and
// reads each requested file in a child that has chrooted and dropped to the
// --user. Seen: with SIP<MAC>.cnf at 0600 root:root, `curl tftp://.../
// SIPDefault.cnf` succeeds and `curl tftp://.../SIP00112233AA01.cnf` fails
// (exit 71, TFTP error), while `setup-cisco doctor` reported no
// permission problem: cmd/setup-cisco/doctor.go judges access as
// IdentityOf(listener) = root, who may read everything.
//
// Right: for in.tftpd the identity is its --user/-u (default nobody), so
// the 0600 file is named. (And since --secure chroots as root, directories
// above the root are no obstacle for it.)
func TestB9TFTPDHPAReadsAsItsUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: a root-owned 0600 file")
	}
	root := t.TempDir()
	os.Chmod(filepath.Dir(root), 0o755)
	os.Chmod(root, 0o755)
	write(t, filepath.Join(root, "SIPDefault.cnf"), "x", 0o644)
	write(t, filepath.Join(root, "SIP00112233AA01.cnf"), "x", 0o600)

	// The process as /proc shows the real tftpd-hpa listener.
	hpa := Proc{PID: 21822, Comm: "in.tftpd", UID: 0, GID: 0, NetNS: "net:[1]", UDPPort: []int{69},
		Args: []string{"/usr/sbin/in.tftpd", "--listen", "--user", "tftp", "--address", ":69", "--secure", root}}
	d, _ := CheckTFTPDaemon([]Proc{hpa}, root, "net:[1]")
	if d == nil {
		t.Fatal("tftpd-hpa not found")
	}
	// As cmd/setup-cisco/doctor.go does.
	fs := CheckAccess(root, IdentityOf(*d))
	has(t, fs, root+"/SIP00112233AA01.cnf: not readable by the TFTP daemon")
}
