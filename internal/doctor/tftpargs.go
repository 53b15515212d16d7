package doctor

import (
	"path/filepath"
	"strings"
)

// optDef is one option of a daemon's command line as its getopt_long
// table gives it: the long name, the short letter (0: none) and whether it
// takes a value (argNone, argRequired, argOptional).
type optDef struct {
	long  string
	short byte
	arg   int
}

const (
	argNone = iota
	argRequired
	argOptional // only as --name=VALUE or -xVALUE (getopt's "x::")
)

// cmdline is a command line parsed as glibc's getopt_long parses it:
// options anywhere (getopt permutes), unless stop ("+" in the short
// string: the first operand ends the options), "--" ends them, long names
// may be abbreviated to a unique prefix, short letters may be clustered.
type cmdline struct {
	opts     map[string][]string // long name -> values ("" for a flag), in order
	operands []string
	unknown  []string // options the daemon does not know (it refuses to start)
}

func (c cmdline) has(long string) bool { return len(c.opts[long]) > 0 }

// last is the last value given for long ("" when none): the last one
// counts for every option here.
func (c cmdline) last(long string) string {
	v := c.opts[long]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// parseArgs parses args (args[0] the program) against defs.
func parseArgs(args []string, defs []optDef, stop bool) cmdline {
	c := cmdline{opts: map[string][]string{}}
	if len(args) == 0 {
		return c
	}
	byShort := func(b byte) (optDef, bool) {
		for _, d := range defs {
			if d.short == b && b != 0 {
				return d, true
			}
		}
		return optDef{}, false
	}
	byLong := func(name string) (optDef, bool) {
		var match []optDef
		for _, d := range defs {
			if d.long == name {
				return d, true
			}
			if strings.HasPrefix(d.long, name) {
				match = append(match, d)
			}
		}
		if len(match) == 1 {
			return match[0], true // getopt_long takes a unique abbreviation
		}
		return optDef{}, false
	}
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			c.operands = append(c.operands, rest[i+1:]...)
			return c
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			d, ok := byLong(name)
			if !ok {
				c.unknown = append(c.unknown, a)
				continue
			}
			switch {
			case d.arg == argRequired && !hasVal && i+1 < len(rest):
				i++
				val = rest[i]
			case d.arg == argNone:
				val = ""
			}
			c.opts[d.long] = append(c.opts[d.long], val)
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				d, ok := byShort(a[j])
				if !ok {
					c.unknown = append(c.unknown, "-"+string(a[j]))
					continue
				}
				val := ""
				if d.arg != argNone {
					val = a[j+1:]
					if val == "" && d.arg == argRequired && i+1 < len(rest) {
						i++
						val = rest[i]
					}
					c.opts[d.long] = append(c.opts[d.long], val)
					break
				}
				c.opts[d.long] = append(c.opts[d.long], val)
			}
		default:
			if stop {
				c.operands = append(c.operands, rest[i:]...)
				return c
			}
			c.operands = append(c.operands, a)
		}
	}
	return c
}

// atftpdOpts is atftpd 0.8.0's getopt_long table (tftpd.c; short string
// "t:r:m:v::Vh", as its binary holds it; `atftpd --help` lists the long
// names).
var atftpdOpts = []optDef{
	{"tftpd-timeout", 't', argRequired}, {"retry-timeout", 'r', argRequired},
	{"maxthread", 'm', argRequired}, {"verbose", 'v', argOptional},
	{"trace", 0, argNone}, {"no-timeout", 0, argNone}, {"no-tsize", 0, argNone},
	{"no-blksize", 0, argNone}, {"no-windowsize", 0, argNone}, {"no-multicast", 0, argNone},
	{"logfile", 0, argRequired}, {"pidfile", 0, argRequired}, {"listen-local", 0, argNone},
	{"daemon", 0, argNone}, {"no-fork", 0, argNone}, {"prevent-sas", 0, argNone},
	{"user", 0, argRequired}, {"group", 0, argRequired}, {"port", 0, argRequired},
	{"bind-address", 0, argRequired}, {"mcast-ttl", 0, argRequired},
	{"mcast-addr", 0, argRequired}, {"mcast-port", 0, argRequired},
	{"pcre", 0, argRequired}, {"pcre-test", 0, argRequired}, {"mtftp", 0, argRequired},
	{"mtftp-port", 0, argRequired}, {"no-source-port-checking", 0, argNone},
	{"mcast-switch-client", 0, argNone}, {"version", 'V', argNone}, {"help", 'h', argNone},
}

// atftpdDefaultRoot is where Debian's atftpd 0.8.0 serves from when its
// command line names no directory (it logs "directory: /srv/tftp/";
// upstream's --help still says /tftpboot).
const atftpdDefaultRoot = "/srv/tftp"

// hpaOpts is tftpd-hpa 5.2's getopt_long table (tftpd.c; short string
// "46cspvVlLa:B:u:U:r:t:T:R:m:P:", tftpd(8)).
var hpaOpts = []optDef{
	{"ipv4", '4', argNone}, {"ipv6", '6', argNone}, {"create", 'c', argNone},
	{"secure", 's', argNone}, {"permissive", 'p', argNone}, {"verbose", 'v', argNone},
	{"verbosity", 0, argRequired}, {"version", 'V', argNone}, {"listen", 'l', argNone},
	{"foreground", 'L', argNone}, {"address", 'a', argRequired}, {"blocksize", 'B', argRequired},
	{"user", 'u', argRequired}, {"umask", 'U', argRequired}, {"refuse", 'r', argRequired},
	{"timeout", 't', argRequired}, {"retransmit", 'T', argRequired},
	{"port-range", 'R', argRequired}, {"map-file", 'm', argRequired}, {"pidfile", 'P', argRequired},
}

// Kinds of TFTP server doctor reads the command line of.
const (
	kindAtftpd  = "atftpd"
	kindHPA     = "tftpd-hpa"
	kindDnsmasq = "dnsmasq"
)

// tftpKind says which TFTP server p is. The program's real name counts:
// Debian's atftpd package installs /usr/sbin/in.tftpd as a link to atftpd
// (and its systemd unit starts in.tftpd), while tftpd-hpa's binary is
// in.tftpd itself; a process seen without its executable is taken by its
// command name.
func tftpKind(p Proc) string {
	if p.Comm == "dnsmasq" || p.Comm == "pihole-FTL" {
		return kindDnsmasq
	}
	name := p.Comm
	if p.Exe != "" {
		name = filepath.Base(strings.TrimSuffix(p.Exe, " (deleted)"))
	}
	switch name {
	case "atftpd":
		return kindAtftpd
	case "in.tftpd", "tftpd":
		return kindHPA
	}
	return ""
}

// daemonArgs parses a TFTP daemon's command line with its own table.
func daemonArgs(p Proc) cmdline {
	switch tftpKind(p) {
	case kindAtftpd:
		return parseArgs(p.Args, atftpdOpts, false)
	case kindHPA:
		return parseArgs(p.Args, hpaOpts, false)
	}
	return cmdline{opts: map[string][]string{}}
}

// daemonRoot is the directory a TFTP daemon serves, from its command line
// parsed as the daemon parses it: atftpd's first operand (default
// /srv/tftp), tftpd-hpa's first directory (the chroot with --secure);
// "" when unknown.
func daemonRoot(p Proc) string {
	c := daemonArgs(p)
	switch tftpKind(p) {
	case kindAtftpd:
		if len(c.operands) == 0 {
			return atftpdDefaultRoot
		}
		return c.operands[0]
	case kindHPA:
		if len(c.operands) > 0 {
			return c.operands[0]
		}
	}
	return ""
}

// hpaFlag says whether in.tftpd's command line sets the option long
// (tftpd(8): create, secure, permissive), long or short, clustered or not,
// anywhere on the line.
func hpaFlag(args []string, long string) bool {
	return parseArgs(args, hpaOpts, false).has(long)
}
