package doctor

import (
	"testing"
)

// TestB13AtftpdSocketActivated: Debian 12's atftpd (0.8.0, the daemon
// doctor's own fix installs: "apt-get install atftpd; set the last word of
// OPTIONS in /etc/default/atftpd ...") is socket activated:
// /lib/systemd/system/atftpd.socket `ListenDatagram=69`, atftpd.service
// `ExecStart=/usr/sbin/in.tftpd $OPTIONS` with `DynamicUser=yes`
// (/usr/share/doc/atftpd/README.Debian: "By default, atftpd is socket
// activated"), OPTIONS ending in /srv/tftp, and atftpd exits after
// --tftpd-timeout 300 idle seconds. So whenever no phone has just booted,
// UDP 69 is held by systemd (pid 1) and no atftpd process exists.
// Reproduced with the real systemd-socket-activate and atftpd in a network
// namespace (`systemd-socket-activate -d -l 127.0.0.1:69 /usr/sbin/in.tftpd
// ... /srv/tftp`, setup-cisco -r .../tftpboot doctor): idle, doctor says
// only "note: systemd-socket-: pid N holds UDP port 69 (inetd-style or
// another TFTP server); not checking its root"; after one request it says
// "problem: in.tftpd: pid N serves .../srv/tftp, but setup-cisco writes to
// .../tftpboot". On a stock Debian host setup-cisco writes /tftpboot while
// atftpd serves /srv/tftp: every phone gets "File not found", and an idle
// doctor exits 0 healthy. Right: the socket's service is followed to its
// root (/etc/default/atftpd), or the check is reported as not done.
func TestB13AtftpdSocketActivated(t *testing.T) {
	for _, p := range []Proc{
		{PID: 1, Comm: "systemd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/sbin/init"}},
		{PID: 1, Comm: "systemd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/lib/systemd/systemd", "--system", "--deserialize", "31"}},
	} {
		_, fs := CheckTFTPDaemon([]Proc{p}, "/tftpboot", "net:[1]")
		if ExitCode(fs) == ExitHealthy {
			t.Errorf("systemd holds UDP 69 for atftpd.socket (%v); doctor never checks the served root, yet counts it healthy: %v", p.Args, fs)
		}
	}
}
