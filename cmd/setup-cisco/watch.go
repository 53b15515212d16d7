package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/tftpwatch"
)

// defaultTFTPLog is where Debian's atftpd logs with --logfile.
const defaultTFTPLog = "/var/log/atftpd.log"

// unknownAfter is how many lines watch reads before it says that it
// recognises none of them.
const unknownAfter = 20

func logName(path string) string {
	if path == "" {
		return "the journal"
	}
	return path
}

type watchFlags struct {
	log       string
	fromStart bool
	once      bool
}

func watchCommand() *command {
	var f watchFlags
	return &command{
		name:  "watch",
		usage: "watch [--log FILE] [--from-start] [--once]",
		about: "follow the TFTP daemon's log and show, per phone (MAC, extension), what it fetched and where it stopped",
		flags: func(fs *pflag.FlagSet) {
			fs.StringVar(&f.log, "log", "", "TFTP daemon's log `FILE`: atftpd, tftpd-hpa, CentOS/RHEL tftp-server or dnsmasq (default "+defaultTFTPLog+"; when it does not exist, the journal of atftpd, tftpd-hpa, tftp, xinetd and dnsmasq)")
			fs.BoolVar(&f.fromStart, "from-start", false, "read the log from its beginning, not only new lines")
			fs.BoolVar(&f.once, "once", false, "stop at the end of the log and print where each phone stopped")
		},
		run: withFlags(&f, runWatch),
	}
}

func runWatch(ctx context.Context, g *globals, f *watchFlags, args []string) int {
	if !takesNoArgs(g, "watch", args) {
		return exitFatal
	}
	t := &tftpwatch.Tracker{}
	if site, err := provision.Settings(g.provisionOptions()); err == nil {
		t.Root = site.TFTPRoot
	}
	if inv, err := provision.Inventory(ctx, g.db); err != nil {
		g.errorf("watch: no inventory (%v); showing MACs only", err)
	} else {
		names := map[macaddr.MAC]string{}
		for _, p := range inv.Phones {
			d := p.Model
			if len(p.Lines) > 0 {
				d = "ext " + p.Lines[0].Ext + ", " + p.Model
			}
			names[p.MAC] = d
		}
		problems := map[macaddr.MAC]string{}
		for _, pr := range inv.Problems {
			if m, err := macaddr.Parse(pr.MAC); err == nil && problems[m] == "" {
				problems[m] = pr.Msg
				if names[m] == "" {
					names[m] = "in the inventory, not written"
				}
			}
		}
		t.Describe = func(m macaddr.MAC) string { return names[m] }
		t.Problem = func(m macaddr.MAC) string { return problems[m] }
	}
	p := tftpwatch.NewParser()
	p.Root = t.Root
	warned := false
	handle := func(line string) {
		var events []tftpwatch.Event
		if e, ok := p.Line(line); ok {
			events = append(events, e)
		}
		t.DaemonRoot, t.DaemonRootLine = p.DaemonRoot, p.DaemonRootLine
		for _, e := range append(events, p.Pending()...) {
			if msg := t.Handle(e); msg != "" {
				fmt.Fprintln(g.stdout, msg)
			}
		}
		// Following a log in a format we do not read would print nothing
		// for ever: say so once.
		if !warned && p.Known == 0 && p.Lines >= unknownAfter {
			warned = true
			g.errorf("watch: none of the first %d lines is in a format watch reads: %s", p.Lines, tftpwatch.Formats)
		}
	}

	path := f.log
	if path == "" {
		if _, err := os.Stat(defaultTFTPLog); err == nil {
			path = defaultTFTPLog
		}
	}
	var err error
	if path != "" {
		err = tftpwatch.Follow(ctx, path, f.fromStart, f.once, handle)
	} else {
		err = journal(ctx, f, handle)
	}
	if err != nil {
		g.errorf("watch: %v", err)
		return exitFatal
	}
	if p.Lines > 0 && p.Known == 0 {
		if !warned {
			g.errorf("watch: no line of %s is in a format watch reads: %s", logName(path), tftpwatch.Formats)
		}
		return exitFatal
	}
	t.OutcomesLogged = p.Outcomes > 0
	if s := t.Summary(); len(s) > 0 {
		fmt.Fprintln(g.stdout, "where each phone stopped:")
		for _, l := range s {
			fmt.Fprintln(g.stdout, "  "+l)
		}
	}
	return exitOK
}

// journal reads the TFTP daemons' journal when they log to syslog.
func journal(ctx context.Context, f *watchFlags, fn func(string)) error {
	// The units of the TFTP daemons watch reads: atftpd, tftpd-hpa,
	// RHEL's tftp (socket-activated or under xinetd), dnsmasq.
	args := []string{"-u", "atftpd", "-u", "tftpd-hpa", "-u", "tftp", "-u", "xinetd", "-u", "dnsmasq", "-o", "short", "--no-pager"}
	if !f.once {
		args = append(args, "-f")
	}
	if !f.fromStart {
		args = append(args, "-n", "0")
	}
	cmd := exec.CommandContext(ctx, "journalctl", args...)
	// -o short names the month in the caller's locale ("déc. 20" under
	// fr_FR, journalctl(1)): the C locale gives the syslog form the log
	// parsers read, whatever the admin's shell or cron sets.
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("no log file given and journalctl cannot run (%v); use --log FILE", err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		fn(sc.Text())
	}
	if err := cmd.Wait(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("journalctl: %w", err)
	}
	return nil
}
