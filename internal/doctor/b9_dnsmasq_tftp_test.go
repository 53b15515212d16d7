package doctor

import (
	"strings"
	"testing"
)

// TestB9DnsmasqTFTPRoot: dnsmasq's own TFTP server (README's watch table
// lists it among the daemons read) serving another directory than
// setup-cisco writes. Seen with the real dnsmasq 2.90 in a network
// namespace, started as below, and `setup-cisco -r /tmp/b9/srv/tftp doctor`:
// the only TFTP finding was "note: dnsmasq: pid 22158 holds UDP port 69
// (inetd-style or another TFTP server); not checking its root", while
// dnsmasq logged "file /tmp/b9/other/SIPDefault.cnf not found" for every
// request (curl tftp:// exit 68). Right: tftp-root (command line, or
// /etc/dnsmasq.conf and /etc/dnsmasq.d, as doctor already reads them for
// DHCP) is compared with the root, and a mismatch is a problem naming
// both directories.
func TestB9DnsmasqTFTPRoot(t *testing.T) {
	dm := Proc{PID: 22158, Comm: "dnsmasq", UID: 65534, GID: 65534, NetNS: "net:[1]", UDPPort: []int{69},
		Args: []string{"dnsmasq", "--port=0", "--enable-tftp", "--tftp-root=/tmp/b9/other", "--listen-address=192.0.2.10",
			"--bind-interfaces", "--pid-file=/tmp/b9/dnsmasq.pid", "--log-facility=/tmp/b9/dnsmasq.log", "--conf-file=/dev/null"}}
	_, fs := CheckTFTPDaemon([]Proc{dm}, "/tmp/b9/srv/tftp", "net:[1]")
	found := false
	for _, f := range fs {
		if f.Severity == Problem && strings.Contains(f.String(), "/tmp/b9/other") {
			found = true
		}
	}
	if !found {
		t.Errorf("dnsmasq serving /tmp/b9/other while setup-cisco writes /tmp/b9/srv/tftp: no problem named; findings: %v", fs)
	}
}
