// Package tftpargs reads a TFTP daemon's command line the way the daemon
// itself reads it: glibc getopt_long against the daemon's own option table
// (atftpd 0.8.0, tftpd-hpa 5.2), then the daemon's rule for the directory
// it serves; and the KEY=VALUE files (/etc/default/atftpd,
// /etc/default/tftpd-hpa; systemd.exec(5) EnvironmentFile=) its Debian
// service and init script take those words from.
package tftpargs

import "strings"

// ArgKind is whether an option takes a value (getopt_long's has_arg).
type ArgKind int

const (
	NoArg       ArgKind = iota // a flag ("x" in the short string)
	RequiredArg                // "x:": attached (-xV, --name=V) or the next word
	OptionalArg                // "x::": only attached, as -xVALUE or --name=VALUE
)

// Opt is one option of a program's getopt_long table: the long name, the
// short letter (0: none) and whether it takes a value.
type Opt struct {
	Long  string
	Short byte
	Arg   ArgKind
}

// Cmdline is a parsed command line: each option's values by long name,
// the operands in order, and the options the table does not hold (the
// daemon refuses to start with one).
type Cmdline struct {
	opts     map[string][]string // long name -> values ("" for a flag), in order
	Operands []string
	Unknown  []string
}

// Has says whether the option long is given (long or short, clustered or
// not, anywhere on the line).
func (c Cmdline) Has(long string) bool { return len(c.opts[long]) > 0 }

// Last is the last value given for long ("" when none): the daemons here
// keep the last one of a repeated option.
func (c Cmdline) Last(long string) string {
	v := c.opts[long]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// Parse parses args (args[0] the program, not parsed) as glibc's
// getopt_long does with the table opts: options anywhere (getopt permutes
// them before the operands) unless stop ("+" leading the short string:
// the first operand ends the options); "--" ends them; a long name may be
// abbreviated to a unique prefix; short letters may be clustered (-vcs);
// a lone "-" is an operand. A missing required value is taken as "".
func Parse(args []string, opts []Opt, stop bool) Cmdline {
	c := Cmdline{opts: map[string][]string{}}
	if len(args) == 0 {
		return c
	}
	byShort := func(b byte) (Opt, bool) {
		for _, d := range opts {
			if d.Short == b && b != 0 {
				return d, true
			}
		}
		return Opt{}, false
	}
	byLong := func(name string) (Opt, bool) {
		var match []Opt
		for _, d := range opts {
			if d.Long == name {
				return d, true
			}
			if strings.HasPrefix(d.Long, name) {
				match = append(match, d)
			}
		}
		if len(match) == 1 {
			return match[0], true // getopt_long takes a unique abbreviation
		}
		return Opt{}, false
	}
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			c.Operands = append(c.Operands, rest[i+1:]...)
			return c
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			d, ok := byLong(name)
			if !ok {
				c.Unknown = append(c.Unknown, a)
				continue
			}
			switch {
			case d.Arg == RequiredArg && !hasVal && i+1 < len(rest):
				i++
				val = rest[i]
			case d.Arg == NoArg:
				val = ""
			}
			c.opts[d.Long] = append(c.opts[d.Long], val)
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				d, ok := byShort(a[j])
				if !ok {
					c.Unknown = append(c.Unknown, "-"+string(a[j]))
					continue
				}
				val := ""
				if d.Arg != NoArg {
					// The rest of the word is the value: -v7, -m5.
					val = a[j+1:]
					if val == "" && d.Arg == RequiredArg && i+1 < len(rest) {
						i++
						val = rest[i]
					}
					c.opts[d.Long] = append(c.opts[d.Long], val)
					break
				}
				c.opts[d.Long] = append(c.opts[d.Long], val)
			}
		default:
			if stop {
				c.Operands = append(c.Operands, rest[i:]...)
				return c
			}
			c.Operands = append(c.Operands, a)
		}
	}
	return c
}

// atftpdOpts is atftpd 0.8.0's getopt_long table (tftpd.c; short string
// "t:r:m:v::Vh", as its binary holds it; `atftpd --help` lists the long
// names).
var atftpdOpts = []Opt{
	{"tftpd-timeout", 't', RequiredArg}, {"retry-timeout", 'r', RequiredArg},
	{"maxthread", 'm', RequiredArg}, {"verbose", 'v', OptionalArg},
	{"trace", 0, NoArg}, {"no-timeout", 0, NoArg}, {"no-tsize", 0, NoArg},
	{"no-blksize", 0, NoArg}, {"no-windowsize", 0, NoArg}, {"no-multicast", 0, NoArg},
	{"logfile", 0, RequiredArg}, {"pidfile", 0, RequiredArg}, {"listen-local", 0, NoArg},
	{"daemon", 0, NoArg}, {"no-fork", 0, NoArg}, {"prevent-sas", 0, NoArg},
	{"user", 0, RequiredArg}, {"group", 0, RequiredArg}, {"port", 0, RequiredArg},
	{"bind-address", 0, RequiredArg}, {"mcast-ttl", 0, RequiredArg},
	{"mcast-addr", 0, RequiredArg}, {"mcast-port", 0, RequiredArg},
	{"pcre", 0, RequiredArg}, {"pcre-test", 0, RequiredArg}, {"mtftp", 0, RequiredArg},
	{"mtftp-port", 0, RequiredArg}, {"no-source-port-checking", 0, NoArg},
	{"mcast-switch-client", 0, NoArg}, {"version", 'V', NoArg}, {"help", 'h', NoArg},
}

// hpaOpts is tftpd-hpa 5.2's getopt_long table (tftpd.c; short string
// "46cspvVlLa:B:u:U:r:t:T:R:m:P:", tftpd(8)).
var hpaOpts = []Opt{
	{"ipv4", '4', NoArg}, {"ipv6", '6', NoArg}, {"create", 'c', NoArg},
	{"secure", 's', NoArg}, {"permissive", 'p', NoArg}, {"verbose", 'v', NoArg},
	{"verbosity", 0, RequiredArg}, {"version", 'V', NoArg}, {"listen", 'l', NoArg},
	{"foreground", 'L', NoArg}, {"address", 'a', RequiredArg}, {"blocksize", 'B', RequiredArg},
	{"user", 'u', RequiredArg}, {"umask", 'U', RequiredArg}, {"refuse", 'r', RequiredArg},
	{"timeout", 't', RequiredArg}, {"retransmit", 'T', RequiredArg},
	{"port-range", 'R', RequiredArg}, {"map-file", 'm', RequiredArg}, {"pidfile", 'P', RequiredArg},
}

// Atftpd parses an atftpd command line (args[0] the program: atftpd, or
// Debian's in.tftpd link to it) with atftpd 0.8.0's getopt_long table
// (tftpd.c, short string "t:r:m:v::Vh"; -v takes its level only attached,
// -v7 or --verbose=7).
func Atftpd(args []string) Cmdline { return Parse(args, atftpdOpts, false) }

// HPA parses a tftpd-hpa in.tftpd command line (args[0] the program) with
// tftpd-hpa 5.2's getopt_long table (tftpd.c, short string
// "46cspvVlLa:B:u:U:r:t:T:R:m:P:"; tftpd(8)).
func HPA(args []string) Cmdline { return Parse(args, hpaOpts, false) }

// AtftpdDefaultRoot is where Debian's atftpd 0.8.0 serves from when its
// command line names no directory (it logs "directory: /srv/tftp/";
// upstream's --help still says /tftpboot).
const AtftpdDefaultRoot = "/srv/tftp"

// AtftpdRoot is the directory atftpd serves given its parsed command line
// c (Atftpd): the first operand, wherever it stands (`atftpd --help`:
// "Usage: tftpd [options] [directory]"), else AtftpdDefaultRoot. It may be
// relative (to the daemon's working directory).
func AtftpdRoot(c Cmdline) string {
	if len(c.Operands) == 0 {
		return AtftpdDefaultRoot
	}
	return c.Operands[0]
}

// HPARoot is the directory tftpd-hpa serves given its parsed command line
// c (HPA): the first directory operand (tftpd(8): the chroot with
// --secure; without it the first of the directories tried for relative
// names); "" when none is named.
func HPARoot(c Cmdline) string {
	if len(c.Operands) == 0 {
		return ""
	}
	return c.Operands[0]
}
