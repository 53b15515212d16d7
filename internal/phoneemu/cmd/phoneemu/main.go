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
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
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

	var server netip.Addr
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
	res := phoneemu.Boot(c, phoneemu.Phone{MAC: mac, Model: *model, Running: *running},
		func(f phoneemu.Fetch) { say("%s", f) })
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
	return 0
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
