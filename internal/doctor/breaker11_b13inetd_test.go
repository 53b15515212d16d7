package doctor

import (
	"testing"
)

// TestB13InetdTFTPRootNotChecked: trixbox and the FreePBX Distro (CentOS)
// run TFTP as tftp-server under xinetd (README's watch table:
// /etc/xinetd.d/tftp, `server_args = -s /tftpboot`; RHEL/CentOS ship
// `-s /var/lib/tftpboot`), and Debian's inetd packages the same way
// (`tftp dgram udp wait root /usr/sbin/in.tftpd /usr/sbin/in.tftpd -s
// /srv/tftp` in /etc/inetd.conf). Between requests only xinetd (or inetd)
// holds UDP 69, so /proc shows no in.tftpd and no root. Seen on main
// (ed88881): CheckTFTPDaemon gives one note, "pid 812 holds UDP port 69
// (inetd-style or another TFTP server); not checking its root", and the
// access check then judges "any user"; doctor exits 0 "healthy" although
// it never learnt which directory the phones are served from (a CentOS
// default /var/lib/tftpboot while setup-cisco writes /tftpboot: every
// phone gets "File not found"). README: exit 2 when "some checks could not
// run". Right: the root is read from the inetd configuration (and a
// mismatch is a problem), or the check is reported as not done (exit 2),
// never healthy.
func TestB13InetdTFTPRootNotChecked(t *testing.T) {
	for _, p := range []Proc{
		{PID: 812, Comm: "xinetd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/usr/sbin/xinetd", "-stayalive", "-pidfile", "/var/run/xinetd.pid"}},
		{PID: 813, Comm: "inetd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/usr/sbin/inetd"}},
	} {
		_, fs := CheckTFTPDaemon([]Proc{p}, "/tftpboot", "net:[1]")
		if ExitCode(fs) == ExitHealthy {
			t.Errorf("%s holds UDP 69 and doctor never learns the served root, yet the TFTP check counts as healthy: %v", p.Comm, fs)
		}
	}
}
