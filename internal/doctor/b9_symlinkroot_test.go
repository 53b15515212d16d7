package doctor

import (
	"os"
	"path/filepath"
	"testing"
)

// TestB9RootThroughSymlink: Debian's tftpd-hpa serves /srv/tftp
// (TFTP_DIRECTORY in /etc/default/tftpd-hpa); an admin coming from trixbox
// keeps /tftpboot as a symlink to it, and setup-cisco's default root
// /tftpboot then writes exactly the files the daemon serves. Seen with the
// real tftpd-hpa 5.2 in a network namespace serving /tmp/b9/srv/tftp and
// `setup-cisco -r /tmp/b9/tftpboot doctor` (tftpboot -> srv/tftp):
// "problem: in.tftpd: pid 21822 serves /tmp/b9/srv/tftp, but setup-cisco
// writes to /tmp/b9/tftpboot", exit 1, for a root that is the same
// directory. Right: the two are compared after resolving links (or by
// device and inode), and no problem is reported.
func TestB9RootThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	served := filepath.Join(dir, "srv", "tftp")
	if err := os.MkdirAll(served, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "tftpboot")
	if err := os.Symlink(served, link); err != nil {
		t.Fatal(err)
	}
	hpa := Proc{PID: 21822, Comm: "in.tftpd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69},
		Args: []string{"/usr/sbin/in.tftpd", "--listen", "--user", "tftp", "--address", ":69", "--secure", served}}
	_, fs := CheckTFTPDaemon([]Proc{hpa}, link, "net:[1]")
	for _, f := range fs {
		if f.Severity == Problem {
			t.Errorf("same directory through a symlink called a problem: %s", f)
		}
	}
}
