package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/manpage"
	"github.com/setup-cisco/setup-cisco/internal/version"
)

// The help text's parts; the manual page (setup-dhcp --man-page, run by
// scripts/install) is built from the same ones.
const usageSynopsis = "setup-dhcp [OPTION]..."

const usageAbout = `Write a DHCP server configuration that gives Cisco 7940/7960 SIP phones
their TFTP server: DHCP option 150 (and option 66). A phone that gets an
address but no TFTP server shows "Protocol Application Invalid".
--tftp-server takes a list, primary first (RFC 5859): 10.0.0.5,10.0.0.6.

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
                      Where the file (or a file it includes) already gives
                      clients option 150 or 66 with another server, in any
                      scope, merge changes nothing, names each file:line
                      and exits 2; --take-over comments those lines out
                      (marked "# setup-dhcp --take-over:") and sets ours.
  reservations        add a host entry per phone from the FreePBX database
                      (with generate or merge); a fixed address inside the
                      file's dynamic range is warned about (merge) or
                      refused (generate, where setup-dhcp picks the range)
        setup-dhcp --merge --reservations
  other servers       --format kea: generated whole, or with --merge added
                      to a hand-written kea-dhcp4.conf (an option-def and a
                      Dhcp4 option-data entry marked "// setup-dhcp";
                      comments and layout kept; a competing entry is named,
                      exit 2, no --take-over); --format dnsmasq: a drop-in
                      for /etc/dnsmasq.d that adds options 150 and 66, and
                      a range only where dnsmasq has none; DNS stays on.
                      --dhcp-only writes a whole DHCP-only dnsmasq file
                      (port=0: dnsmasq's DNS off)
        setup-dhcp --format kea --out /etc/kea/kea-dhcp4.conf
        setup-dhcp --format dnsmasq --tftp-server 192.168.0.130
  preview             --dry-run (or --diff) prints a unified diff and
                      writes nothing
        setup-dhcp --merge --tftp-server 192.168.0.130 --dry-run

Before a file is replaced, the new one is checked by the server's own parser
(dhcpd -t, kea-dhcp4 -t, dnsmasq --test) where installed; the previous file
is kept as FILE.bak (a dnsmasq drop-in's as .FILE.bak, which dnsmasq skips). setup-dhcp never restarts the server: it prints the
command that does. --enable makes the server start at boot.
`

const usageHead = "Usage: " + usageSynopsis + "\n" + usageAbout + "\nOptions:\n"

const usageTail = `
Exit status: 0 done or nothing to change; 1 the server's parser rejected the
result and nothing was changed, or a step failed after a file was written
(the message names it); 2 bad input, or nothing could be done, and nothing
was changed (also when hand-written settings would override option 150 and
--take-over was not given).
`

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
