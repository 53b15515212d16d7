package doctor

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestDaemonRootAsGetoptReadsIt: each daemon's directory is its first
// operand wherever it stands, its options parsed with its own table.
// atftpd lines as the real atftpd 0.8.0 was run in a network namespace
// (it logs "directory: D/"): `--logfile - --verbose=7 d1 d2` serves d1,
// `--logfile - d1 -v 7` d1 (-v takes its value only attached), `d1
// --verb=7 --log -` d1 (abbreviations), `--logfile - -v7 -m 5 d2` d2, and
// with no directory Debian's build serves /srv/tftp.
func TestDaemonRootAsGetoptReadsIt(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/usr/sbin/atftpd", "--logfile", "/var/log/a.log", "--verbose=7", "/d1", "/d2"}, "/d1"},
		{[]string{"/usr/sbin/atftpd", "--logfile", "-", "/d1", "-v", "7"}, "/d1"},
		{[]string{"/usr/sbin/atftpd", "/d1", "--verb=7", "--log", "/var/log/a.log"}, "/d1"},
		{[]string{"/usr/sbin/atftpd", "--logfile", "/var/log/a.log", "-v7", "-m", "5", "/d2"}, "/d2"},
		{[]string{"/usr/sbin/atftpd", "--daemon", "--user", "tftp.tftp", "--port", "69"}, "/srv/tftp"},
		{[]string{"/usr/sbin/atftpd", "--", "/srv/tftp"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "-m", "/etc/tftpd.map", "-s", "/srv/tftp"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "/srv/tftp", "--user", "tftp", "-vvs"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "-u", "tftp", "-P", "/run/tftpd.pid", "--secure", "/tftpboot"}, "/tftpboot"},
	} {
		p := Proc{Comm: filepath.Base(c.args[0]), Args: c.args}
		if got := daemonRoot(p); got != c.want {
			t.Errorf("%q: root %q, want %q", c.args, got, c.want)
		}
	}
	// atftpd's --pcre rewrites names: said, not judged.
	at := Proc{PID: 9, Comm: "atftpd", UID: 65534, NetNS: "net:[1]", UDPPort: []int{69},
		Args: []string{"/usr/sbin/atftpd", "--daemon", "/srv/tftp", "--pcre", "/etc/atftpd.pcre"}}
	if _, fs := CheckTFTPDaemon([]Proc{at}, "/srv/tftp", "net:[1]"); len(fs) != 1 || fs[0].Severity != Note || !strings.Contains(fs[0].Msg, "/etc/atftpd.pcre") {
		t.Errorf("--pcre: %v", fs)
	}
	// Flags anywhere, clustered, abbreviated.
	for _, args := range [][]string{
		{"in.tftpd", "-s", "/srv/tftp", "-c"},
		{"in.tftpd", "-vcs", "/srv/tftp"},
		{"in.tftpd", "--cre", "--secure", "/srv/tftp"},
	} {
		if !hpaFlag(args, "create") {
			t.Errorf("%q: --create not seen", args)
		}
	}
	// A value is not a flag: -u c is the user c.
	if hpaFlag([]string{"in.tftpd", "-u", "c", "-s", "/srv/tftp"}, "create") {
		t.Error("-u c read as --create")
	}
	// Debian's atftpd installs in.tftpd as a link to atftpd: the program
	// counts, not the name it was started by.
	p := Proc{Comm: "in.tftpd", Exe: "/usr/sbin/atftpd", Args: []string{"/usr/sbin/in.tftpd", "--tftpd-timeout", "300", "--verbose=5", "/srv/tftp", "--logfile", "/var/log/atftpd.log"}}
	if got := daemonRoot(p); got != "/srv/tftp" {
		t.Errorf("atftpd as in.tftpd: root %q", got)
	}
}

// debianAtftpd installs atftpd under sys as Debian's package does:
// /usr/sbin/in.tftpd a link to atftpd.
func debianAtftpd(t *testing.T, sys string) {
	sysFile(t, sys, "/usr/sbin/atftpd", "")
	if err := os.Symlink("atftpd", filepath.Join(sys, "/usr/sbin/in.tftpd")); err != nil {
		t.Fatal(err)
	}
}

// sysFile writes a file under a fake system root.
func sysFile(t *testing.T, sys, path, text string) {
	t.Helper()
	p := filepath.Join(sys, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func problemNaming(fs []Finding, s string) bool {
	for _, f := range fs {
		if f.Severity == Problem && strings.Contains(f.String(), s) {
			return true
		}
	}
	return false
}

// TestLaunchedServerRoot: a launcher on UDP 69 stands for the server it
// starts, read from its configuration (files as Debian 12 and CentOS ship
// them): Debian's atftpd.socket/atftpd.service with /etc/default/atftpd,
// an override drop-in, xinetd's /etc/xinetd.d/tftp (old.tftp is
// not read: xinetd skips names with a dot), inetd.conf through tcpd.
func TestLaunchedServerRoot(t *testing.T) {
	const atftpdService = "[Unit]\nDescription=Advanced TFTP Server\nRequires=atftpd.socket\n\n[Service]\nEnvironmentFile=/etc/default/atftpd\nExecStart=/usr/sbin/in.tftpd $OPTIONS\nStandardInput=socket\nDynamicUser=yes\n"
	debian := func(t *testing.T, options string) string {
		sys := t.TempDir()
		sysFile(t, sys, "/lib/systemd/system/atftpd.socket", "[Unit]\nDescription=Advanced TFTP Server activation socket\n\n[Socket]\nListenDatagram=69\n\n[Install]\nWantedBy=sockets.target\n")
		sysFile(t, sys, "/lib/systemd/system/atftpd.service", atftpdService)
		sysFile(t, sys, "/lib/systemd/system/other.socket", "[Socket]\nListenDatagram=0.0.0.0:5060\n")
		sysFile(t, sys, "/etc/default/atftpd", "## Options for atftpd:\nOPTIONS=\""+options+"\"\n")
		debianAtftpd(t, sys)
		return sys
	}
	systemd := Proc{PID: 1, Comm: "systemd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/sbin/init"}}

	sys := debian(t, "--port 69 --tftpd-timeout 300 --retry-timeout 5 --mcast-port 1758 --mcast-addr 239.239.239.0-255 --mcast-ttl 1 --maxthread 100 --verbose=5 /srv/tftp")
	d, fs := checkTFTPDaemon([]Proc{systemd}, "/tftpboot", "net:[1]", sys)
	if !problemNaming(fs, "/srv/tftp") || !problemNaming(fs, "atftpd.socket") {
		t.Errorf("Debian's atftpd.socket serving /srv/tftp, root /tftpboot: %v", fs)
	}
	if d == nil || ServerIdentity(d).Known {
		t.Errorf("DynamicUser=yes: the user owns nothing, judged as any user; got %+v", d)
	}
	sys = debian(t, "--tftpd-timeout 300 /tftpboot --logfile /var/log/atftpd.log --verbose=7")
	if _, fs := checkTFTPDaemon([]Proc{systemd}, "/tftpboot", "net:[1]", sys); ExitCode(fs) != ExitHealthy {
		t.Errorf("atftpd.socket serving /tftpboot: %v", fs)
	}
	// README.Debian's override: DynamicUser=no, User=nobody.
	sysFile(t, sys, "/etc/systemd/system/atftpd.service.d/override.conf", "[Service]\nDynamicUser=no\nUser=nobody\nGroup=nogroup\n")
	if d, _ := checkTFTPDaemon([]Proc{systemd}, "/tftpboot", "net:[1]", sys); d == nil || ServerIdentity(d).Name != "nobody" {
		t.Errorf("override User=nobody: identity %+v", ServerIdentity(d))
	}
	// No socket on 69 found: not checked, never healthy.
	empty := t.TempDir()
	if _, fs := checkTFTPDaemon([]Proc{systemd}, "/tftpboot", "net:[1]", empty); ExitCode(fs) != ExitUnchecked {
		t.Errorf("systemd on 69 with no socket unit read: %v", fs)
	}

	// CentOS tftp-server under xinetd.
	sys = t.TempDir()
	sysFile(t, sys, "/etc/xinetd.conf", "defaults\n{\n\tinstances = 60\n}\n\nincludedir /etc/xinetd.d\n")
	sysFile(t, sys, "/etc/xinetd.d/tftp", "# default: off\nservice tftp\n{\n\tsocket_type\t\t= dgram\n\tprotocol\t\t= udp\n\twait\t\t\t= yes\n\tuser\t\t\t= root\n\tserver\t\t\t= /usr/sbin/in.tftpd\n\tserver_args\t\t= -s /var/lib/tftpboot\n\tdisable\t\t\t= no\n\tper_source\t\t= 11\n\tcps\t\t\t= 100 2\n\tflags\t\t\t= IPv4\n}\n")
	sysFile(t, sys, "/etc/xinetd.d/old.tftp", "service tftp\n{\n\tprotocol = udp\n\tserver = /usr/sbin/in.tftpd\n\tserver_args = -s /tftpboot\n}\n")
	xinetd := Proc{PID: 812, Comm: "xinetd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/usr/sbin/xinetd", "-stayalive", "-pidfile", "/var/run/xinetd.pid"}}
	d, fs = checkTFTPDaemon([]Proc{xinetd}, "/tftpboot", "net:[1]", sys)
	if !problemNaming(fs, "/var/lib/tftpboot") || !problemNaming(fs, "/etc/xinetd.d/tftp:2") {
		t.Errorf("xinetd's tftp serves /var/lib/tftpboot, root /tftpboot: %v", fs)
	}
	if id := ServerIdentity(d); !id.Chrooted || id.Name != "nobody" {
		t.Errorf("in.tftpd -s started as root serves as nobody, chrooted: %+v", id)
	}
	sysFile(t, sys, "/etc/xinetd.d/tftp", "service tftp\n{\n\tprotocol = udp\n\tserver = /usr/sbin/in.tftpd\n\tserver_args = -s /tftpboot\n\tdisable = yes\n}\n")
	if _, fs := checkTFTPDaemon([]Proc{xinetd}, "/tftpboot", "net:[1]", sys); ExitCode(fs) != ExitUnchecked {
		t.Errorf("xinetd on 69 with its tftp service disabled (another config holds it): %v", fs)
	}

	// Debian inetd, through tcpd.
	sys = t.TempDir()
	sysFile(t, sys, "/etc/inetd.conf", "#:BOOT: TFTP service is provided primarily for booting.\ntftp\t\tdgram\tudp4\twait\troot\t/usr/sbin/tcpd\t/usr/sbin/in.tftpd --tftpd-timeout 300 --retry-timeout 5 /srv/tftp\n")
	debianAtftpd(t, sys)
	inetd := Proc{PID: 813, Comm: "inetd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/usr/sbin/inetd"}}
	if _, fs := checkTFTPDaemon([]Proc{inetd}, "/tftpboot", "net:[1]", sys); !problemNaming(fs, "/srv/tftp") || !problemNaming(fs, "/etc/inetd.conf:2") {
		t.Errorf("inetd's tftp line serves /srv/tftp: %v", fs)
	}
}

// TestSocketActivatedAtftpdReal: the real systemd-socket-activate holding
// UDP 69 for the real atftpd (how Debian's atftpd.socket runs it) in a
// network namespace of its own: idle, only the launcher is on the port,
// and doctor reads the directory from the launcher's command line.
func TestSocketActivatedAtftpdReal(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace")
	}
	for _, tool := range []string{"unshare", "nsenter", "busybox", "systemd-socket-activate", "atftpd"} {
		testdb.Tool(t, tool)
	}
	served := b13Root(t)
	cmd := exec.Command("unshare", "-n", "sh", "-c", "ip link set lo up && exec systemd-socket-activate -d --inetd -l 127.0.0.1:69 /usr/sbin/atftpd --tftpd-timeout 5 "+served+" --verbose=7 --logfile /dev/null")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // atftpd, once started, too
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var launcher []Proc
	for ctx.Err() == nil && len(launcher) == 0 {
		time.Sleep(50 * time.Millisecond)
		procs, err := Processes("/proc")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range Listening(procs, 69) {
			if p.PID == cmd.Process.Pid { // unshare and sh exec it
				launcher = append(launcher, p)
			}
		}
	}
	if len(launcher) == 0 {
		t.Fatal("systemd-socket-activate not seen on UDP 69")
	}
	d, fs := CheckTFTPDaemon(launcher, served, launcher[0].NetNS)
	if d == nil || tftpKind(*d) != kindAtftpd || ExitCode(fs) != ExitHealthy {
		t.Errorf("launcher for atftpd serving %s: %+v %v", served, d, fs)
	}
	if _, fs := CheckTFTPDaemon(launcher, "/tftpboot", launcher[0].NetNS); !problemNaming(fs, served) {
		t.Errorf("atftpd serves %s, root /tftpboot: %v", served, fs)
	}
	// The premise: a request starts atftpd, which serves that directory.
	got := filepath.Join(t.TempDir(), "got")
	out, err := exec.CommandContext(ctx, "nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-n",
		"busybox", "tftp", "-g", "-r", "SIPDefault.cnf", "-l", got, "127.0.0.1").CombinedOutput()
	if b, _ := os.ReadFile(got); err != nil || !strings.HasPrefix(string(b), "image_version") {
		t.Errorf("the real atftpd did not serve %s/SIPDefault.cnf: %v %s", served, err, out)
	}
}

// TestDnsmasqTFTPSecureInConfFile: tftp-secure set in a file dnsmasq reads
// is named with its file:line, once for the root (not per file); dnsmasq
// run as root serves world-readable files only (dnsmasq(8)).
func TestDnsmasqTFTPSecureInConfFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: root-owned files")
	}
	root := b13Root(t)
	conf := filepath.Join(t.TempDir(), "dnsmasq.conf")
	write(t, conf, "enable-tftp\ntftp-root="+root+"\ntftp-secure   # PXE how-to\n", 0o644)
	p := Proc{PID: 4807, Comm: "dnsmasq", UID: 65534, GID: 65534, Args: []string{"/usr/sbin/dnsmasq", "--conf-file=" + conf}}
	fs := CheckAccess(root, IdentityOf(p))
	if !problemNaming(fs, conf+":3") || !problemNaming(fs, "2 of 2 files") || len(fs) != 1 {
		t.Errorf("tftp-secure at %s:3: %v", conf, fs)
	}
	p.UID, p.GID = 0, 0
	os.Chmod(filepath.Join(root, "SIP001BD4123456.cnf"), 0o640)
	fs = CheckAccess(root, IdentityOf(p))
	if !problemNaming(fs, "SIP001BD4123456.cnf") || problemNaming(fs, "SIPDefault.cnf") {
		t.Errorf("dnsmasq as root: only the 0640 file is refused: %v", fs)
	}
}

// TestXinetdAtftpdReal: the real xinetd (Debian 12's 2.3.15) holding UDP
// 69 for a tftp service as /etc/xinetd.d/tftp gives it, in a network
// namespace of its own, with the server atftpd (Debian's in.tftpd): idle,
// only xinetd is on the port; doctor reads the directory from xinetd's
// configuration (its -f file), and a request then gets the file from that
// directory.
func TestXinetdAtftpdReal(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace")
	}
	for _, tool := range []string{"unshare", "nsenter", "busybox", "xinetd", "atftpd"} {
		testdb.Tool(t, tool)
	}
	served := b13Root(t)
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	conf := filepath.Join(dir, "xinetd.conf")
	write(t, conf, "defaults\n{\n\tinstances = 60\n}\nincludedir "+filepath.Join(dir, "xinetd.d")+"\n", 0o644)
	os.Mkdir(filepath.Join(dir, "xinetd.d"), 0o755)
	write(t, filepath.Join(dir, "xinetd.d", "tftp"), "service tftp\n{\n\tsocket_type\t= dgram\n\tprotocol\t= udp\n\twait\t\t= yes\n\tuser\t\t= root\n\tbind\t\t= 127.0.0.1\n\tserver\t\t= /usr/sbin/in.tftpd\n\tserver_args\t= --tftpd-timeout 5 "+served+" --logfile /dev/null\n\tdisable\t\t= no\n}\n", 0o644)
	write(t, filepath.Join(dir, "xinetd.d", "tftp~"), "service tftp\n{\n\tprotocol = udp\n\tserver = /usr/sbin/in.tftpd\n\tserver_args = /srv/elsewhere\n}\n", 0o644)
	cmd := exec.Command("unshare", "-n", "sh", "-c", "ip link set lo up && exec xinetd -dontfork -f "+conf)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var xinetd []Proc
	for ctx.Err() == nil && len(xinetd) == 0 {
		time.Sleep(50 * time.Millisecond)
		procs, err := Processes("/proc")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range Listening(procs, 69) {
			if p.PID == cmd.Process.Pid {
				xinetd = append(xinetd, p)
			}
		}
	}
	if len(xinetd) == 0 {
		t.Fatal("xinetd not seen on UDP 69")
	}
	d, fs := CheckTFTPDaemon(xinetd, served, xinetd[0].NetNS)
	if d == nil || tftpKind(*d) != kindAtftpd || ExitCode(fs) != ExitHealthy {
		t.Errorf("xinetd for atftpd serving %s: %+v %v", served, d, fs)
	}
	if _, fs := CheckTFTPDaemon(xinetd, "/tftpboot", xinetd[0].NetNS); !problemNaming(fs, served) {
		t.Errorf("atftpd serves %s, root /tftpboot: %v", served, fs)
	}
	got := filepath.Join(t.TempDir(), "got")
	out, err := exec.CommandContext(ctx, "nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-n",
		"busybox", "tftp", "-g", "-r", "SIPDefault.cnf", "-l", got, "127.0.0.1").CombinedOutput()
	if b, _ := os.ReadFile(got); err != nil || !strings.HasPrefix(string(b), "image_version") {
		t.Errorf("the real xinetd + atftpd did not serve %s/SIPDefault.cnf: %v %s", served, err, out)
	}
}

// TestDnsmasqWithoutTFTPRoot: dnsmasq with enable-tftp and no tftp-root
// serves from "/" (the real dnsmasq 2.90, started in another directory,
// logged "file /rel.txt not found" and sent etc/hostname): a root
// mismatch, not a note; a configuration doctor cannot read is a check not
// done.
func TestDnsmasqWithoutTFTPRoot(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dnsmasq.conf")
	write(t, conf, "port=0\nenable-tftp\n", 0o644)
	p := Proc{PID: 4807, Comm: "dnsmasq", UID: 65534, NetNS: "net:[1]", UDPPort: []int{69}, Args: []string{"/usr/sbin/dnsmasq", "-C", conf}}
	if _, fs := CheckTFTPDaemon([]Proc{p}, "/tftpboot", "net:[1]"); !problemNaming(fs, "serves /, but") {
		t.Errorf("no tftp-root: %v", fs)
	}
	os.Chmod(filepath.Dir(conf), 0o755)
	write(t, conf, "port=0\nenable-tftp\nconf-file="+filepath.Join(filepath.Dir(conf), "missing.conf")+"\n", 0o644)
	if _, fs := CheckTFTPDaemon([]Proc{p}, "/tftpboot", "net:[1]"); ExitCode(fs) != ExitUnchecked {
		t.Errorf("unreadable configuration: %v", fs)
	}
}

// TestHPAWithoutSecure: the real tftpd-hpa 5.2 (Debian's binary, in a
// network namespace) without --secure answered "SIPDefault.cnf" with
// error 2 "Only absolute filenames allowed" and served only
// /ROOT/SIPDefault.cnf; with -s ROOT the reverse. Phones ask relative
// names: without --secure nothing boots (unless a --map-file makes names
// absolute, which doctor does not judge).
func TestHPAWithoutSecure(t *testing.T) {
	hpa := Proc{PID: 12, Comm: "in.tftpd", UID: 0, NetNS: "net:[1]", UDPPort: []int{69}}
	hpa.Args = []string{"/usr/sbin/in.tftpd", "--listen", "--user", "tftp", "/srv/tftp"}
	if _, fs := CheckTFTPDaemon([]Proc{hpa}, "/srv/tftp", "net:[1]"); !problemNaming(fs, "without --secure") {
		t.Errorf("no --secure: %v", fs)
	}
	hpa.Args = []string{"/usr/sbin/in.tftpd", "-m", "/etc/tftp.remap", "/srv/tftp"}
	if _, fs := CheckTFTPDaemon([]Proc{hpa}, "/srv/tftp", "net:[1]"); ExitCode(fs) != ExitHealthy || len(fs) != 1 {
		t.Errorf("no --secure, a map file: one note: %v", fs)
	}
	hpa.Args = []string{"/usr/sbin/in.tftpd", "/srv/tftp", "-vvs"}
	if _, fs := CheckTFTPDaemon([]Proc{hpa}, "/srv/tftp", "net:[1]"); len(fs) != 0 {
		t.Errorf("-s after the directory: %v", fs)
	}
}
