// Command setup-dhcp writes a DHCP server configuration that gives Cisco
// 7940/7960 SIP phones their TFTP server (DHCP option 150, and option 66),
// either generated for one subnet or merged into a hand-written dhcpd.conf.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cliflags"
	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/hostnet"
	"github.com/setup-cisco/setup-cisco/internal/manpage"
	"github.com/setup-cisco/setup-cisco/internal/version"
)

const (
	exitOK       = 0
	exitRejected = 1 // the server's own parser refused the result
	exitBad      = 2 // bad input, or nothing could be done
)

// The help text's parts; the manual page (setup-dhcp --man-page, run by
// scripts/install) is built from the same ones.
const usageSynopsis = "setup-dhcp [OPTION]..."

const usageAbout = `Write a DHCP server configuration that gives Cisco 7940/7960 SIP phones
their TFTP server: DHCP option 150 (and option 66). A phone that gets an
address but no TFTP server shows "Protocol Application Invalid".

Modes:
  generate (default)  write a whole configuration for one subnet; options
                      not given are detected from this host (address,
                      interface, default route, /etc/resolv.conf)
        setup-dhcp --tftp-server 192.168.0.130 --subnet 192.168.0.0/24 \
          --router 192.168.0.1 --range 192.168.0.150-192.168.0.175 \
          --dns 192.168.0.1
  merge               add option 150 to an existing hand-written dhcpd.conf
                      in a marked block; every other line stays as it is,
                      and running it again changes nothing
        setup-dhcp --merge --tftp-server 192.168.0.130
  reservations        add a host entry per phone from the FreePBX database
                      (with generate or merge)
        setup-dhcp --merge --reservations
  other servers       --format kea or dnsmasq (generate only)
        setup-dhcp --format kea --out /etc/kea/kea-dhcp4.conf
  preview             --dry-run (or --diff) prints a unified diff and
                      writes nothing
        setup-dhcp --merge --tftp-server 192.168.0.130 --dry-run

Before a file is replaced, the new one is checked by the server's own parser
(dhcpd -t, kea-dhcp4 -t, dnsmasq --test) where installed; the previous file
is kept as FILE.bak. setup-dhcp never restarts the server: it prints the
command that does. --enable makes the server start at boot.
`

const usageHead = "Usage: " + usageSynopsis + "\n" + usageAbout + "\nOptions:\n"

const usageTail = `
Exit status: 0 done or nothing to change; 1 the server's parser rejected the
result and nothing was changed; 2 bad input, or nothing could be done.
`

// options holds the parsed command line.
type options struct {
	out          string
	merge        bool
	format       string
	tftpServer   string
	subnet       string
	router       string
	rangeFlag    string
	dns          string
	ntp          string
	domain       string
	iface        string
	defaultLease int
	maxLease     int
	reservations bool
	dbDSN        string
	freepbxConf  string
	amportal     string
	dryRun       bool
	diff         bool
	enable       bool
	verbose      bool
	version      bool
	manPage      bool

	set func(name string) bool // whether a flag was given
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
	fs := pflag.NewFlagSet("setup-dhcp", pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors and usage itself
	fs.SortFlags = false
	fs.StringVar(&o.out, "out", "", "configuration `FILE` to write (default /etc/dhcp/dhcpd.conf, or /etc/dhcpd.conf where that is the system's file; kea: /etc/kea/kea-dhcp4.conf; dnsmasq: /etc/dnsmasq.d/setup-dhcp.conf)")
	fs.BoolVar(&o.merge, "merge", false, "add option 150 to the existing --out file instead of generating one (isc only)")
	fs.StringVar(&o.format, "format", "isc", "configuration language `FORMAT`: isc (dhcpd), kea or dnsmasq")
	fs.StringVar(&o.tftpServer, "tftp-server", "", "TFTP server `IP` for option 150 and 66 (default: this host's primary IPv4)")
	fs.StringVar(&o.subnet, "subnet", "", "subnet to serve, as `CIDR` (default: the primary interface's)")
	fs.StringVar(&o.router, "router", "", "default gateway `IP` for the phones (default: this host's, if inside --subnet)")
	fs.StringVar(&o.rangeFlag, "range", "", "dynamic range `FIRST-LAST` inside --subnet (default: proposed in the upper half, away from this host and the router)")
	fs.StringVar(&o.dns, "dns", "", "DNS servers `IP[,IP]` (default: /etc/resolv.conf's, else the router)")
	fs.StringVar(&o.ntp, "ntp", "", "NTP servers `IP[,IP]` (default: none)")
	fs.StringVar(&o.domain, "domain", "", "domain `NAME` for the domain-name option (default: none)")
	fs.StringVar(&o.iface, "interface", "", "interface `NAME` Kea and dnsmasq listen on (default: all)")
	fs.IntVar(&o.defaultLease, "default-lease-time", 3600, "lease time in `SECONDS`")
	fs.IntVar(&o.maxLease, "max-lease-time", 7200, "longest lease time in `SECONDS` (isc, kea)")
	fs.BoolVar(&o.reservations, "reservations", false, "add a host entry (MAC, fixed address if any) per phone from the FreePBX database; without it, entries already in the managed block are kept")
	fs.StringVar(&o.dbDSN, "db-dsn", "", "database `DSN` for --reservations (default: from the FreePBX configuration)")
	fs.StringVar(&o.freepbxConf, "freepbx-conf", "", "FreePBX configuration `FILE` with the database credentials (e.g. /etc/freepbx.conf)")
	fs.StringVar(&o.amportal, "amportal", "", "amportal.conf `FILE` with the database credentials (e.g. /etc/amportal.conf)")
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
	o.set = func(name string) bool { return fs.Changed(name) }
	return o, fs, nil
}

// manPage builds setup-dhcp(8) from the flag set and text --help uses.
func manPage(fs *pflag.FlagSet) *manpage.Page {
	return &manpage.Page{
		Name:        "setup-dhcp",
		Section:     8,
		Source:      "setup-dhcp " + version.String(),
		Summary:     "write a DHCP server configuration for Cisco 7940/7960 SIP phones",
		Synopsis:    []string{usageSynopsis},
		Description: usageAbout,
		Options:     fs,
		ExitStatus:  strings.TrimPrefix(strings.TrimSpace(usageTail), "Exit status: "),
		SeeAlso:     []string{"setup-cisco(8)", "dhcpd(8)", "dhcpd.conf(5)", "kea-dhcp4(8)", "dnsmasq(8)"},
	}
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
	if o.merge && format != dhcpconf.ISC {
		return exitBad, fmt.Errorf("--merge works on ISC dhcpd.conf only; %s is generated whole", format)
	}
	if o.merge {
		for _, f := range []string{"subnet", "router", "range", "dns", "ntp", "domain", "interface", "default-lease-time", "max-lease-time"} {
			if o.set(f) {
				return exitBad, fmt.Errorf("--%s has no effect with --merge, which only adds option 150 and reservations", f)
			}
		}
	}
	if !o.reservations {
		for _, f := range []string{"db-dsn", "freepbx-conf", "amportal"} {
			if o.set(f) {
				return exitBad, fmt.Errorf("--%s is only used with --reservations", f)
			}
		}
	}
	if o.out == "" {
		o.out = format.DefaultPath("/")
	}

	var res []dhcpconf.Reservation
	if o.reservations {
		if res, err = loadReservations(ctx, o, a.stderr); err != nil {
			return exitBad, err
		}
		if res == nil {
			res = []dhcpconf.Reservation{} // non-nil: replace what the block had
		}
	}

	old, err := dhcpconf.ReadExisting(o.out) // never through a planted symlink
	exists := err == nil
	if err != nil && !(errors.Is(err, os.ErrNotExist) && !o.merge) {
		return exitBad, fmt.Errorf("--out: %w", err)
	}

	var content []byte
	var notes []string
	if o.merge {
		if content, notes, err = a.merge(old, res); err != nil {
			return exitBad, err
		}
	} else {
		n, err := a.network(res)
		if err != nil {
			return exitBad, err
		}
		if err := dhcpconf.CheckReservations(res, &n); err != nil {
			return exitBad, fmt.Errorf("--reservations: %w", err)
		}
		switch format {
		case dhcpconf.Kea:
			if content, err = dhcpconf.GenerateKea(n, res); err != nil {
				return exitBad, err
			}
		case dhcpconf.Dnsmasq:
			content = dhcpconf.GenerateDnsmasq(n, res)
		default:
			content = dhcpconf.GenerateISC(n, res, old)
		}
		if exists && !strings.Contains(string(old), "written by setup-dhcp") && string(old) != string(content) {
			notes = append(notes, fmt.Sprintf("%s was not written by setup-dhcp; it is replaced (the old one is kept as %s.bak); --merge keeps hand edits", o.out, o.out))
		}
	}

	changed := string(content) != string(old) || !exists
	if !changed {
		a.verbosef("%s: no change", o.out)
		if o.enable {
			return a.enableService(ctx, format)
		}
		return exitOK, nil
	}
	for _, n := range notes {
		a.infof("%s", n)
	}

	if o.dryRun || o.diff {
		from := o.out
		if !exists {
			from = "/dev/null"
		}
		fmt.Fprint(a.stdout, dhcpconf.UnifiedDiff(from, o.out, old, content))
		if err := a.check(func() error { return dhcpconf.CheckContent(ctx, format, content) }); err != nil {
			return exitCode(err), err
		}
		if o.enable {
			if s, err := dhcpconf.FindService("/", format); err == nil {
				a.infof("would run: %s", strings.Join(s.EnableCommand(), " "))
			}
		}
		return exitOK, nil
	}

	err = dhcpconf.Install(o.out, content, func(candidate string) error {
		return a.check(func() error { return dhcpconf.Check(ctx, format, candidate) })
	})
	if err != nil {
		var rej *dhcpconf.RejectedError
		if errors.As(err, &rej) {
			return exitRejected, fmt.Errorf("%s; %s was not changed", err, o.out)
		}
		return exitBad, err
	}
	if exists {
		fmt.Fprintf(a.stdout, "wrote %s (previous version in %s.bak)\n", o.out, o.out)
	} else {
		fmt.Fprintf(a.stdout, "wrote %s\n", o.out)
	}
	svc, svcErr := dhcpconf.FindService("/", format)
	if svcErr == nil {
		fmt.Fprintf(a.stdout, "to use it, restart the DHCP server: %s\n", svc.RestartCommand())
	} else {
		fmt.Fprintln(a.stdout, "to use it, restart the DHCP server")
	}
	if o.enable {
		return a.enableService(ctx, format)
	}
	return exitOK, nil
}

// check runs a parser check; a missing parser is reported, not fatal.
func (a *app) check(do func() error) error {
	err := do()
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

func (a *app) merge(old []byte, res []dhcpconf.Reservation) ([]byte, []string, error) {
	server, err := a.tftpServer()
	if err != nil {
		return nil, nil, err
	}
	if err := dhcpconf.CheckReservations(res, nil); err != nil {
		return nil, nil, fmt.Errorf("--reservations: %w", err)
	}
	r, err := dhcpconf.Merge(a.o.out, old, dhcpconf.MergeOptions{
		TFTPServer:   server,
		Reservations: res,
		ReadFile:     os.ReadFile,
	})
	if err != nil {
		return nil, nil, err
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(a.stderr, "setup-dhcp: %s\n", w)
	}
	return r.Content, r.Notes, nil
}

// tftpServer is --tftp-server or, failing that, this host's address.
func (a *app) tftpServer() (netip.Addr, error) {
	if a.o.tftpServer != "" {
		addr, err := dhcpconf.ParseIPv4(a.o.tftpServer)
		if err != nil {
			return addr, fmt.Errorf("--tftp-server: %v", err)
		}
		return addr, nil
	}
	addr, err := hostnet.PrimaryIPv4()
	if err != nil {
		return addr, fmt.Errorf("%v; give --tftp-server", err)
	}
	a.infof("detected --tftp-server %s", addr)
	return addr, nil
}

// network turns the flags into a Network, detecting what is missing.
func (a *app) network(res []dhcpconf.Reservation) (dhcpconf.Network, error) {
	o := a.o
	n := dhcpconf.Network{Domain: o.domain, Interface: o.iface, DefaultLease: o.defaultLease, MaxLease: o.maxLease}
	var err error
	if o.tftpServer != "" {
		if n.TFTPServer, err = dhcpconf.ParseIPv4(o.tftpServer); err != nil {
			return n, fmt.Errorf("--tftp-server: %v", err)
		}
	}
	if o.subnet != "" {
		if n.Subnet, err = dhcpconf.ParseSubnet(o.subnet); err != nil {
			return n, fmt.Errorf("--subnet: %v", err)
		}
	}
	if o.router != "" {
		if n.Router, err = dhcpconf.ParseIPv4(o.router); err != nil {
			return n, fmt.Errorf("--router: %v", err)
		}
	}
	if o.rangeFlag != "" {
		if n.RangeFirst, n.RangeLast, err = dhcpconf.ParseRange(o.rangeFlag); err != nil {
			return n, fmt.Errorf("--range: %v", err)
		}
	}
	if o.dns != "" {
		if n.DNS, err = dhcpconf.ParseIPv4List(o.dns); err != nil {
			return n, fmt.Errorf("--dns: %v", err)
		}
	}
	if o.ntp != "" {
		if n.NTP, err = dhcpconf.ParseIPv4List(o.ntp); err != nil {
			return n, fmt.Errorf("--ntp: %v", err)
		}
	}

	var detected []string
	needHost := o.tftpServer == "" || o.subnet == "" || o.router == "" || o.rangeFlag == ""
	var host hostnet.Host
	if needHost {
		if host, err = hostnet.Detect(); err != nil {
			return n, fmt.Errorf("%v; give --tftp-server, --subnet, --router and --range", err)
		}
		gw := "none"
		if host.Gateway.IsValid() {
			gw = host.Gateway.String()
		}
		a.infof("detected %s %s/%d, default gateway %s", host.Interface, host.Addr, host.Prefix.Bits(), gw)
	}
	if o.tftpServer == "" {
		n.TFTPServer = host.Addr
		detected = append(detected, "--tftp-server "+n.TFTPServer.String())
	}
	if o.subnet == "" {
		n.Subnet = host.Prefix
		detected = append(detected, "--subnet "+n.Subnet.String())
	}
	if o.router == "" && host.Gateway.IsValid() && n.Subnet.Contains(host.Gateway) {
		n.Router = host.Gateway
		detected = append(detected, "--router "+n.Router.String())
	}
	if o.dns == "" {
		n.DNS = hostnet.SystemNameservers()
		if len(n.DNS) == 0 && n.Router.IsValid() {
			n.DNS = []netip.Addr{n.Router}
		}
		if len(n.DNS) > 0 {
			detected = append(detected, "--dns "+joinAddrs(n.DNS))
		}
	}
	if o.rangeFlag == "" {
		exclude := []netip.Addr{n.TFTPServer, n.Router, host.Addr}
		for _, r := range res {
			exclude = append(exclude, r.IP)
		}
		if n.RangeFirst, n.RangeLast, err = dhcpconf.ProposeRange(n.Subnet, exclude...); err != nil {
			return n, fmt.Errorf("--range: %v; give one", err)
		}
		detected = append(detected, fmt.Sprintf("--range %s-%s", n.RangeFirst, n.RangeLast))
	}
	if len(detected) > 0 {
		a.infof("using %s", strings.Join(detected, " "))
	}
	if err := n.Validate(); err != nil {
		var fe *dhcpconf.FieldError
		if errors.As(err, &fe) {
			return n, fmt.Errorf("--%s: %v", fe.Field, fe.Err)
		}
		return n, err
	}
	return n, nil
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}
