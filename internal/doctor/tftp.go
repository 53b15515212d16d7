package doctor

import (
	"errors"
	"fmt"
	"io/fs"
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
}

func (id Identity) String() string {
	if !id.Known {
		return "any user"
	}
	return "user " + id.Name
}

// IdentityOf is the effective user of a process.
func IdentityOf(p Proc) Identity {
	id := Identity{Known: p.UID >= 0, UID: p.UID, GID: p.GID, Groups: p.Groups, Name: strconv.Itoa(p.UID)}
	if u, err := user.LookupId(id.Name); err == nil {
		id.Name = u.Username
	}
	if p.Comm == "in.tftpd" && p.UID == 0 {
		// tftpd-hpa's listener stays root and serves each request as
		// --user (default nobody), after a chroot with --secure
		// (tftpd(8)): its files are read as that user.
		name := argAfter(p.Args, "--user", "-u")
		if name == "" {
			name = "nobody"
		}
		// A user this host does not know: judged as any user (the
		// world bits), never as root.
		id = Identity{Name: name}
		if u, err := user.Lookup(name); err == nil {
			uid, _ := strconv.Atoi(u.Uid)
			gid, _ := strconv.Atoi(u.Gid)
			id = Identity{Known: true, Name: u.Username, UID: uid, GID: gid}
			if gs, err := u.GroupIds(); err == nil {
				for _, g := range gs {
					if n, err := strconv.Atoi(g); err == nil {
						id.Groups = append(id.Groups, n)
					}
				}
			}
		}
		id.WorldRead = !hpaFlag(p.Args, "--permissive", 'p')
		id.Chrooted = hpaFlag(p.Args, "--secure", 's')
	}
	return id
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
// that it serves root. It returns the daemon found, if any.
func CheckTFTPDaemon(procs []Proc, root, selfNetNS string) (*Proc, []Finding) {
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
	// Prefer the daemon serving root in our own namespace: other daemons
	// (another test run, another namespace) may hold port 69 too.
	score := func(p Proc) int {
		n := 0
		if r := daemonRoot(p); r != "" && sameDir(r, root) {
			n += 2
		}
		if p.NetNS == selfNetNS {
			n++
		}
		return n
	}
	d := listen[0]
	for _, p := range listen[1:] {
		if score(p) > score(d) {
			d = p
		}
	}
	if d.Comm == "dnsmasq" || d.Comm == "pihole-FTL" {
		// dnsmasq's own TFTP server (--enable-tftp), served from its
		// tftp-root.
		served := dnsmasqTFTPRoot(d)
		switch {
		case served == "":
			fs = append(fs, note(d.Comm, "pid %d serves TFTP; its tftp-root was not found in its command line or /etc/dnsmasq.conf; not checking it", d.PID))
		case !sameDir(served, root):
			fs = append(fs, problem(d.Comm, "set tftp_root = "+served+" in the config file, or tftp-root="+root+" in dnsmasq's configuration",
				"pid %d serves %s, but setup-cisco writes to %s", d.PID, served, root))
		}
		return &d, fs
	}
	if !slices.Contains(TFTPDaemons, d.Comm) {
		fs = append(fs, note(d.Comm, "pid %d holds UDP port 69 (inetd-style or another TFTP server); not checking its root", d.PID))
		return &d, fs
	}
	if d.NetNS != "" && selfNetNS != "" && d.NetNS != selfNetNS {
		fs = append(fs, note(d.Comm, "pid %d listens on UDP 69 in another network namespace (%s)", d.PID, d.NetNS))
	}
	if served := daemonRoot(d); served != "" && !sameDir(served, root) {
		fs = append(fs, problem(d.Comm, "set tftp_root = "+served+" in the config file, or serve "+root,
			"pid %d serves %s, but setup-cisco writes to %s", d.PID, served, root))
	}
	if d.Comm == "in.tftpd" && hpaFlag(d.Args, "--create", 'c') {
		fs = append(fs, problem(d.Comm, "remove --create (-c) from TFTP_OPTIONS in /etc/default/tftpd-hpa; "+startCommand("tftpd-hpa", "restart"),
			"pid %d runs with --create: any TFTP client on the network may upload new files into the root, such as a SIP<MAC>.cnf of its own for a phone not yet provisioned", d.PID))
	}
	return &d, fs
}

// hpaFlag says whether in.tftpd's arguments (args[0] the program) hold
// the flag long or its letter short (tftpd(8): --create -c, --secure -s,
// --permissive -p; --create is set by some Raspberry Pi how-tos). Short
// flags may be clustered (-sc), among those that take no value.
func hpaFlag(args []string, long string, short rune) bool {
	for _, a := range args[1:] {
		switch {
		case a == long:
			return true
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsRune(a, short) && strings.Trim(a[1:], "cpsvLlV") == "":
			return true
		}
	}
	return false
}

// dnsmasqTFTPRoot is the tftp-root a dnsmasq process serves (dnsmasq(8)):
// --tftp-root on its command line, else its configuration as setup-dhcp
// reads it (dhcpconf.InspectDnsmasq: --conf-file/-C, default
// /etc/dnsmasq.conf with /etc/dnsmasq.d; Pi-hole's own for pihole-FTL);
// "" when none is found.
func dnsmasqTFTPRoot(p Proc) string {
	if r := argAfter(p.Args, "--tftp-root"); r != "" {
		r, _, _ = strings.Cut(r, ",") // tftp-root=DIR[,INTERFACE]
		return r
	}
	conf := argAfter(p.Args, "--conf-file", "-C")
	switch {
	case p.Comm == "pihole-FTL":
		conf = dhcpconf.PiholeDnsmasqConf
	case conf == "":
		conf = "/etc/dnsmasq.conf"
	}
	site, err := inspectDnsmasq(conf)
	if err != nil {
		return ""
	}
	return site.TFTPRoot
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
	{"/usr/sbin/atftpd", "atftpd", "atftpd", "the last word of OPTIONS in /etc/default/atftpd"},
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

// daemonRoot finds the directory in a TFTP daemon's command line: atftpd
// takes it as its last argument, in.tftpd after -s/--secure or last.
func daemonRoot(p Proc) string {
	if len(p.Args) < 2 {
		return ""
	}
	last := p.Args[len(p.Args)-1]
	if strings.HasPrefix(last, "/") {
		return last
	}
	return ""
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
			fs = append(fs, problem(p, "chmod o+r "+p, "not readable by the TFTP daemon: tftpd-hpa serves only files every user may read (mode %04o; without -p: \"File must have global read permissions\")", fi.Mode().Perm()))
		}
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
// load is in root under the name phones ask for.
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
