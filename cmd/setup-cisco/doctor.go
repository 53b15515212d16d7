package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/doctor"
	"github.com/setup-cisco/setup-cisco/internal/hook"
	"github.com/setup-cisco/setup-cisco/internal/provision"
)

type doctorFlags struct {
	dhcpdConf  string
	tftpLog    string
	tftpServer string
}

func doctorCommand() *command {
	var f doctorFlags
	return &command{
		name:  "doctor",
		usage: "doctor [--dhcpd-conf FILE] [--tftp-server ADDRESS] [--tftp-log FILE]",
		about: "check the live server as a phone meets it (TFTP daemon, file permissions, SIPDefault.cnf, every phone's file, firmware, DHCP option 150, dhcpd, the FreePBX hook's last run); exit 0 healthy, 1 problems, 2 some checks could not run",
		flags: func(fs *pflag.FlagSet) {
			fs.StringVar(&f.dhcpdConf, "dhcpd-conf", "", "DHCP server configuration `FILE`: dhcpd.conf, kea-dhcp4.conf or a dnsmasq file (default /etc/dhcp/dhcpd.conf, else /etc/dhcpd.conf)")
			fs.StringVar(&f.tftpServer, "tftp-server", "", "`ADDRESS` option 150 must name; a list A,B accepts any of them (default: this host's addresses)")
			fs.StringVar(&f.tftpLog, "tftp-log", "", "TFTP daemon's log `FILE`: also report files phones asked for that are still missing")
		},
		run: withFlags(&f, runDoctor),
	}
}

func runDoctor(ctx context.Context, g *globals, f *doctorFlags, args []string) int {
	if !takesNoArgs(g, "doctor", args) {
		return doctor.ExitUnchecked
	}
	site, err := provision.Settings(g.provisionOptions())
	if err != nil {
		g.errorf("%v", err)
		return doctor.ExitUnchecked
	}
	root := site.TFTPRoot
	var found []doctor.Finding
	add := func(fs ...doctor.Finding) { found = append(found, fs...) }

	procs, err := doctor.Processes("/proc")
	if err != nil {
		add(doctor.Finding{Severity: doctor.Unchecked, Subject: "/proc", Msg: err.Error()})
	}
	self, _ := os.Readlink("/proc/self/ns/net")
	daemon, fs := doctor.CheckTFTPDaemon(procs, root, self)
	add(fs...)
	add(doctor.CheckAccess(root, doctor.ServerIdentity(daemon))...)
	add(doctor.CheckWritable(root)...)
	image, fs := doctor.CheckSIPDefault(root)
	add(fs...)
	add(doctor.CheckClock(site, g.config)...)

	inv, err := provision.Inventory(ctx, g.db)
	if err != nil {
		add(doctor.Finding{Severity: doctor.Unchecked, Subject: "database", Msg: err.Error() + "; phone and pinned-load checks skipped",
			Fix: "give --db-dsn or --freepbx-conf"})
	} else {
		add(doctor.CheckPhones(root, inv)...)
		for _, w := range inv.Warnings {
			// phonecheck.Shared: one of the phones does not ring.
			add(doctor.Finding{Severity: doctor.Problem, Subject: "phones", Msg: w})
		}
	}
	add(doctor.CheckImages(root, image, inv)...)

	conf := f.dhcpdConf
	if conf == "" {
		conf = dhcpconf.ISC.DefaultPath("/")
	}
	want, err := tftpAddrs(f.tftpServer)
	if err != nil {
		g.errorf("doctor: %v", err)
		return doctor.ExitUnchecked
	}
	add(doctor.CheckDHCPConfig(conf, want)...)
	var macs []string
	for _, p := range inv.Phones {
		macs = append(macs, string(p.MAC))
	}
	add(doctor.CheckDHCPPhoneHosts(conf, macs)...)
	if opts, err := doctor.ReadDHCPConfig(conf); err == nil && opts.Format == "isc" {
		var rej *dhcpconf.RejectedError
		if err := dhcpconf.Check(ctx, dhcpconf.ISC, conf); errors.As(err, &rej) {
			add(doctor.Finding{Severity: doctor.Problem, Subject: conf, Msg: "dhcpd refuses it: " + rej.Output, Fix: "correct it (dhcpd -t -cf " + conf + ")"})
		}
	}
	add(doctor.CheckDHCPServer(procs, conf)...)
	if f.tftpLog != "" {
		add(doctor.CheckTFTPLog(f.tftpLog, root, inv)...)
	}
	add(doctor.CheckHook(hook.DefaultPaths("/"), time.Now())...)

	counts := map[doctor.Severity]int{}
	fixArgs := g.fixArgs()
	for _, x := range found {
		x.Fix = withArgs(x.Fix, fixArgs)
		fmt.Fprintln(g.stdout, x)
		counts[x.Severity]++
	}
	code := doctor.ExitCode(found)
	switch code {
	case doctor.ExitHealthy:
		fmt.Fprintf(g.stdout, "doctor: healthy (TFTP root %s, %d phone(s), DHCP %s)\n", root, len(inv.Phones), conf)
	default:
		fmt.Fprintf(g.stdout, "doctor: %d problem(s), %d check(s) not done\n", counts[doctor.Problem], counts[doctor.Unchecked])
	}
	return code
}

// tftpAddrs is --tftp-server, else this host's IPv4 addresses.
func tftpAddrs(flag string) ([]netip.Addr, error) {
	if flag != "" {
		as, err := dhcpconf.ParseIPv4List(flag)
		if err != nil {
			return nil, fmt.Errorf("--tftp-server %q: not an IPv4 address (or a list IP,IP)", flag)
		}
		return as, nil
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("listing this host's addresses: %w", err)
	}
	var s []string
	for _, a := range addrs {
		s = append(s, a.String())
	}
	return doctor.LocalAddrs(s), nil
}

// fixArgs are the options doctor was given that a setup-cisco fix needs to
// act on the same files and database; a DSN with a password is shown as
// the placeholder DSN, never printed.
func (g *globals) fixArgs() string {
	var a []string
	add := func(flag, name, v string) {
		if g.flagsSeen(name) {
			a = append(a, flag, shellQuote(v))
		}
	}
	add("-c", "config", g.config)
	add("-r", "tftp-root", g.tftpRoot)
	add("--freepbx-conf", "freepbx-conf", g.db.FreePBXConf)
	add("--amportal", "amportal", g.db.Amportal)
	if g.flagsSeen("db-dsn") {
		if cfg, err := mysql.ParseDSN(g.db.DSN); err == nil && cfg.Passwd == "" {
			a = append(a, "--db-dsn", shellQuote(g.db.DSN))
		} else {
			a = append(a, "--db-dsn", "DSN")
		}
	}
	return strings.Join(a, " ")
}

// withArgs puts args after the "setup-cisco" of each command in fix
// (commands are separated by "; ").
func withArgs(fix, args string) string {
	if args == "" {
		return fix
	}
	parts := strings.Split(fix, "; ")
	for i, p := range parts {
		if p == doctor.FixWrite || strings.HasPrefix(p, doctor.FixWrite+" ") {
			parts[i] = doctor.FixWrite + " " + args + strings.TrimPrefix(p, doctor.FixWrite)
		}
	}
	return strings.Join(parts, "; ")
}

// shellQuote quotes s for sh when it holds anything but safe characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:@,+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
