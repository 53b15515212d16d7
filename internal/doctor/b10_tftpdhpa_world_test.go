package doctor

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

// TestB10TFTPDHPAWantsWorldRead: tftpd-hpa (5.2, Debian 12 tftpd-hpa_5.2+
// 20150808-1.4; tftpd.c validate_access, the string is in the Debian binary)
// refuses a read request for a file without the world read bit, "File must
// have global read permissions", whatever its --user's owner or group
// rights, unless run with -p/--permissive. c3ee8ce judges tftpd-hpa as its
// --user with that user's groups, so SIP<MAC>.cnf 0640 root:nogroup passes
// for --user nobody (in nogroup) though the phone gets an access violation.
// Right: without -p, doctor names the file as not readable by the TFTP
// daemon (it needs the world read bit).
func TestB10TFTPDHPAWantsWorldRead(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: chown")
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody")
	}
	gid, _ := strconv.Atoi(u.Gid)
	root := t.TempDir()
	os.Chmod(filepath.Dir(root), 0o755)
	os.Chmod(root, 0o755)
	write(t, filepath.Join(root, "SIPDefault.cnf"), "x", 0o644)
	f := filepath.Join(root, "SIP00112233AA01.cnf")
	write(t, f, "x", 0o640)
	if err := os.Chown(f, 0, gid); err != nil {
		t.Fatal(err)
	}
	hpa := Proc{PID: 21822, Comm: "in.tftpd", UID: 0, GID: 0, NetNS: "net:[1]", UDPPort: []int{69},
		Args: []string{"/usr/sbin/in.tftpd", "--listen", "--user", "nobody", "--address", ":69", "--secure", root}}
	d, _ := CheckTFTPDaemon([]Proc{hpa}, root, "net:[1]")
	if d == nil {
		t.Fatal("tftpd-hpa not found")
	}
	fs := CheckAccess(root, IdentityOf(*d))
	has(t, fs, root+"/SIP00112233AA01.cnf: not readable by the TFTP daemon")
}
