package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestB10DnsmasqTFTPRootPerInterface: dnsmasq(8): "tftp-root=<directory>[,
// <interface>]": with an interface the root applies to requests arriving
// there only (dnsmasq option.c LOPT_PREFIX: with a comma a per-interface
// prefix is added to if_prefix; without one, daemon->tftp_prefix is set).
// A site serving phones from /srv/tftp and a lab VLAN from /srv/lab on eth1:
//
//	tftp-root=ROOT
//	tftp-root=LAB,eth1
//
// c3ee8ce's dnsmasqTFTPRoot keeps the last tftp-root line and drops the
// interface, so doctor says dnsmasq serves LAB and calls the phones' root a
// mismatch (a problem, exit 1) on a valid site. Right: the interface-less
// tftp-root is the one compared (per-interface roots at most a note).
func TestB10DnsmasqTFTPRootPerInterface(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "srv", "tftp")
	lab := filepath.Join(dir, "srv", "lab")
	os.MkdirAll(root, 0o755)
	os.MkdirAll(lab, 0o755)
	conf := filepath.Join(dir, "dnsmasq.conf")
	write(t, conf, "enable-tftp\ntftp-root="+root+"\ntftp-root="+lab+",eth1\n", 0o644)
	dm := Proc{PID: 22158, Comm: "dnsmasq", UID: 65534, GID: 65534, NetNS: "net:[1]", UDPPort: []int{69},
		Args: []string{"dnsmasq", "--conf-file=" + conf, "--keep-in-foreground"}}
	_, fs := CheckTFTPDaemon([]Proc{dm}, root, "net:[1]")
	for _, f := range fs {
		if f.Severity == Problem && strings.Contains(f.String(), lab) {
			t.Errorf("dnsmasq serves %s (eth1: %s): a mismatch problem on a valid site: %v", root, lab, f)
		}
	}
}

// TestB10DnsmasqConfFileLastArg: `dnsmasq --enable-tftp --conf-file=FILE`
// with FILE's tftp-root another directory. argAfter (dhcp.go) only looks at
// args[i] for i+1 < len(args), so an --opt=VALUE that is the last word of
// the command line (--conf-file=..., --tftp-root=..., --user=...) is never
// read: doctor says the tftp-root "was not found" (a note, exit 0) while
// every phone request is 'not found'. Right: the mismatch is a problem
// naming both directories, as when the option is not last.
func TestB10DnsmasqConfFileLastArg(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "srv", "tftp")
	other := filepath.Join(dir, "other")
	os.MkdirAll(root, 0o755)
	os.MkdirAll(other, 0o755)
	conf := filepath.Join(dir, "dnsmasq-tftp.conf")
	write(t, conf, "tftp-root="+other+"\n", 0o644)
	for _, args := range [][]string{
		{"dnsmasq", "--enable-tftp", "--conf-file=" + conf},
		{"dnsmasq", "--conf-file=/dev/null", "--enable-tftp", "--tftp-root=" + other},
	} {
		dm := Proc{PID: 22158, Comm: "dnsmasq", UID: 65534, GID: 65534, NetNS: "net:[1]", UDPPort: []int{69}, Args: args}
		_, fs := CheckTFTPDaemon([]Proc{dm}, root, "net:[1]")
		found := false
		for _, f := range fs {
			found = found || f.Severity == Problem && strings.Contains(f.String(), other)
		}
		if !found {
			t.Errorf("%v: dnsmasq serves %s, setup-cisco writes %s: no problem; findings %v", args, other, root, fs)
		}
	}
}
