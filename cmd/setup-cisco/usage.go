package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cliflags"
)

const about = `Usage: setup-cisco [OPTION]... [COMMAND [ARG]...]

Write the files Cisco 7940G/7960G phones fetch by TFTP to boot as SIP phones
(SIPDefault.cnf, SIP<MAC>.cnf, OS79XX.TXT, dialplan.xml, RINGLIST.DAT) from
the FreePBX database, atomically and only where something changed.
With no COMMAND, write the files.

Commands (each takes the global options too, before or after its name):
`

const exitCodes = `
Exit status:
  0  all files written (or nothing needed writing)
  1  some phones have bad rows (named on stderr); the others were written and
     the bad ones' files left as they were
  2  nothing could be done (database, config file, TFTP root, lock); nothing
     was changed

Files: /etc/setup-cisco/setup-cisco.conf (settings), /etc/setup-cisco/templates
(template overrides), <tftp-root>/.setup-cisco-files (what setup-cisco wrote).
Full manual: README.md.
`

func usage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprint(w, about)
	for _, c := range commands() {
		listCommands(w, c)
	}
	fmt.Fprint(w, "\nOptions:\n", cliflags.Usages(fs))
	fmt.Fprint(w, exitCodes)
}

func listCommands(w io.Writer, c *command) {
	if c.sub == nil {
		fmt.Fprintf(w, "  %s\n      %s\n", c.usage, c.about)
		return
	}
	for _, s := range c.sub {
		listCommands(w, s)
	}
}

func commandUsage(w io.Writer, path string, c *command, fs *pflag.FlagSet) {
	if c.sub != nil {
		fmt.Fprintf(w, "Usage: setup-cisco %s\n\n%s.\n\nCommands:\n", c.usage, capitalize(c.about))
		for _, s := range c.sub {
			listCommands(w, s)
		}
		return
	}
	fmt.Fprintf(w, "Usage: setup-cisco [OPTION]... %s\n\n%s.\n\nOptions:\n%s", c.usage, capitalize(c.about), cliflags.Usages(fs))
	fmt.Fprint(w, exitCodes)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
