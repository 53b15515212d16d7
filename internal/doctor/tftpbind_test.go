package doctor

import (
	"strings"
	"testing"
)

// Every way tftpd-hpa's --address/-a and atftpd's --bind-address spell a
// loopback address is a problem; any other address, or none, is not.
func TestTFTPBindLoopbackForms(t *testing.T) {
	root := t.TempDir()
	hpa := func(a ...string) Proc {
		return Proc{PID: 7, Comm: "in.tftpd", Exe: "/usr/sbin/in.tftpd", NetNS: "net:[1]", UDPPort: []int{69},
			Args: append(append([]string{"/usr/sbin/in.tftpd", "--listen", "--user", "tftp"}, a...), "--secure", root)}
	}
	at := func(a ...string) Proc {
		return Proc{PID: 8, Comm: "atftpd", Exe: "/usr/sbin/atftpd", NetNS: "net:[1]", UDPPort: []int{69},
			Args: append(append([]string{"/usr/sbin/atftpd", "--daemon"}, a...), root)}
	}
	for _, c := range []struct {
		p    Proc
		loop bool
	}{
		{hpa("-a", "127.0.0.1"), true}, {hpa("-a[::1]:69"), true}, {hpa("--address=localhost:69"), true},
		{hpa("--addr", "127.0.1.1:69"), true}, {hpa("-a", "::1"), true},
		{at("--bind-address=127.0.0.2"), true}, {at("--bind", "::1"), true},
		{hpa("--address", ":69"), false}, {hpa("-a", "0.0.0.0:69"), false}, {hpa("-a", "[::]:69"), false},
		{hpa(), false}, {at("--bind-address", "192.0.2.1"), false}, {at(), false},
	} {
		_, fs := CheckTFTPDaemon([]Proc{c.p}, root, "net:[1]")
		got := false
		for _, f := range fs {
			got = got || f.Severity == Problem && strings.Contains(f.Msg, "only (")
		}
		if got != c.loop {
			t.Errorf("%v: loopback-only problem %v, want %v: %v", c.p.Args, got, c.loop, fs)
		}
	}
}
