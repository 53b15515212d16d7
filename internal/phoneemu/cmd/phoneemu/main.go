// Command phoneemu boots an emulated Cisco 7940/7960 on a network
// interface: DHCP lease, TFTP files, config evaluation. It needs root (raw
// DHCP socket, address assignment with ip(8)) and is meant for a dedicated
// network namespace, as scripts/e2e uses it. It is not installed with
// setup-cisco.
//
//	phoneemu --iface veth-phone --mac 001B54796001 --model 7960 [--running P0S3-08-11-00]
//
// Output: one line per step, then "line N: name=... authname=... password=...
// proxy=... port=..." per registering line and "result: ok" or
// "result: FAIL: <reason>". Exit status 0 booted, 1 the phone would fail,
// 2 the emulator could not run.
//
// With --listen DURATION a phone that booted then listens for SIP on its
// leased address (--sip-addr with --tftp), UDP port --sip-port (the phones'
// sip_control_port, 5060), for DURATION or until SIGINT/SIGTERM. It answers
// every NOTIFY 200 OK and acts on "Event: check-sync" as the phone does:
// fetch syncinfo.xml, compare its SYNC with the sync value it runs, and
// reboot (fetch its files again) only when they differ. Lines:
//
//	phone MAC: listening for SIP on ADDR:PORT for DURATION
//	phone MAC: NOTIFY from ADDR:PORT, Event: check-sync: answers 200
//	phone MAC: NOTIFY from ADDR:PORT, Event: EVENT: answers 200, ignored
//	phone MAC: check-sync: <each TFTP request>
//	phone MAC: check-sync: syncinfo.xml SYNC S, running sync R (from FILE): reboot|no reboot
//	phone MAC: reboot: <each TFTP request>
//	phone MAC: rebooted: runs sync S (from FILE), result ok|FAIL: <reason>
//	phone MAC: listened DURATION: N NOTIFY (C check-sync), B reboot(s); runs sync S (from FILE)
//
// Exit status then: 0, or 1 when a reboot failed.
//
// With --flash FILE the phone keeps flash as a real one does: it starts
// from the configuration in FILE (a .cnf file; missing: a phone fresh from
// a factory reset), keys no file sets keep their value from there, and
// FILE holds what the phone keeps after each boot and reboot. A line key
// that lives on only in flash is reported as "note: kept from flash, set
// by no file: KEYS".
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phoneemu"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("phoneemu", flag.ContinueOnError)
	fs.SetOutput(stderr)
	iface := fs.String("iface", "", "network `interface` the phone is plugged into (required)")
	macFlag := fs.String("mac", "", "the phone's `MAC` (default: the interface's)")
	model := fs.String("model", "7960", "`model`: 7940 (2 lines) or 7960 (6 lines)")
	running := fs.String("running", "", "`load` in the phone's flash (default: another load on the universal loader, so every file of the configured load is fetched)")
	tftpFlag := fs.String("tftp", "", "skip DHCP and use this TFTP server `address` (no raw socket needed)")
	timeout := fs.Duration("dhcp-timeout", 3*time.Second, "wait this long for each DHCP answer")
	listen := fs.Duration("listen", 0, "after booting, listen for SIP NOTIFY (check-sync) this `long` (0: do not listen)")
	sipAddr := fs.String("sip-addr", "", "`address` to listen on with --listen (default: the leased one; required with --tftp)")
	sipPort := fs.Int("sip-port", 5060, "UDP `port` to listen on with --listen: the phones' sip_control_port")
	idle := fs.Duration("check-sync-idle", 0, "wait this `long` before acting on check-sync (a real phone: until idle for 20s)")
	flashFile := fs.String("flash", "", "keep the phone's flash in this `file` across boots (default: none, a factory-reset phone)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *iface == "" && *tftpFlag == "" {
		fmt.Fprintln(stderr, "phoneemu: --iface is required")
		return 2
	}
	mac, err := phoneMAC(*macFlag, *iface)
	if err != nil {
		fmt.Fprintln(stderr, "phoneemu:", err)
		return 2
	}
	say := func(format string, a ...any) {
		fmt.Fprintf(stdout, "phone %s: "+format+"\n", append([]any{mac}, a...)...)
	}

	var server, local netip.Addr
	if *sipAddr != "" {
		if local, err = netip.ParseAddr(*sipAddr); err != nil {
			fmt.Fprintln(stderr, "phoneemu: --sip-addr:", err)
			return 2
		}
	}
	if *sipPort < 1 || *sipPort > 65535 {
		fmt.Fprintln(stderr, "phoneemu: --sip-port: not a port:", *sipPort)
		return 2
	}
	if *listen > 0 && *tftpFlag != "" && !local.IsValid() {
		fmt.Fprintln(stderr, "phoneemu: --listen with --tftp needs --sip-addr")
		return 2
	}
	if *tftpFlag != "" {
		if server, err = netip.ParseAddr(*tftpFlag); err != nil {
			fmt.Fprintln(stderr, "phoneemu: --tftp:", err)
			return 2
		}
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), 4**timeout)
		defer cancel()
		lease, err := phoneemu.GetLease(ctx, *iface, mac, *model, *timeout)
		if err != nil {
			fmt.Fprintf(stdout, "result: FAIL: %v (the phone shows \"Configuring IP\" forever)\n", err)
			return 1
		}
		say("DHCP lease %s from %s", lease.Addr, lease.Server)
		if lease.TFTPErr != nil {
			fmt.Fprintf(stdout, "result: FAIL: %v\n", lease.TFTPErr)
			return 1
		}
		server = lease.TFTP
		if !local.IsValid() {
			local = lease.Addr.Addr()
		}
		say("TFTP server %s (%s)", server, lease.From)
		// The address must be on the interface for TFTP's UDP replies.
		if err := ip("addr", "replace", lease.Addr.String(), "dev", *iface); err != nil {
			fmt.Fprintln(stderr, "phoneemu:", err)
			return 2
		}
		defer ip("addr", "del", lease.Addr.String(), "dev", *iface)
	}

	c, err := phoneemu.NewClient(netip.AddrPortFrom(server, 69))
	if err != nil {
		fmt.Fprintln(stderr, "phoneemu:", err)
		return 2
	}
	phone := phoneemu.Phone{MAC: mac, Model: *model, Running: *running}
	if *flashFile != "" {
		data, err := os.ReadFile(*flashFile)
		if err != nil && !os.IsNotExist(err) {
			fmt.Fprintln(stderr, "phoneemu: --flash:", err)
			return 2
		}
		phone.Flash = phoneemu.ParseCnf(data)
	}
	res := phoneemu.Boot(c, phone, func(f phoneemu.Fetch) { say("%s", f) })
	if err := saveFlash(*flashFile, res.Flash); err != nil {
		fmt.Fprintln(stderr, "phoneemu:", err)
		return 2
	}
	for _, n := range res.Notes {
		say("note: %s", n)
	}
	if res.Image != "" {
		verb := "keeps running"
		if res.Upgrade {
			verb = "loads"
		}
		say("%s %s (image_version from %s)", verb, res.Image, res.ImageFrom)
	}
	for _, l := range res.Lines {
		fmt.Fprintln(stdout, l)
	}
	if !res.OK() {
		fmt.Fprintf(stdout, "result: FAIL: %s\n", res.Failure)
		return 1
	}
	fmt.Fprintln(stdout, "result: ok")
	if *listen <= 0 {
		return 0
	}
	return listenSIP(phoneemu.NewBooted(c, phone, res), netip.AddrPortFrom(local, uint16(*sipPort)), *listen, *idle, *flashFile, stdout, stderr)
}

// saveFlash writes what the phone keeps to file (none: not kept), through
// a temporary file so a reader never sees half of it.
func saveFlash(file string, flash phoneemu.Cnf) error {
	if file == "" || flash == nil {
		return nil
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, flash.Format(), 0o600); err != nil {
		return fmt.Errorf("--flash: %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return fmt.Errorf("--flash: %w", err)
	}
	return nil
}

// listenSIP answers NOTIFYs as the booted phone b on addr for d, or until
// SIGINT/SIGTERM, printing one line per event and a summary.
func listenSIP(b *phoneemu.Booted, addr netip.AddrPort, d, idle time.Duration, flashFile string, stdout, stderr io.Writer) int {
	var mu sync.Mutex
	say := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stdout, "phone %s: "+format+"\n", append([]any{b.Phone.MAC}, a...)...)
	}
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(addr))
	if err != nil {
		fmt.Fprintln(stderr, "phoneemu: SIP:", err)
		return 2
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, d)
	defer cancelT()

	var notifies, checks, reboots, failed atomic.Int32
	phase := "check-sync"
	l := &phoneemu.Listener{
		Phone: b,
		Idle:  idle,
		OnNotify: func(n phoneemu.Notify) {
			notifies.Add(1)
			if n.CheckSync {
				checks.Add(1)
			}
			say("%s", n)
		},
		// Progress, OnCheckSync and OnReboot run in turn on one goroutine.
		Progress: func(f phoneemu.Fetch) { say("%s: %s", phase, f) },
		OnCheckSync: func(cs phoneemu.CheckSync) {
			say("check-sync: %s", cs)
			if cs.Reboot {
				phase = "reboot"
			}
		},
		OnReboot: func(res phoneemu.Result) {
			phase = "check-sync"
			reboots.Add(1)
			if err := saveFlash(flashFile, res.Flash); err != nil {
				say("%v", err)
				failed.Add(1)
			}
			if !res.OK() {
				failed.Add(1)
				say("rebooted: result FAIL: %s", res.Failure)
				return
			}
			say("rebooted: runs sync %s (from %s), result ok", res.Sync, res.SyncFrom)
		},
	}
	say("listening for SIP on %s for %s", addr, d)
	start := time.Now()
	rc := 0
	if err := l.Serve(ctx, conn); err != nil {
		fmt.Fprintln(stderr, "phoneemu:", err)
		rc = 2
	}
	say("listened %s: %d NOTIFY (%d check-sync), %d reboot(s); runs sync %s (from %s)",
		time.Since(start).Round(time.Second), notifies.Load(), checks.Load(), reboots.Load(), b.Sync, b.SyncFrom)
	if rc == 0 && failed.Load() > 0 {
		rc = 1
	}
	return rc
}

func phoneMAC(flagValue, iface string) (macaddr.MAC, error) {
	if flagValue != "" {
		return macaddr.Parse(flagValue)
	}
	if iface == "" {
		return "", fmt.Errorf("--mac is required with --tftp")
	}
	b, err := os.ReadFile("/sys/class/net/" + iface + "/address")
	if err != nil {
		return "", fmt.Errorf("reading %s's MAC: %w", iface, err)
	}
	return macaddr.Parse(string(b))
}

func ip(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %v: %v: %s", args, err, out)
	}
	return nil
}
