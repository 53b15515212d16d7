// Command setup-cisco writes the TFTP files Cisco 7940G/7960G phones need
// to boot as SIP phones on FreePBX, from the FreePBX database.
package main

import (
	"context"
	"fmt"
	"io"
	"log/syslog"
	"math"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/exitcode"
	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/version"
)

// Exit codes: the table both tools share (see package exitcode).
const (
	exitOK      = exitcode.OK             // everything written
	exitBadRows = exitcode.Incomplete     // some rows bad, or a failure after a write
	exitFatal   = exitcode.NothingChanged // nothing could be done; nothing changed
)

func main() {
	tuneGC()
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// tuneGC sets how the collector runs. setup-cisco runs every minute on the
// PBX, beside Asterisk and MariaDB, and its peak RSS should stay under 50 MB
// (issue 14), about 11 MB of which are the program's own pages. The phones
// go from stage to stage through temporary files (packages spill,
// inventory, provision), so the live heap stays small: about 10 MB at
// 10,000 phones, 26-28 MB at 100,000. The heap may triple before a
// collection (GOGC=200: at 10,000 phones a small heap doubling was 8%
// slower, and GOGC=50 had the collector take an eighth of a full run's
// CPU), under a soft limit of 36 MiB, which is what holds the heap at
// 100,000 phones (peak RSS 45-48 MB under the limit, 55-61 MB with the heap
// growing by half over it, for 5-9% more CPU in a full run). A live heap
// the limit cannot hold with room to spare (over 30 MiB: a template that
// reads the whole phone list keeps every phone) would keep the collector
// running without end (100,000 phones took three times as long under a
// limit they did not fit in): then the limit goes and the heap grows by
// half between collections (GOGC=50). GOGC or GOMEMLIMIT in the
// environment still win.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	const limit, big = 36 << 20, 30 << 20
	debug.SetGCPercent(200)
	debug.SetMemoryLimit(limit)
	afterEachGC(func() bool {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(live)
		if live[0].Value.Kind() != metrics.KindUint64 || live[0].Value.Uint64() <= big {
			return true
		}
		debug.SetGCPercent(50)
		debug.SetMemoryLimit(math.MaxInt64)
		return false
	})
}

// afterEachGC calls f after each collection (when the live heap has just
// been measured) until f returns false: a finalizer on an object nothing
// refers to, set again each time. Nothing runs while nothing is collected
// (an idle `setup-cisco watch`), unlike a poller.
func afterEachGC(f func() bool) {
	// 32 bytes: the tiny allocator, whose objects' finalizers may never
	// run, only takes objects under 16 bytes.
	runtime.SetFinalizer(new([32]byte), func(*[32]byte) {
		if f() {
			afterEachGC(f)
		}
	})
}

// globals are the flags every command takes, before or after its name.
type globals struct {
	db        dbconf.Options
	config    string
	tftpRoot  string
	verbose   bool
	syslog    bool           // --syslog, until the first message connects
	sys       *syslog.Writer // the connection, once made
	help      bool
	version   bool
	stdout    io.Writer
	stderr    io.Writer
	flagsSeen func(string) bool
}

func (g *globals) register(fs *pflag.FlagSet) {
	fs.StringVar(&g.db.DSN, "db-dsn", "", "database `DSN` (go-sql-driver form, e.g. 'user:pw@unix(/run/mysqld/mysqld.sock)/asterisk', or FreePBX 2.x's 'mysql://user:pw@host[:port]/asterisk'); overrides the files below")
	fs.StringVar(&g.db.FreePBXConf, "freepbx-conf", "", "FreePBX's PHP config `FILE` with $amp_conf['AMPDBUSER'] etc. (default: $ISSABELPBX_CONF, $FREEPBX_CONF, /etc/issabelpbx.conf, /etc/asterisk/issabelpbx.conf, /etc/freepbx.conf, /etc/asterisk/freepbx.conf)")
	fs.StringVar(&g.db.Amportal, "amportal", "", "trixbox-era KEY=VALUE `FILE` with AMPDBUSER etc. (default /etc/amportal.conf, read when no freepbx.conf exists)")
	fs.StringVarP(&g.config, "config", "c", siteconf.DefaultPath, "site settings `FILE` (KEY = VALUE; see README)")
	fs.StringVarP(&g.tftpRoot, "tftp-root", "r", "", "TFTP root `DIR` (default from the config file, else /tftpboot)")
	fs.BoolVarP(&g.verbose, "verbose", "v", false, "say what was done: each file changed, the ports and the proxy chosen, and the warnings")
	fs.BoolVar(&g.syslog, "syslog", false, "also send errors and warnings to syslog (tag setup-cisco), e.g. from cron")
	fs.BoolVarP(&g.help, "help", "h", false, "show this help")
	fs.BoolVar(&g.version, "version", false, "print the version and exit")
}

func (g *globals) provisionOptions() provision.Options {
	return provision.Options{
		DB:          g.db,
		ConfigPath:  g.config,
		ConfigNamed: g.flagsSeen("config"),
		TFTPRoot:    g.tftpRoot,
	}
}

func (g *globals) errorf(format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	fmt.Fprintf(g.stderr, "setup-cisco: %s\n", msg)
	if g.syslog && g.sys == nil {
		// Connect on the first message, so a quiet run stays quiet even
		// where no syslog daemon listens.
		g.syslog = false
		w, err := syslog.New(syslog.LOG_ERR|syslog.LOG_DAEMON, "setup-cisco")
		if err != nil {
			fmt.Fprintf(g.stderr, "setup-cisco: --syslog: %v\n", err)
			return
		}
		g.sys = w
	}
	if g.sys != nil {
		g.sys.Err(msg)
	}
}

// donef says what a command changed, in one line, also without -v.
func (g *globals) donef(format string, a ...any) {
	fmt.Fprintf(g.stdout, format+"\n", a...)
}

func (g *globals) infof(format string, a ...any) {
	if g.verbose {
		fmt.Fprintf(g.stdout, format+"\n", a...)
	}
}

// command is a subcommand: its own flags plus the globals.
type command struct {
	name  string
	usage string // synopsis line(s)
	about string
	flags func(*pflag.FlagSet)
	run   func(ctx context.Context, g *globals, args []string) int
	sub   []*command
}

func commands() []*command {
	return []*command{phoneCommand(), firmwareCommand(), upgradePathCommand(), doctorCommand(), watchCommand(), hookCommand(), importSettingsCommand(), manPageCommand()}
}

// Main runs setup-cisco with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g := &globals{stdout: stdout, stderr: stderr}

	// First pass: global flags up to the command name.
	top := pflag.NewFlagSet("setup-cisco", pflag.ContinueOnError)
	top.SetOutput(io.Discard)
	top.SetInterspersed(false)
	g.register(top)
	var w writeFlags
	w.register(top)
	if err := top.Parse(args); err != nil {
		g.errorf("%v (see --help)", err)
		return exitFatal
	}
	rest := top.Args()
	if len(rest) == 0 || g.help || g.version {
		g.flagsSeen = func(n string) bool { return top.Changed(n) }
		switch {
		case g.version:
			fmt.Fprintln(stdout, "setup-cisco", version.String())
			return exitOK
		case g.help:
			usage(stdout, top)
			return exitOK
		}
		return runWrite(ctx, g, &w)
	}

	cmd, path, rest, err := find(commands(), rest)
	if err != nil {
		g.errorf("%v (see --help)", err)
		return exitFatal
	}
	// Global flags given before the command name keep their values (the
	// second flag set's registration resets the shared variables).
	before := map[string]string{}
	top.Visit(func(f *pflag.Flag) { before[f.Name] = f.Value.String() })
	fs := pflag.NewFlagSet("setup-cisco "+path, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	for name, v := range before {
		if fs.Lookup(name) == nil {
			g.errorf("%s: option --%s does not apply to this command", path, name)
			return exitFatal
		}
		fs.Set(name, v)
	}
	if err := fs.Parse(rest); err != nil {
		g.errorf("%s: %v (see setup-cisco %s --help)", path, err, path)
		return exitFatal
	}
	g.flagsSeen = func(n string) bool { return fs.Changed(n) || top.Changed(n) }
	if g.help {
		commandUsage(stdout, path, cmd, fs)
		return exitOK
	}
	if g.version {
		fmt.Fprintln(stdout, "setup-cisco", version.String())
		return exitOK
	}
	return cmd.run(ctx, g, fs.Args())
}

// find walks "phone add" style names.
func find(cmds []*command, args []string) (*command, string, []string, error) {
	var path []string
	for {
		var hit *command
		for _, c := range cmds {
			if c.name == args[0] {
				hit = c
			}
		}
		if hit == nil {
			if len(path) == 0 {
				return nil, "", nil, fmt.Errorf("unknown command %q", args[0])
			}
			return nil, "", nil, fmt.Errorf("unknown command %q %q", strings.Join(path, " "), args[0])
		}
		path = append(path, hit.name)
		args = args[1:]
		if hit.sub == nil {
			return hit, strings.Join(path, " "), args, nil
		}
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
				return hit, strings.Join(path, " "), args, nil
			}
			return nil, "", nil, fmt.Errorf("%s: which one? %s", strings.Join(path, " "), names(hit.sub))
		}
		cmds = hit.sub
	}
}

func names(cmds []*command) string {
	var n []string
	for _, c := range cmds {
		n = append(n, c.name)
	}
	return strings.Join(n, ", ")
}

const lockWaitDefault = 10 * time.Second
