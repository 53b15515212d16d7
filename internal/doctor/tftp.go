package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// TFTPDaemons are the command names of TFTP servers phones are served by.
var TFTPDaemons = []string{"atftpd", "in.tftpd", "tftpd"}

// Identity is the user a daemon reads files as. Known false means any
// user: only the world bits count.
type Identity struct {
	Known  bool
	Name   string
	UID    int
	GID    int
	Groups []int
	// Chrooted: the daemon enters the root before it drops to this user
	// (tftpd-hpa --secure), so the directories above it do not matter.
	Chrooted bool
	// WorldRead: the daemon serves only files every user may read
	// (tftpd-hpa without -p: "File must have global read permissions").
	WorldRead bool
	// Rule is the daemon's rule behind WorldRead, for messages.
	Rule string
	// OwnerOnly, when set, is where dnsmasq's tftp-secure is set (file:line
	// or "command line"): it then serves only files its user owns.
	OwnerOnly string
}

func (id Identity) String() string {
	if !id.Known {
		return "any user"
	}
	return "user " + id.Name
}

// IdentityOf is the user a TFTP daemon reads its files as: the process's
// effective user, or, for a daemon that starts as root and serves as
// another user, that user (tftpd-hpa --user, default nobody: tftpd(8);
// atftpd --user/--group, default nobody/nogroup: atftpd --help), with the
// daemon's own rules on top (tftpd-hpa without --permissive, dnsmasq run
// as root: world-readable files only; dnsmasq tftp-secure: its own files
// only, dnsmasq(8)).
func IdentityOf(p Proc) Identity {
	id := Identity{Known: p.UID >= 0, UID: p.UID, GID: p.GID, Groups: p.Groups, Name: strconv.Itoa(p.UID)}
	if u, err := user.LookupId(id.Name); err == nil {
		id.Name = u.Username
	}
	switch tftpKind(p) {
	case kindHPA:
		c := daemonArgs(p)
		if p.UID == 0 {
			// tftpd-hpa's listener stays root and serves each request as
			// --user, after a chroot with --secure.
			name := c.Last("user")
			if name == "" {
				name = "nobody"
			}
			id = lookupIdentity(name, "")
		}
		id.WorldRead = !c.Has("permissive")
		id.Chrooted = c.Has("secure")
		if id.WorldRead {
			id.Rule = `tftpd-hpa serves only files every user may read (without -p: "File must have global read permissions")`
		}
	case kindAtftpd:
		if p.UID == 0 {
			c := daemonArgs(p)
			name, group, _ := strings.Cut(c.Last("user"), ".")
			if name == "" {
				name = "nobody"
			}
			if g := c.Last("group"); g != "" {
				group = g
			}
			if group == "" {
				group = "nogroup"
			}
			id = lookupIdentity(name, group)
		}
	case kindDnsmasq:
		if p.UID == 0 {
			id.WorldRead = true
			id.Rule = "dnsmasq run as root serves only files every user may read (dnsmasq(8) --tftp-secure)"
		} else if where := dnsmasqTFTPFlags(p)["tftp-secure"]; where != "" {
			id.OwnerOnly = where
		}
	}
	return id
}

// lookupIdentity is the user name (with group, "" for the user's own) as
// this host knows it; a user this host does not know is judged as any
// user (the world bits), never as root.
func lookupIdentity(name, group string) Identity {
	id := Identity{Name: name}
	u, err := user.Lookup(name)
	if err != nil {
		return id
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	id = Identity{Known: true, Name: u.Username, UID: uid, GID: gid}
	if group != "" {
		if g, err := user.LookupGroup(group); err == nil {
			id.GID, _ = strconv.Atoi(g.Gid)
		}
		return id
	}
	if gs, err := u.GroupIds(); err == nil {
		for _, g := range gs {
			if n, err := strconv.Atoi(g); err == nil {
				id.Groups = append(id.Groups, n)
			}
		}
	}
	return id
}

// owns says whether id owns fi (a user doctor does not know owns nothing).
func (id Identity) owns(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return id.Known && ok && int(st.Uid) == id.UID
}

// may reports whether id has the permission bit (4 read, 1 search) on fi.
func (id Identity) may(fi fs.FileInfo, bit fs.FileMode) bool {
	perm := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !id.Known || !ok {
		return perm&bit != 0
	}
	switch {
	case id.UID == 0:
		return true
	case int(st.Uid) == id.UID:
		return perm&(bit<<6) != 0
	case int(st.Gid) == id.GID || slices.Contains(id.Groups, int(st.Gid)):
		return perm&(bit<<3) != 0
	}
	return perm&bit != 0
}

// CheckTFTPDaemon looks for a TFTP server listening on UDP 69 and checks
// that it serves root. It returns the daemon found, if any. A launcher on
// the port (systemd's socket, xinetd, inetd) stands for the server it
// starts, read from its configuration; when that cannot be read, the
// check is reported as not done.
func CheckTFTPDaemon(procs []Proc, root, selfNetNS string) (*Proc, []Finding) {
	return checkTFTPDaemon(procs, root, selfNetNS, "/")
}

// checkTFTPDaemon is CheckTFTPDaemon reading launchers' configuration
// under sys.
func checkTFTPDaemon(procs []Proc, root, selfNetNS, sys string) (*Proc, []Finding) {
	var fs []Finding
	listen := Listening(procs, 69)
	if len(listen) == 0 {
		named := Named(procs, TFTPDaemons...)
		if len(named) > 0 {
			if euid := os.Geteuid(); euid != 0 && named[0].UID != euid {
				// Another user's process (doctor not run as root): its
				// sockets cannot be seen, so this check could not run.
				return &named[0], []Finding{unchecked(named[0].Comm, "run doctor as root",
					"pid %d: cannot see its sockets", named[0].PID)}
			}
			return &named[0], []Finding{problem(named[0].Comm, startCommand(named[0].Comm, "restart"),
				"pid %d runs but no socket of it is on UDP port 69", named[0].PID)}
		}
		return nil, []Finding{problem("TFTP server", tftpStartFix(root, installedTFTP()),
			"no process listens on UDP port 69: phones get no files")}
	}
	var cands []Proc
	var unread []Finding
	for _, p := range listen {
		if !isLauncher(p) {
			cands = append(cands, p)
			continue
		}
		q, err := launchedServer(sys, p)
		if err != nil {
			unread = append(unread, unchecked(p.Comm, "check that the TFTP server it starts serves "+root,
				"pid %d holds UDP port 69 for a TFTP server it starts on demand, but %v: which directory phones are served from was not checked", p.PID, err))
			continue
		}
		cands = append(cands, q)
	}
	if len(cands) == 0 {
		return &listen[0], unread
	}
	// Prefer the daemon serving root in our own namespace (other daemons,
	// of another test run or namespace, may hold port 69 too), and a
	// running one over what a launcher would start.
	score := func(p Proc) int {
		n := 0
		if r := servedRoot(p); r != "" && sameDir(r, root) {
			n += 4
		}
		if p.NetNS == selfNetNS {
			n += 2
		}
		if p.From == "" {
			n++
		}
		return n
	}
	d := cands[0]
	for _, p := range cands[1:] {
		if score(p) > score(d) {
			d = p
		}
	}
	who := fmt.Sprintf("pid %d", d.PID)
	if d.From != "" {
		who = fmt.Sprintf("the server pid %d starts for UDP 69 (%s)", d.PID, d.From)
	}
	kind := tftpKind(d)
	if kind == "" {
		fs = append(fs, unchecked(d.Comm, "check that it serves "+root,
			"%s holds UDP port 69, a TFTP server doctor does not read (it reads atftpd, tftpd-hpa, dnsmasq and the systemd, xinetd and inetd that start them): which directory phones are served from was not checked", who))
		return &d, fs
	}
	if d.NetNS != "" && selfNetNS != "" && d.NetNS != selfNetNS {
		fs = append(fs, note(d.Comm, "%s listens on UDP 69 in another network namespace (%s)", who, d.NetNS))
	}
	served := servedRoot(d)
	switch {
	case served == "" && kind == kindDnsmasq:
		_, err := dnsmasqConfOf(d)
		fs = append(fs, unchecked(d.Comm, "check that it serves "+root,
			"%s serves TFTP, but its configuration could not be read (%v): which directory phones are served from was not checked", who, err))
	case served == "":
		fs = append(fs, unchecked(d.Comm, "check that it serves "+root, "%s names no directory on its command line %q: not checked", who, strings.Join(d.Args, " ")))
	case !filepath.IsAbs(served):
		fs = append(fs, unchecked(d.Comm, "check that it serves "+root, "%s serves the relative directory %s: not checked", who, served))
	case !sameDir(served, root):
		fix := "set tftp_root = " + served + " in the config file, or serve " + root
		if kind == kindDnsmasq {
			fix = "set tftp_root = " + served + " in the config file, or tftp-root=" + root + " in dnsmasq's configuration"
		}
		fs = append(fs, problem(d.Comm, fix, "%s serves %s, but setup-cisco writes to %s", who, served, root))
	}
	if f, ok := loopbackOnly(d, who); ok {
		fs = append(fs, f)
	}
	switch kind {
	case kindHPA:
		c := daemonArgs(d)
		switch {
		case !c.Has("secure") && c.Has("map-file"):
			fs = append(fs, note(d.Comm, "%s runs without --secure: it serves only absolute names, so phones' requests (SIPDefault.cnf) are served only if its --map-file %s makes them absolute", who, c.Last("map-file")))
		case !c.Has("secure"):
			// The real tftpd-hpa 5.2 answers a relative name with error
			// 2 "Only absolute filenames allowed"; phones never ask for
			// an absolute one.
			fs = append(fs, problem(d.Comm, "run in.tftpd with --secure (-s) "+root+" (TFTP_OPTIONS in /etc/default/tftpd-hpa; server_args in xinetd)",
				"%s runs without --secure: it refuses every name that does not start with / (\"Only absolute filenames allowed\"), and phones ask for SIPDefault.cnf, SIP<MAC>.cnf", who))
		}
		if c.Has("create") {
			fs = append(fs, problem(d.Comm, "remove --create (-c) from TFTP_OPTIONS in /etc/default/tftpd-hpa; "+startCommand("tftpd-hpa", "restart"),
				"%s runs with --create: any TFTP client on the network may upload new files into the root, such as a SIP<MAC>.cnf of its own for a phone not yet provisioned", who))
		}
	case kindAtftpd:
		if f := daemonArgs(d).Last("pcre"); f != "" {
			fs = append(fs, note(d.Comm, "%s rewrites requested names with the patterns of --pcre %s: a pattern that changes SIPDefault.cnf or SIP<MAC>.cnf makes phones get another file or none", who, f))
		}
	case kindDnsmasq:
		if where := dnsmasqTFTPFlags(d)["tftp-lowercase"]; where != "" {
			fs = append(fs, problem(d.Comm, "remove tftp-lowercase ("+where+") and restart dnsmasq",
				"%s lower-cases every requested name (tftp-lowercase, %s): phones ask for SIPDefault.cnf and SIP<MAC>.cnf, dnsmasq looks for sipdefault.cnf and sip<mac>.cnf, and every phone file is \"not found\"", who, where))
		}
	}
	return &d, fs
}

// loopbackOnly is a problem when a TFTP daemon's command line binds it to
// a loopback address: atftpd --bind-address ADDR (atftpd(8); it logs
// "bound to IP address ADDR only"), tftpd-hpa --address/-a
// [ADDR][:PORT] (tftpd(8); "[ADDR]:PORT" for IPv6). Phones reach the
// address option 150 gives, never 127.0.0.1 or ::1: the real daemons so
// bound listen on 127.0.0.1:69 only and a client on the LAN address times
// out. A server a launcher starts (inetd, systemd) is bound by the
// launcher's socket, not its own options, and is not judged here.
func loopbackOnly(d Proc, who string) (Finding, bool) {
	if d.From != "" {
		return Finding{}, false
	}
	var opt, addr, fix string
	switch tftpKind(d) {
	case kindAtftpd:
		opt, addr = "--bind-address", daemonArgs(d).Last("bind-address")
		fix = "remove --bind-address " + addr + " from OPTIONS in /etc/default/atftpd (or bind the address option 150 gives phones); " + startCommand("atftpd", "restart")
	case kindHPA:
		opt, addr = "--address", daemonArgs(d).Last("address")
		fix = "set TFTP_ADDRESS=\":69\" (or the address option 150 gives phones) in /etc/default/tftpd-hpa; " + startCommand("tftpd-hpa", "restart")
	default:
		return Finding{}, false
	}
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	} else if strings.HasPrefix(addr, "[") {
		host = strings.Trim(addr, "[]")
	} else if strings.Count(addr, ":") == 1 {
		host, _, _ = strings.Cut(addr, ":")
	}
	ip, err := netip.ParseAddr(host)
	loop := err == nil && ip.Unmap().IsLoopback() || strings.EqualFold(host, "localhost") || strings.EqualFold(host, "ip6-localhost")
	if host == "" || !loop {
		return Finding{}, false
	}
	return problem(d.Comm, fix, "%s listens on %s only (%s %s): phones reach this host on its network address, and no phone gets a file", who, host, opt, addr), true
}

// servedRoot is the directory a TFTP server serves ("" when unknown); a
// relative one is taken in the running process's working directory.
func servedRoot(p Proc) string {
	if tftpKind(p) == kindDnsmasq {
		return dnsmasqTFTPRoot(p)
	}
	r := daemonRoot(p)
	if r != "" && !filepath.IsAbs(r) && p.From == "" {
		if cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", p.PID)); err == nil && filepath.IsAbs(cwd) {
			r = filepath.Join(cwd, r)
		}
	}
	return r
}

// dnsmasqConfOf is the configuration a dnsmasq process reads (dnsmasq(8)):
// --conf-file/-C, default /etc/dnsmasq.conf with /etc/dnsmasq.d; Pi-hole's
// own for pihole-FTL; read as setup-dhcp reads it (dhcpconf.InspectDnsmasq).
func dnsmasqConfOf(p Proc) (dhcpconf.DnsmasqSite, error) {
	conf := argAfter(p.Args, "--conf-file", "-C")
	switch {
	case p.Comm == "pihole-FTL":
		// FTL always writes its file: missing, it is not this host's.
		conf = dhcpconf.PiholeDnsmasqConf
		if _, err := os.Stat(conf); err != nil {
			return dhcpconf.DnsmasqSite{}, err
		}
	case conf == "":
		conf = "/etc/dnsmasq.conf"
	}
	return inspectDnsmasq(conf)
}

// dnsmasqTFTPRoot is the directory a dnsmasq process serves TFTP from:
// --tftp-root on its command line, else its configuration's, else "/"
// (without tftp-root dnsmasq serves from its working directory, which is
// "/": the real dnsmasq 2.90 started elsewhere logs "file /rel.txt not
// found" and sends etc/hostname); "" when its configuration cannot be read.
func dnsmasqTFTPRoot(p Proc) string {
	if r := argAfter(p.Args, "--tftp-root"); r != "" {
		r, _, _ = strings.Cut(r, ",") // tftp-root=DIR[,INTERFACE]
		return r
	}
	site, err := dnsmasqConfOf(p)
	if err != nil {
		return ""
	}
	if site.TFTPRoot == "" {
		return "/"
	}
	return site.TFTPRoot
}

// dnsmasqFlagsDoctorReads are dnsmasq's TFTP settings that change which
// file a phone's request gets (dnsmasq(8)): tftp-secure serves only files
// owned by dnsmasq's user, tftp-lowercase looks up the request lower-cased
// (sipdefault.cnf for SIPDefault.cnf).
var dnsmasqFlagsDoctorReads = []string{"tftp-secure", "tftp-lowercase"}

// dnsmasqTFTPFlags maps each of dnsmasqFlagsDoctorReads that a dnsmasq
// process has set to where: "command line" or FILE:LINE of its
// configuration.
func dnsmasqTFTPFlags(p Proc) map[string]string {
	out := map[string]string{}
	for _, a := range p.Args[min(1, len(p.Args)):] {
		if f, ok := strings.CutPrefix(a, "--"); ok && slices.Contains(dnsmasqFlagsDoctorReads, f) {
			out[f] = "command line"
		}
	}
	site, err := dnsmasqConfOf(p)
	if err != nil {
		return out
	}
	for _, file := range site.Files {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for i, l := range strings.Split(string(b), "\n") {
			if j := strings.Index(l, "#"); j >= 0 && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t') {
				l = l[:j]
			}
			k, _, _ := strings.Cut(strings.TrimSpace(l), "=")
			if k = strings.TrimSpace(k); slices.Contains(dnsmasqFlagsDoctorReads, k) && out[k] == "" {
				out[k] = fmt.Sprintf("%s:%d", file, i+1)
			}
		}
	}
	return out
}

// sameDir says whether a and b are one directory: the same path, or the
// same directory through a symbolic link (/tftpboot -> /srv/tftp).
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// tftpServices maps a TFTP daemon's binary to its Debian package and
// service name.
var tftpServices = []struct{ bin, pkg, service, conf string }{
	{"/usr/sbin/atftpd", "atftpd", "atftpd", "the directory operand of OPTIONS in /etc/default/atftpd"},
	{"/usr/sbin/in.tftpd", "tftpd-hpa", "tftpd-hpa", "TFTP_DIRECTORY in /etc/default/tftpd-hpa"},
}

// installedTFTP returns the index in tftpServices of the first TFTP daemon
// installed here, or -1.
func installedTFTP() int {
	for i, s := range tftpServices {
		if fi, err := os.Stat(s.bin); err == nil && fi.Mode().IsRegular() {
			return i
		}
	}
	return -1
}

// startCommand is how to start (or restart) a service: systemctl where
// systemd runs, else the init script through service(8).
func startCommand(service, verb string) string {
	if _, err := os.Stat("/run/systemd/system"); err == nil {
		if verb == "start" {
			return "systemctl enable --now " + service
		}
		return "systemctl " + verb + " " + service
	}
	return "service " + service + " " + verb
}

// tftpStartFix: start the installed daemon (serving root); install one
// only when none is.
func tftpStartFix(root string, installed int) string {
	if installed < 0 {
		s := tftpServices[0]
		return "apt-get install " + s.pkg + "; set " + s.conf + " to " + root + "; " + startCommand(s.service, "start")
	}
	s := tftpServices[installed]
	return startCommand(s.service, "start") + " (" + s.pkg + " is installed; it must serve " + root + ": " + s.conf + ")"
}

// fetched lists the files in root phones may ask for: every regular file
// that is not hidden (setup-cisco's own bookkeeping starts with a dot).
func fetched(root string) ([]string, error) {
	des, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), ".") && !de.IsDir() {
			out = append(out, de.Name())
		}
	}
	return out, nil
}

// CheckAccess checks that id can reach root (search permission on every
// directory from / down) and read each file phones fetch from it.
func CheckAccess(root string, id Identity) []Finding {
	abs, err := filepath.Abs(root)
	if err != nil {
		return []Finding{unchecked(root, "", "%v", err)}
	}
	var fs []Finding
	for d := abs; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return []Finding{problem(abs, "create it, or set tftp_root / --tftp-root", "TFTP root does not exist")}
			}
			return []Finding{unchecked(d, "", "%v", err)}
		}
		if !id.may(fi, 0o1) {
			fs = append(fs, problem(d, "chmod o+x "+d, "directory not searchable by the TFTP daemon (%s; mode %04o): it can serve nothing below it", id, fi.Mode().Perm()))
		}
		if d == filepath.Dir(d) || id.Chrooted {
			break
		}
	}
	names, err := fetched(abs)
	if err != nil {
		return append(fs, unchecked(abs, "", "%v", err))
	}
	var notOwned []string
	for _, n := range names {
		p := filepath.Join(abs, n)
		if outside, ok := linkOutside(abs, n); ok {
			// Not followed: its target is no business of a TFTP root, and
			// others may have planted it (see CheckWritable).
			fs = append(fs, problem(p, "rm "+p, "symlink leading out of the TFTP root (to %s): the TFTP daemon may serve that file to anyone", outside))
			continue
		}
		fi, err := os.Stat(p) // follow links inside the root as the daemon does
		switch {
		case err != nil:
			fs = append(fs, problem(p, "remove it or fix its target", "dangling link or unreadable entry: %v", err))
		case !fi.Mode().IsRegular():
			continue
		case !id.may(fi, 0o4):
			fs = append(fs, problem(p, "chmod 644 "+p, "not readable by the TFTP daemon (%s; mode %04o): phones get \"File not found\"", id, fi.Mode().Perm()))
		case id.WorldRead && fi.Mode().Perm()&0o004 == 0:
			fs = append(fs, problem(p, "chmod o+r "+p, "not readable by the TFTP daemon: %s (mode %04o)", id.Rule, fi.Mode().Perm()))
		case id.OwnerOnly != "" && !id.owns(fi):
			notOwned = append(notOwned, n)
		}
	}
	if len(notOwned) > 0 {
		// One finding: the setting is the cause, not each file, and
		// setup-cisco writes every new file as the user it runs as.
		eg := notOwned[0]
		if len(notOwned) > 1 {
			eg = fmt.Sprintf("%s and %d more", eg, len(notOwned)-1)
		}
		fs = append(fs, problem(abs, "remove tftp-secure ("+id.OwnerOnly+") and restart dnsmasq",
			"%d of %d files are not owned by %s (%s): with tftp-secure (%s) dnsmasq serves only its own user's files, phones get \"Permission denied\"",
			len(notOwned), len(names), id, eg, id.OwnerOnly))
	}
	return fs
}

// CheckSIPDefault checks that SIPDefault.cnf exists and starts with
// image_version, and returns that load ("" when it does not).
func CheckSIPDefault(root string) (string, []Finding) {
	p := filepath.Join(root, "SIPDefault.cnf")
	b, err := readInRoot(root, "SIPDefault.cnf")
	if errors.Is(err, os.ErrNotExist) {
		return "", []Finding{problem(p, FixWrite, "missing: phones get no load name and no defaults")}
	}
	if errors.Is(err, safefs.ErrNotRegular) {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			// rm alone fails on a directory.
			return "", []Finding{problem(p, "rm -r "+shellQuote(p)+"; "+FixWrite, "a directory, not a file: phones get no load name and no defaults, and setup-cisco cannot replace it")}
		}
		return "", []Finding{problem(p, "rm "+p+"; "+FixWrite, "not a regular file (a symlink or other entry, not read): phones may get anything")}
	}
	if err != nil {
		return "", []Finding{unchecked(p, "", "%v", err)}
	}
	img, ok := cnftext.FirstLineImage(b)
	if !ok {
		return "", []Finding{problem(p, "make image_version: NAME its first line (setup-cisco writes it so)",
			"the first line is not image_version: phones on old loads find no load name")}
	}
	if _, err := firmware.Parse(img); err != nil {
		return img, []Finding{problem(p, "set image_version to a SIP load such as "+firmware.DefaultTarget, "image_version %q is not a 7940/7960 load name", img)}
	}
	return img, nil
}

// describe names a phone with its first line.
func describe(p inventory.Phone) string {
	if len(p.Lines) == 0 {
		return fmt.Sprintf("phone %s (%s)", p.MAC, p.Model)
	}
	return fmt.Sprintf("phone %s (%s, ext %s)", p.MAC, p.Model, p.Lines[0].Ext)
}

// CheckPhones checks that every phone of the inventory has its
// SIP<MAC>.cnf, and reports the inventory's bad rows.
func CheckPhones(root string, inv inventory.Inventory) []Finding {
	var fs []Finding
	for _, p := range inv.Phones {
		name := filepath.Join(root, "SIP"+string(p.MAC)+".cnf")
		fi, err := os.Lstat(name)
		switch {
		case errors.Is(err, os.ErrNotExist):
			fs = append(fs, problem(describe(p), FixWrite, "%s is missing: the phone boots with no lines", name))
		case err == nil && fi.IsDir():
			fs = append(fs, problem(describe(p), "rm -r "+shellQuote(name)+"; "+FixWrite, "%s is a directory, not a file: the phone boots with no lines, and setup-cisco cannot replace it", name))
		}
	}
	for _, pr := range inv.Problems {
		fs = append(fs, problem("phone "+pr.MAC, "setup-cisco phone list shows it; correct the row", "%s", pr.Msg))
	}
	return fs
}

// CheckImages checks that every file of the site load and of each pinned
// load is in root under the name phones ask for, not empty and possibly an
// image (firmware.Entry.Invalid: not over the size of any 79x0 image, not
// an HTML page). Modes are CheckAccess's business, owners CheckOwners'.
func CheckImages(root, site string, inv inventory.Inventory) []Finding {
	cat, err := firmware.Scan(root)
	if err != nil {
		return []Finding{unchecked(root, "", "%v", err)}
	}
	users := map[string][]string{}
	var order []string
	add := func(name, who string) {
		if name == "" {
			return
		}
		if _, ok := users[name]; !ok {
			order = append(order, name)
		}
		users[name] = append(users[name], who)
	}
	add(site, "SIPDefault.cnf")
	for _, p := range inv.Phones {
		add(p.Image, describe(p)+" pin")
	}
	var fs []Finding
	for _, name := range order {
		img, err := firmware.Parse(name)
		if err != nil {
			fs = append(fs, problem(join(users[name]), "use a SIP load name such as "+firmware.DefaultTarget, "%q is not a 7940/7960 load name", name))
			continue
		}
		if img.Protocol != firmware.SIP {
			fs = append(fs, problem(join(users[name]), "use a SIP load (P0S3-...)", "%s is a %s load, not SIP", img.Name, img.Protocol))
			continue
		}
		subject := fmt.Sprintf("load %s (%s)", img.Name, join(users[name]))
		e, ok := cat.Lookup(img.Name)
		if !ok {
			fs = append(fs, problem(subject, FixImport+" (Cisco's bundle with "+join(firmware.RequiredFiles(img))+")",
				"no file of this load in %s: phones told to load it stay on their old load", cat.Root))
			continue
		}
		for _, r := range e.Misnamed {
			fs = append(fs, problem(subject, fmt.Sprintf("mv %s %s", filepath.Join(cat.Root, r.Have), filepath.Join(cat.Root, r.Want)),
				"phones ask for %s but the file is named %s", r.Want, r.Have))
		}
		var missing []string
		for _, m := range e.Missing {
			if !slices.ContainsFunc(e.Misnamed, func(r firmware.Rename) bool { return r.Want == m }) {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			fs = append(fs, problem(subject, FixImport+" (the load's bundle; it adds the missing files)",
				"missing in %s: %s", cat.Root, join(missing)))
		}
		// A phone fetches these and fails the upgrade at every boot.
		if len(e.Empty) > 0 {
			fs = append(fs, problem(subject, FixImport+" (the load's bundle; it replaces them)",
				"empty (0 bytes: a failed download?) in %s: %s", cat.Root, join(e.Empty)))
		}
		for _, u := range e.Invalid {
			fs = append(fs, problem(subject, FixImport+" (the load's bundle; it replaces it)",
				"%s is not an image: %s", filepath.Join(cat.Root, u.Name), u.Why))
		}
	}
	return fs
}

// readInRoot reads a file of the TFTP root without following a symlink
// (safefs): doctor must never show what a planted link points to.
func readInRoot(root, name string) ([]byte, error) {
	d, err := safefs.Open(root)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadFile(name, 1<<20)
}

// linkOutside says whether name in root is a symlink whose target lies
// outside root, and that target.
func linkOutside(root, name string) (string, bool) {
	p := filepath.Join(root, name)
	fi, err := os.Lstat(p)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return "", false
	}
	t, err := os.Readlink(p)
	if err != nil {
		return "", false
	}
	if !filepath.IsAbs(t) {
		t = filepath.Join(root, t)
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		t = real
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r // /tftpboot may itself be a link to /srv/tftp
	}
	rel, err := filepath.Rel(root, filepath.Clean(t))
	if err != nil || !filepath.IsLocal(rel) {
		return t, true
	}
	return "", false
}

// ServerIdentity is the user the TFTP server d (CheckTFTPDaemon's) reads
// files as; any user (the world bits) when there is none or doctor does
// not know the program.
func ServerIdentity(d *Proc) Identity {
	if d == nil || tftpKind(*d) == "" {
		return Identity{}
	}
	return IdentityOf(*d)
}
