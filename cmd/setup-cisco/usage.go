package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cliflags"
	"github.com/setup-cisco/setup-cisco/internal/manpage"
	"github.com/setup-cisco/setup-cisco/internal/version"
)

// The help text's parts; the manual page (setup-cisco man-page, run by
// scripts/install) is built from the same ones.
const (
	synopsis    = "setup-cisco [OPTION]... [COMMAND [ARG]...]"
	description = `Write the files Cisco 7940G/7960G phones fetch by TFTP to boot as SIP phones
(SIPDefault.cnf, SIP<MAC>.cnf, SEP<MAC>.cnf.xml, XMLDefault.cnf.xml,
OS79XX.TXT, dialplan.xml, RINGLIST.DAT, syncinfo.xml) from
the FreePBX database, atomically and only where something changed.
With no COMMAND, write the files.
`
	exitStatus = `  0  all files written (or nothing needed writing)
  1  some phones have bad rows (named on stderr); the others were written and
     the bad ones' files left as they were
  2  nothing could be done (database, config file, TFTP root, lock); nothing
     was changed
`
	files = `  /etc/setup-cisco/setup-cisco.conf      site settings
  /etc/setup-cisco/templates             template overrides
  <tftp-root>/.setup-cisco-files         what setup-cisco wrote
  /etc/setup-cisco/post-reload           POST_RELOAD script of hook install
  /etc/setup-cisco/post-reload-previous  the POST_RELOAD command it runs first
  /var/spool/setup-cisco/trigger         a FreePBX reload happened
  /var/lib/setup-cisco/hook-status       outcome of the last hook run
`
)

const exitCodes = "\nExit status:\n" + exitStatus + "\nFiles:\n" + files + "Full manual: README.md.\n"

func usage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\nCommands (each takes the global options too, before or after its name):\n", synopsis, description)
	for _, c := range commands() {
		listCommands(w, c)
	}
	fmt.Fprint(w, "\nOptions:\n", cliflags.Usages(fs))
	fmt.Fprint(w, exitCodes)
}

// listCommands lists c's leaf commands; one without a usage line is for
// scripts (man-page) and is not listed.
func listCommands(w io.Writer, c *command) {
	if c.sub == nil {
		if c.usage != "" {
			fmt.Fprintf(w, "  %s\n      %s\n", c.usage, c.about)
		}
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

// manPageCommand prints setup-cisco(8) in roff; scripts/install runs it.
func manPageCommand() *command {
	return &command{
		name: "man-page",
		run: func(ctx context.Context, g *globals, args []string) int {
			if len(args) > 0 {
				g.errorf("man-page: unexpected argument %q", args[0])
				return exitFatal
			}
			if err := manPage().Render(g.stdout); err != nil {
				g.errorf("man-page: %v", err)
				return exitFatal
			}
			return exitOK
		},
	}
}

// manPage builds the page from the flag sets and text --help uses.
func manPage() *manpage.Page {
	top := pflag.NewFlagSet("setup-cisco", pflag.ContinueOnError)
	var g globals
	g.register(top)
	var w writeFlags
	w.register(top)
	p := &manpage.Page{
		Name:        "setup-cisco",
		Section:     8,
		Source:      "setup-cisco " + version.String(),
		Summary:     "write the TFTP files of Cisco 7940G/7960G SIP phones from FreePBX",
		Synopsis:    []string{synopsis},
		Description: description,
		Options:     top,
		ExitStatus:  exitStatus,
		Files:       files,
		SeeAlso:     []string{"setup-dhcp(8)", "cron(8)", "systemd.path(5)"},
	}
	var walk func(c *command)
	walk = func(c *command) {
		for _, s := range c.sub {
			walk(s)
		}
		if c.sub != nil || c.usage == "" {
			return
		}
		own := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
		if c.flags != nil {
			c.flags(own)
		}
		p.Commands = append(p.Commands, manpage.Command{Usage: c.usage, About: c.about, Options: own})
	}
	for _, c := range commands() {
		walk(c)
	}
	return p
}
