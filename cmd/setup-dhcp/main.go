// Command setup-dhcp writes a DHCP server configuration that gives Cisco
// 7940/7960 SIP phones their TFTP server (DHCP option 150, and option 66),
// either generated for one subnet or merged into a hand-written dhcpd.conf.
// The work is internal/dhcpsetup's read -> model -> plan -> install; this
// file is flags, messages and exit codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cliflags"
	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/dhcpsetup"
	"github.com/setup-cisco/setup-cisco/internal/exitcode"
	"github.com/setup-cisco/setup-cisco/internal/version"
)

// Exit statuses, from the table both tools share.
const (
	exitOK       = exitcode.OK
	exitRejected = exitcode.Incomplete     // the server's parser refused the result, or a step failed after a write
	exitBad      = exitcode.NothingChanged // bad input, or nothing could be done; nothing changed
)

// options holds the parsed command line.
type options struct {
	req          dhcpsetup.Request
	format       string
	reservations bool
	db           dbconf.Options
	dryRun       bool
	diff         bool
	enable       bool
	verbose      bool
	version      bool
	manPage      bool
}

func main() { os.Exit(Main()) }

// Main runs setup-dhcp with the process's arguments.
func Main() int { return run(os.Args[1:], os.Stdout, os.Stderr) }

func run(args []string, stdout, stderr io.Writer) int {
	o, fs, err := parseFlags(args, stderr)
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprint(stdout, usageHead+cliflags.Usages(fs)+usageTail)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "setup-dhcp: %v\nTry 'setup-dhcp --help' for more information.\n", err)
		return exitBad
	}
	if o.version {
		fmt.Fprintln(stdout, "setup-dhcp", version.String())
		return exitOK
	}
	if o.manPage {
		if err := manPage(fs).Render(stdout); err != nil {
			fmt.Fprintf(stderr, "setup-dhcp: %v\n", err)
			return exitBad
		}
		return exitOK
	}
	a := &app{o: o, stdout: stdout, stderr: stderr, info: stderr}
	if o.verbose {
		a.info = stdout
	}
	code, err := a.run(context.Background())
	if err != nil {
		fmt.Fprintf(stderr, "setup-dhcp: %v\n", err)
	}
	return code
}

func parseFlags(args []string, stderr io.Writer) (*options, *pflag.FlagSet, error) {
	o := &options{}
	r := &o.req
	fs := pflag.NewFlagSet("setup-dhcp", pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors and usage itself
	fs.SortFlags = false
	fs.StringVar(&r.Out, "out", "", "configuration `FILE` to write (default /etc/dhcp/dhcpd.conf, or the DHCPDv4_CONF of /etc/default/isc-dhcp-server, or /etc/dhcpd.conf where that is the system's file; kea: /etc/kea/kea-dhcp4.conf; dnsmasq: /etc/dnsmasq.d/setup-dhcp.conf)")
	fs.BoolVar(&r.Merge, "merge", false, "add option 150 to the existing --out file instead of generating one (isc and kea)")
	fs.BoolVar(&r.TakeOver, "take-over", false, "with --merge: comment out (marked, FILE.bak kept) every hand-written option 150 or 66 statement, in any scope or included file, that would give clients another TFTP server; without it such a file is left as it is and the run exits 2")
	fs.StringVar(&o.format, "format", "isc", "configuration language `FORMAT`: isc (dhcpd), kea or dnsmasq")
	fs.StringVar(&r.TFTPServer, "tftp-server", "", "TFTP server `IP` for option 150 and 66 (default: this host's primary IPv4); a list IP,IP,... gives option 150 a primary and backups, in order, and option 66 the first")
	fs.StringVar(&r.Subnet, "subnet", "", "subnet to serve, as `CIDR` (default: the primary interface's)")
	fs.StringVar(&r.Router, "router", "", "default gateway `IP` for the phones (default: this host's, if inside --subnet)")
	fs.StringVar(&r.Range, "range", "", "dynamic range `FIRST-LAST` inside --subnet (default: proposed in the upper half, away from this host and the router; dnsmasq drop-in: none where dnsmasq has a dhcp-range)")
	fs.StringVar(&r.DNS, "dns", "", "DNS servers `IP[,IP]` (default: /etc/resolv.conf's, else the router; dnsmasq drop-in: none, dnsmasq answers DNS itself)")
	fs.StringVar(&r.NTP, "ntp", "", "NTP servers `IP[,IP]` (default: none)")
	fs.StringVar(&r.Domain, "domain", "", "domain `NAME` for the domain-name option (default: none)")
	fs.StringVar(&r.Interface, "interface", "", "interface `NAME` Kea and dnsmasq listen on (default: all)")
	fs.IntVar(&r.DefaultLease, "default-lease-time", 3600, "lease time in `SECONDS`")
	fs.IntVar(&r.MaxLease, "max-lease-time", 7200, "longest lease time in `SECONDS` (isc, kea)")
	fs.StringVar(&r.DnsmasqConf, "dnsmasq-conf", "", "dnsmasq's main configuration `FILE`, read to see whether it already has a dhcp-range (default "+dhcpsetup.DefaultDnsmasqConf+")")
	fs.BoolVar(&r.DHCPOnly, "dhcp-only", false, "dnsmasq: write a whole DHCP-only configuration with port=0, which switches dnsmasq's DNS off for every client")
	fs.BoolVar(&o.reservations, "reservations", false, "add a host entry (MAC, fixed address if any) per phone from the FreePBX database; without it, entries already in the managed block are kept")
	fs.StringVar(&o.db.DSN, "db-dsn", "", "database `DSN` for --reservations (default: from the FreePBX configuration)")
	fs.StringVar(&o.db.FreePBXConf, "freepbx-conf", "", "FreePBX configuration `FILE` with the database credentials (e.g. /etc/freepbx.conf)")
	fs.StringVar(&o.db.Amportal, "amportal", "", "amportal.conf `FILE` with the database credentials (e.g. /etc/amportal.conf)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the change as a unified diff and write nothing")
	fs.BoolVar(&o.diff, "diff", false, "same as --dry-run")
	fs.BoolVar(&o.enable, "enable", false, "make the DHCP server start at boot (systemctl enable, update-rc.d or chkconfig)")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "say more, on standard output")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolP("help", "h", false, "print this help and exit")
	fs.BoolVar(&o.manPage, "man-page", false, "print the manual page (roff) and exit")
	fs.MarkHidden("man-page")
	if err := fs.Parse(args); err != nil {
		return nil, fs, err
	}
	if help, _ := fs.GetBool("help"); help {
		return nil, fs, pflag.ErrHelp
	}
	if fs.NArg() > 0 {
		return nil, fs, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	r.Given = fs.Changed
	return o, fs, nil
}

type app struct {
	o              *options
	stdout, stderr io.Writer
	info           io.Writer // stderr, or stdout with -v
}

func (a *app) verbosef(format string, args ...any) {
	if a.o.verbose {
		fmt.Fprintf(a.stdout, format+"\n", args...)
	}
}

func (a *app) infof(format string, args ...any) {
	fmt.Fprintf(a.info, "setup-dhcp: "+format+"\n", args...)
}

func (a *app) run(ctx context.Context) (int, error) {
	o := a.o
	format, err := dhcpconf.ParseFormat(o.format)
	if err != nil {
		return exitBad, fmt.Errorf("--format: %v", err)
	}
	o.req.Format = format
	if err := o.req.Validate(); err != nil {
		return exitBad, err
	}
	if !o.reservations {
		for _, f := range []string{"db-dsn", "freepbx-conf", "amportal"} {
			if o.req.Given(f) {
				return exitBad, fmt.Errorf("--%s is only used with --reservations", f)
			}
		}
	} else if o.req.Reservations, err = dhcpsetup.LoadReservations(ctx, o.db, a.stderr); err != nil {
		return exitBad, err
	}

	plan, err := dhcpsetup.Build(o.req)
	if err != nil {
		return exitBad, err
	}
	for _, l := range plan.Info {
		a.infof("%s", l)
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(a.stderr, "setup-dhcp: %s\n", w)
	}
	if len(plan.Conflicts) > 0 && format == dhcpconf.Dnsmasq {
		return exitBad, fmt.Errorf("%s not written: %d dnsmasq line(s) above would compete with its option 150/66", plan.Path, len(plan.Conflicts))
	}
	if len(plan.Conflicts) > 0 && format == dhcpconf.Kea {
		what := "an option-data entry"
		if len(plan.Conflicts) > 1 {
			what = fmt.Sprintf("%d option-data entries", len(plan.Conflicts))
		}
		return exitBad, fmt.Errorf("%s not changed: %s above would give phones another TFTP server; change or remove it by hand (setup-dhcp edits no Kea entry of yours), then rerun", plan.Path, what)
	}
	if len(plan.Conflicts) > 0 && !o.req.TakeOver {
		return exitBad, fmt.Errorf("%s not changed: %d hand-written statement(s) above would give phones another TFTP server; rerun with --take-over to comment them out and set option 150 (each changed file is kept as FILE.bak)",
			plan.Path, len(plan.Conflicts))
	}
	if !plan.Changed() {
		if err := a.check(plan.CheckUnchanged(ctx)); err != nil {
			what := "dhcpd will not start on this file"
			if format == dhcpconf.Dnsmasq {
				what = "dnsmasq will not start on the configuration it joins"
			}
			return exitRejected, fmt.Errorf("%v\n%s: nothing to change for option 150, but %s: correct it (setup-dhcp changed nothing)", err, plan.Path, what)
		}
		a.verbosef("%s: no change", plan.Path)
		if o.enable {
			return a.enableService(ctx, format)
		}
		return exitOK, nil
	}
	for _, n := range plan.Notes {
		a.infof("%s", n)
	}

	if o.dryRun || o.diff {
		fmt.Fprint(a.stdout, plan.Diffs())
		if err := a.check(plan.Check(ctx)); err != nil {
			return exitCode(err), err
		}
		if o.enable {
			if s, err := dhcpconf.FindService("/", format); err == nil {
				a.infof("would run: %s", strings.Join(s.EnableCommand(), " "))
			}
		}
		return exitOK, nil
	}

	err = plan.Install(ctx, func(err error) { a.check(err) })
	if err != nil {
		var rej *dhcpconf.RejectedError
		var part *dhcpsetup.PartialError
		switch {
		case errors.As(err, &rej):
			return exitRejected, fmt.Errorf("%s; %s was not changed", err, plan.Path)
		case errors.As(err, &part):
			return exitRejected, err
		}
		return exitBad, err
	}
	for _, f := range plan.Included {
		fmt.Fprintf(a.stdout, "wrote %s (previous version in %s)\n", f.Path, dhcpsetup.IncludedBackup(f.Path))
	}
	if plan.KeepBackup {
		fmt.Fprintf(a.stdout, "wrote %s (%s still holds the file setup-dhcp replaced first; its own previous output was not kept)\n", plan.Path, plan.Backup())
	} else if plan.Exists {
		fmt.Fprintf(a.stdout, "wrote %s (previous version in %s)\n", plan.Path, plan.Backup())
	} else {
		fmt.Fprintf(a.stdout, "wrote %s\n", plan.Path)
	}
	if svc, err := dhcpconf.FindService("/", format); err == nil {
		fmt.Fprintf(a.stdout, "to use it, restart the DHCP server: %s\n", svc.RestartCommand())
	} else {
		fmt.Fprintln(a.stdout, "to use it, restart the DHCP server")
	}
	if o.enable {
		if code, err := a.enableService(ctx, format); err != nil {
			return exitRejected, fmt.Errorf("%v (%s was written)", err, plan.Path)
		} else if code != exitOK {
			return code, nil
		}
	}
	return exitOK, nil
}

// check reports a missing parser and lets the run go on; other errors stay.
func (a *app) check(err error) error {
	if errors.Is(err, dhcpconf.ErrNoTool) {
		fmt.Fprintf(a.stderr, "setup-dhcp: %v: the new configuration was not checked\n", err)
		return nil
	}
	return err
}

func exitCode(err error) int {
	var rej *dhcpconf.RejectedError
	if errors.As(err, &rej) {
		return exitRejected
	}
	return exitBad
}

func (a *app) enableService(ctx context.Context, format dhcpconf.Format) (int, error) {
	s, err := dhcpconf.FindService("/", format)
	if err != nil {
		return exitBad, fmt.Errorf("--enable: %w", err)
	}
	a.infof("running: %s", strings.Join(s.EnableCommand(), " "))
	if err := s.Enable(ctx, a.stderr); err != nil {
		return exitBad, fmt.Errorf("--enable: %w", err)
	}
	return exitOK, nil
}
