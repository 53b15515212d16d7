package doctor

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/tftpargs"
)

// isLauncher says whether p is a process that holds UDP 69 for a TFTP
// server it starts on demand: systemd (a .socket unit; Debian 12's atftpd
// is socket activated, README.Debian), systemd-socket-activate, xinetd
// (RHEL/CentOS tftp-server, trixbox) or inetd (openbsd-inetd, busybox).
// While no request is being served, only the launcher is seen on the port.
func isLauncher(p Proc) bool {
	return p.Comm == "systemd" || strings.HasPrefix(p.Comm, "systemd-socket") ||
		p.Comm == "xinetd" || p.Comm == "inetd"
}

// launchedServer is the TFTP server launcher l starts on a request on UDP
// 69, read from l's configuration under sys ("/" on a live host): its
// program, arguments and user, as a Proc with From set and l's PID,
// network namespace and port. An error says why it could not be found.
func launchedServer(sys string, l Proc) (Proc, error) {
	var (
		prog string
		args []string
		uid  = -1
		from string
		err  error
	)
	switch {
	case strings.HasPrefix(l.Comm, "systemd-socket"):
		prog, args, from, err = socketActivateServer(l.Args)
		uid = l.UID
	case l.Comm == "systemd":
		prog, args, uid, from, err = systemdServer(sys)
	case l.Comm == "xinetd":
		conf := argAfter(l.Args, "-f")
		if conf == "" {
			conf = "/etc/xinetd.conf"
		}
		prog, args, uid, from, err = xinetdServer(sys, conf)
	case l.Comm == "inetd":
		conf := "/etc/inetd.conf"
		if c := tftpargs.Parse(l.Args, nil, false); len(c.Operands) > 0 {
			conf = c.Operands[len(c.Operands)-1]
		}
		prog, args, uid, from, err = inetdServer(sys, conf)
	default:
		err = errors.New("not a launcher doctor reads")
	}
	if err != nil {
		return Proc{}, err
	}
	exe := prog
	if real, err := filepath.EvalSymlinks(filepath.Join(sys, prog)); err == nil {
		if rel, err := filepath.Rel(sys, real); err == nil && filepath.IsLocal(rel) {
			exe = "/" + rel
		}
	}
	gid := -1
	if uid >= 0 {
		gid = 0
		if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
			gid, _ = strconv.Atoi(u.Gid)
		}
	}
	if len(args) == 0 {
		args = []string{prog}
	}
	return Proc{PID: l.PID, Comm: filepath.Base(prog), Exe: exe, Args: args, UID: uid, GID: gid,
		NetNS: l.NetNS, Start: l.Start, UDPPort: l.UDPPort, From: l.Comm + ": " + from}, nil
}

// userID is the uid of a user named in a launcher's configuration.
func userID(name, where string) (int, error) {
	if name == "" || name == "root" {
		return 0, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return -1, fmt.Errorf("%s: user %s: %w", where, name, err)
	}
	return strconv.Atoi(u.Uid)
}

// socketActivateServer reads systemd-socket-activate's own command line
// (systemd-socket-activate(1); getopt "+hl:aE:d": options end at the
// program).
func socketActivateServer(args []string) (prog string, argv []string, from string, err error) {
	c := tftpargs.Parse(args, []tftpargs.Opt{{Long: "help", Short: 'h'}, {Long: "version"},
		{Long: "datagram", Short: 'd'}, {Long: "seqpacket"}, {Long: "listen", Short: 'l', Arg: tftpargs.RequiredArg},
		{Long: "accept", Short: 'a'}, {Long: "setenv", Short: 'E', Arg: tftpargs.RequiredArg},
		{Long: "fdname", Arg: tftpargs.RequiredArg}, {Long: "inetd"}}, true)
	if len(c.Operands) == 0 {
		return "", nil, "", errors.New("its command line names no program")
	}
	return c.Operands[0], c.Operands, "its command line", nil
}

// unitDirs are where systemd looks for unit files, in order of precedence
// (systemd.unit(5), system manager).
var unitDirs = []string{"/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"}

// unit is a systemd unit file with its drop-ins: each key's values in the
// order systemd reads them, and the files read.
type unit struct {
	keys  map[string][]string
	files []string
}

// readUnit reads the unit name under sys: the first file of that name in
// unitDirs (a link to /dev/null masks it), then NAME.d/*.conf of every
// directory in file name order (systemd.unit(5) "drop-in").
func readUnit(sys, name string) (unit, error) {
	u := unit{keys: map[string][]string{}}
	var main string
	dropins := map[string]string{}
	for _, d := range unitDirs {
		p := filepath.Join(d, name)
		if main == "" {
			if t, err := os.Readlink(filepath.Join(sys, p)); err == nil && t == "/dev/null" {
				return u, fmt.Errorf("%s is masked", name)
			}
			if _, err := os.Stat(filepath.Join(sys, p)); err == nil {
				main = p
			}
		}
		ds, _ := filepath.Glob(filepath.Join(sys, d, name+".d", "*.conf"))
		for _, f := range ds {
			if _, ok := dropins[filepath.Base(f)]; !ok {
				dropins[filepath.Base(f)] = filepath.Join(d, name+".d", filepath.Base(f))
			}
		}
	}
	if main == "" {
		return u, fmt.Errorf("unit %s not found in %s", name, strings.Join(unitDirs, ", "))
	}
	files := []string{main}
	var names []string
	for n := range dropins {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		files = append(files, dropins[n])
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(sys, f))
		if err != nil {
			return u, err
		}
		u.files = append(u.files, f)
		text := strings.ReplaceAll(string(b), "\\\n", " ") // continuation lines
		for _, l := range strings.Split(text, "\n") {
			l = strings.TrimSpace(l)
			if l == "" || l[0] == '#' || l[0] == ';' || l[0] == '[' {
				continue
			}
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				continue
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if v == "" {
				delete(u.keys, k) // an empty assignment resets a list (ExecStart=)
				continue
			}
			u.keys[k] = append(u.keys[k], v)
		}
	}
	return u, nil
}

func (u unit) last(k string) string {
	v := u.keys[k]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// unitBool reads a systemd boolean (systemd.syntax(7): 1, yes, true, on).
func unitBool(v string) bool {
	switch strings.ToLower(v) {
	case "1", "yes", "y", "true", "t", "on":
		return true
	}
	return false
}

// listensOn69 says whether a ListenDatagram= value is UDP port 69
// ("69", "0.0.0.0:69", "[::]:69"; systemd.socket(5)).
func listensOn69(v string) bool {
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	return v == "69"
}

// systemdServer finds the .socket unit listening on UDP 69 (an enabled one
// first) and reads the service it starts (Service=, else the socket's
// name, NAME@.service with Accept=yes): ExecStart with $VAR and ${VAR}
// taken from Environment= and EnvironmentFile= (systemd.exec(5),
// systemd.service(5) "Command lines"), and its user (User=;
// DynamicUser=yes: a user made up at start that owns no file, -1).
func systemdServer(sys string) (prog string, args []string, uid int, from string, err error) {
	uid = -1
	seen := map[string]bool{}
	var sockets []string
	for _, d := range unitDirs {
		ms, _ := filepath.Glob(filepath.Join(sys, d, "*.socket"))
		for _, m := range ms {
			if n := filepath.Base(m); !seen[n] {
				seen[n] = true
				sockets = append(sockets, n)
			}
		}
	}
	enabled := func(n string) bool {
		_, err := os.Lstat(filepath.Join(sys, "/etc/systemd/system/sockets.target.wants", n))
		return err == nil
	}
	slices.SortStableFunc(sockets, func(a, b string) int {
		switch {
		case enabled(a) && !enabled(b):
			return -1
		case enabled(b) && !enabled(a):
			return 1
		}
		return 0
	})
	for _, n := range sockets {
		s, err := readUnit(sys, n)
		if err != nil || !slices.ContainsFunc(s.keys["ListenDatagram"], listensOn69) {
			continue
		}
		svc := s.last("Service")
		if svc == "" {
			base := strings.TrimSuffix(n, ".socket")
			svc = base + ".service"
			if unitBool(s.last("Accept")) {
				svc = base + "@.service"
			}
		}
		u, err := readUnit(sys, svc)
		if err != nil {
			return "", nil, -1, "", fmt.Errorf("%s (UDP 69): %w", n, err)
		}
		env := map[string]string{}
		envFiles := []string{}
		for _, f := range u.keys["EnvironmentFile"] {
			optional := strings.HasPrefix(f, "-")
			f = strings.TrimPrefix(f, "-")
			if err := tftpargs.ReadEnvFile(filepath.Join(sys, f), env); err != nil {
				if !optional {
					return "", nil, -1, "", fmt.Errorf("%s: EnvironmentFile %s: %w", svc, f, err)
				}
				continue
			}
			envFiles = append(envFiles, f)
		}
		for _, e := range u.keys["Environment"] {
			for _, w := range tftpargs.SplitQuoted(e) {
				if k, v, ok := strings.Cut(w, "="); ok {
					env[k] = v
				}
			}
		}
		exec := u.last("ExecStart")
		if exec == "" {
			return "", nil, -1, "", fmt.Errorf("%s (started by %s) has no ExecStart", svc, n)
		}
		exec = strings.TrimLeft(exec, "-@+!:")
		for _, w := range tftpargs.SplitQuoted(exec) {
			if name, ok := strings.CutPrefix(w, "$"); ok && !strings.HasPrefix(name, "{") {
				args = append(args, strings.Fields(env[name])...) // $VAR: split into words
				continue
			}
			for k, v := range env {
				w = strings.ReplaceAll(w, "${"+k+"}", v) // ${VAR}: one word
			}
			args = append(args, w)
		}
		if len(args) == 0 {
			return "", nil, -1, "", fmt.Errorf("%s: ExecStart names no program", svc)
		}
		if !unitBool(u.last("DynamicUser")) {
			if uid, err = userID(u.last("User"), svc); err != nil {
				return "", nil, -1, "", err
			}
		}
		from = n + " starts " + strings.Join(append(u.files, envFiles...), ", ")
		return args[0], args, uid, from, nil
	}
	return "", nil, -1, "", errors.New("no .socket unit with ListenDatagram=69 found in " + strings.Join(unitDirs, ", "))
}

// xinetdService is one "service NAME { ... }" block of xinetd.conf(5).
type xinetdService struct {
	name, file string
	line       int
	attrs      map[string]string
}

// xinetdServer finds the enabled UDP service on port 69 (port = 69, or the
// service tftp) in xinetd's configuration, following includedir (every
// file not holding '.' nor ending in '~', alphabetically) and include:
// server, server_args (the arguments after the program, xinetd.conf(5);
// with flags NAMEINARGS the program's name first, as for tcpd) and user.
func xinetdServer(sys, conf string) (prog string, args []string, uid int, from string, err error) {
	var svcs []xinetdService
	var read func(path string, depth int) error
	read = func(path string, depth int) error {
		if depth > 8 {
			return nil
		}
		f, err := os.Open(filepath.Join(sys, path))
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		var cur *xinetdService
		for n := 1; sc.Scan(); n++ {
			l := sc.Text()
			if i := strings.IndexByte(l, '#'); i >= 0 {
				l = l[:i]
			}
			w := strings.Fields(l)
			switch {
			case len(w) == 0:
			case cur != nil && w[0] == "}":
				svcs = append(svcs, *cur)
				cur = nil
			case cur != nil && len(w) >= 2:
				switch w[1] {
				case "=":
					cur.attrs[w[0]] = strings.Join(w[2:], " ")
				case "+=":
					cur.attrs[w[0]] = strings.TrimSpace(cur.attrs[w[0]] + " " + strings.Join(w[2:], " "))
				}
			case w[0] == "service" && len(w) >= 2:
				cur = &xinetdService{name: w[1], file: path, line: n, attrs: map[string]string{}}
			case w[0] == "include" && len(w) >= 2:
				if err := read(w[1], depth+1); err != nil {
					return err
				}
			case w[0] == "includedir" && len(w) >= 2:
				es, _ := os.ReadDir(filepath.Join(sys, w[1]))
				for _, e := range es {
					if e.IsDir() || strings.Contains(e.Name(), ".") || strings.HasSuffix(e.Name(), "~") {
						continue
					}
					if err := read(filepath.Join(w[1], e.Name()), depth+1); err != nil {
						return err
					}
				}
			}
		}
		return sc.Err()
	}
	if err := read(conf, 0); err != nil {
		return "", nil, -1, "", fmt.Errorf("reading xinetd's configuration: %w", err)
	}
	for _, s := range svcs {
		a := s.attrs
		udp := a["protocol"] == "udp" || a["socket_type"] == "dgram"
		port := a["port"] == "69" || a["port"] == "" && s.name == "tftp"
		if !udp || !port || a["disable"] == "yes" {
			continue
		}
		where := fmt.Sprintf("%s:%d", s.file, s.line)
		if a["server"] == "" {
			return "", nil, -1, "", fmt.Errorf("%s: service %s names no server", where, s.name)
		}
		if uid, err = userID(a["user"], where); err != nil {
			return "", nil, -1, "", err
		}
		prog, args = a["server"], append([]string{a["server"]}, strings.Fields(a["server_args"])...)
		if slices.Contains(strings.Fields(a["flags"]), "NAMEINARGS") {
			// server_args starts with the program's name (tcpd's way).
			args = strings.Fields(a["server_args"])
			if filepath.Base(prog) == "tcpd" && len(args) > 0 {
				prog = args[0]
			}
		}
		return prog, args, uid, "service " + s.name + " at " + where, nil
	}
	return "", nil, -1, "", fmt.Errorf("no enabled UDP service on port 69 in %s", conf)
}

// inetdServer finds the tftp (port 69) dgram/udp line of inetd.conf(5):
// "SERVICE dgram udp wait USER[.GROUP] SERVER ARGV0 ARGS..."; a server run
// through tcpd is ARGV0 (tcpd(8)).
func inetdServer(sys, conf string) (prog string, args []string, uid int, from string, err error) {
	b, err := os.ReadFile(filepath.Join(sys, conf))
	if err != nil {
		return "", nil, -1, "", fmt.Errorf("reading inetd's configuration: %w", err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 6 || strings.HasPrefix(f[0], "#") {
			continue
		}
		svc := f[0]
		if j := strings.LastIndexByte(svc, ':'); j >= 0 {
			svc = svc[j+1:]
		}
		if svc != "tftp" && svc != "69" || f[1] != "dgram" || !strings.HasPrefix(f[2], "udp") {
			continue
		}
		where := fmt.Sprintf("%s:%d", conf, i+1)
		name, _, _ := strings.Cut(f[4], ".")
		name, _, _ = strings.Cut(name, ":")
		if uid, err = userID(name, where); err != nil {
			return "", nil, -1, "", err
		}
		prog, args = f[5], f[6:]
		if len(args) == 0 {
			args = []string{prog}
		}
		if filepath.Base(prog) == "tcpd" {
			prog = args[0]
			if !filepath.IsAbs(prog) {
				prog = "/usr/sbin/" + prog
			}
		}
		return prog, args, uid, where, nil
	}
	return "", nil, -1, "", fmt.Errorf("no tftp (UDP 69) line in %s", conf)
}
