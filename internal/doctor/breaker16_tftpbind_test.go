package doctor

import (
	"testing"
)

// A TFTP daemon whose command line binds it to the loopback address:
// atftpd --bind-address 127.0.0.1 (it logs "bound to IP address 127.0.0.1
// only") and tftpd-hpa --address 127.0.0.1:69 (TFTP_ADDRESS in
// /etc/default/tftpd-hpa). Reproduced with the real atftpd 0.8.0 and
// tftpd-hpa 5.2 in a network namespace (breaker round 16b): ss shows
// 127.0.0.1:69 only, and busybox tftp to the host's LAN address
// (192.0.2.1, what option 150 gives phones) times out: no phone gets a
// file. Today doctor parses both command lines (getopt tables with
// bind-address and address) and the root matches, so it reports nothing:
// healthy. Right: a problem saying the daemon listens on loopback only.
func TestBreaker16TFTPBoundToLoopback(t *testing.T) {
	root := t.TempDir()
	for _, p := range []Proc{
		{PID: 23161, Comm: "atftpd", Exe: "/usr/sbin/atftpd", UID: 0, GID: 0, NetNS: "net:[1]", UDPPort: []int{69},
			Args: []string{"/usr/sbin/atftpd", "--daemon", "--user", "root.root", "--bind-address", "127.0.0.1", root}},
		{PID: 23140, Comm: "in.tftpd", Exe: "/usr/sbin/in.tftpd", UID: 0, GID: 0, NetNS: "net:[1]", UDPPort: []int{69},
			Args: []string{"/usr/sbin/in.tftpd", "--listen", "--user", "tftp", "--address", "127.0.0.1:69", "--secure", root}},
	} {
		_, fs := CheckTFTPDaemon([]Proc{p}, root, "net:[1]")
		if ExitCode(fs) == ExitHealthy {
			t.Errorf("%v listens on 127.0.0.1:69 only, no phone reaches it; doctor: healthy %v", p.Args, fs)
		}
	}
}
