package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cliflags"
	"github.com/setup-cisco/setup-cisco/internal/manpage"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
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
     the bad ones' files left as they were; or a step failed after files were
     written (the message names them)
  2  nothing could be done (database, config file, TFTP root, lock); nothing
     was changed
`
	files = `  /etc/setup-cisco/setup-cisco.conf      site settings
  /etc/setup-cisco/templates             template overrides
  <tftp-root>/.setup-cisco-files         what setup-cisco wrote
  /var/lib/setup-cisco/                  a copy of that record, kept by a run as
                                         root while the TFTP root is writable by
                                         others
  $TMPDIR (else /tmp)                    nameless temporary files (mode 0600) of
                                         a run: the inventory and the phones'
                                         settings between its stages; none is
                                         left behind
  /etc/setup-cisco/post-reload           POST_RELOAD script of hook install
  /etc/setup-cisco/post-reload-previous  the POST_RELOAD command it runs first
  /var/spool/setup-cisco/trigger         a FreePBX reload happened
  /var/lib/setup-cisco/hook-status       outcome of the last hook run
  /var/lib/setup-cisco/hook-retry        the last hook run changed nothing; the
                                         next one retries
`
)

// manual is where the whole manual is: the man page, and README.md, which
// the Debian package and scripts/install place under share/doc.
const manual = "Full manual: man setup-cisco, and README.md in /usr/share/doc/setup-cisco\n(the Debian package) or /usr/local/share/doc/setup-cisco (scripts/install).\n"

const exitCodes = "\nExit status:\n" + exitStatus + "\nFiles:\n" + files + manual

// A command's own exit status and files, for its --help; the main run's
// are above.
type commandDoc struct{ exit, files string }

const (
	exitChange = `  0  done (the change is said in one line)
  2  nothing was changed (bad argument, database unreachable, phone unknown)
`
	inventoryFiles = `  FreePBX database                       tables setup_cisco_phone and
                                         setup_cisco_line
  /etc/issabelpbx.conf, /etc/freepbx.conf, /etc/asterisk/freepbx.conf, /etc/amportal.conf  credentials
`
	tftpFiles = `  <tftp-root>/                           the firmware images (tftp_root in
                                         /etc/setup-cisco/setup-cisco.conf)
`
	hookFiles = `  /etc/setup-cisco/post-reload           POST_RELOAD script of hook install
  /etc/setup-cisco/post-reload-previous  the POST_RELOAD command it runs first
  /etc/setup-cisco/post-reload-replaced  a previous command that ran setup-cisco
                                         itself, dropped; hook remove restores it
  /etc/setup-cisco/fwconsole             the fwconsole hook install used, for
                                         hook status and hook remove
  /var/spool/setup-cisco/trigger         a FreePBX reload happened
  /var/lib/setup-cisco/hook-status       outcome of the last hook run
  /var/lib/setup-cisco/hook-retry        the last hook run changed nothing; the
                                         next one retries
  /etc/systemd/system/setup-cisco.path   path unit of scripts/install --hook
  /lib/systemd/system/setup-cisco.path   path unit of the Debian package
  /etc/cron.d/setup-cisco                cron's "setup-cisco hook run" line
`
)

var commandDocs = map[string]commandDoc{
	"phone add":    {exitChange, inventoryFiles},
	"phone set":    {exitChange, inventoryFiles},
	"phone remove": {exitChange, inventoryFiles},
	"phone forget": {`  0  done: the retired phone's SIP<MAC>.cnf is deleted
  2  nothing was changed (the phone is still in the inventory, has no
     retired file, or the TFTP root is locked or unreadable)
`, tftpFiles + `  <tftp-root>/SIP<MAC>.cnf                the retired phone's reset file
  <tftp-root>/.setup-cisco-files         the files setup-cisco wrote
`},
	"phone list": {`  0  every phone is fine
  1  some rows are bad (named on stderr)
  2  the inventory could not be read
`, inventoryFiles},
	"firmware list": {`  0  listed (problems with images are listed too)
  2  the TFTP root could not be read
`, tftpFiles},
	"firmware import": {`  0  imported (said in one line), or nothing needed importing
  2  nothing was imported (no image in the source, an archive it does not
     read, a full disk, a directory where an image goes): the TFTP root is
     as it was
`, tftpFiles},
	"upgrade-path": {`  0  the steps are printed
  2  no path (a refused downgrade, an unknown image name)
`, tftpFiles},
	"doctor": {`  0  healthy
  1  problems found
  2  some checks could not run (e.g. database unreachable): the report is
     incomplete, whatever else it found
`, tftpFiles + `  /etc/dhcp/dhcpd.conf                   DHCP configuration (--dhcpd-conf)
  /proc                                  the running TFTP and DHCP daemons
  /var/lib/setup-cisco/hook-status       outcome of the last hook run
`},
	"watch": {`  0  the log ended (--once) or watching was stopped
  2  the log could not be read, or no line of it is in a format watch reads
`, `  /var/log/atftpd.log                    the TFTP daemon's log (--log): atftpd,
                                         tftpd-hpa, CentOS/RHEL tftp-server or dnsmasq
`},
	"import-settings": {`  0  the settings were printed, or added to the settings file (--write)
  2  nothing to read in DIR, or the settings file could not be read or written;
     it is left as it was
`, `  DIR/SIPDefault.cnf, DIR/dialplan.xml   the hand-made files (their
                                         .before-setup-cisco originals first)
  /etc/setup-cisco/setup-cisco.conf      the settings file (--config) --write adds to
`},
	"hook install": {exitChange, hookFiles},
	"hook remove":  {exitChange, hookFiles},
	"hook run":     {exitStatus, files},
	"hook status": {`  0  the hook works
  1  something needs attention (said on stdout)
  2  the state could not be read
`, hookFiles},
}

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
	if d, ok := commandDocs[path]; ok {
		fmt.Fprint(w, "\nExit status:\n"+d.exit+"\nFiles:\n"+d.files+manual)
		return
	}
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
		Sections:    []manpage.Section{{Title: "Settings file", Text: settingsText(siteconf.Example)}},
		ExitStatus:  pageExitStatus(),
		Files:       pageFiles(),
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

// pageExitStatus is the man page's EXIT STATUS: the run's codes, then
// each command's own, as its --help gives them; commands with the same
// codes share one list.
func pageExitStatus() string {
	var b strings.Builder
	b.WriteString("The run (setup-cisco with no COMMAND, and hook run):\n" + exitStatus)
	var order []string
	who := map[string][]string{}
	var walk func(c *command, path string)
	walk = func(c *command, path string) {
		if c.sub == nil {
			if d, ok := commandDocs[path]; ok && d.exit != exitStatus {
				if who[d.exit] == nil {
					order = append(order, d.exit)
				}
				who[d.exit] = append(who[d.exit], path)
			}
			return
		}
		for _, s := range c.sub {
			walk(s, path+" "+s.name)
		}
	}
	for _, c := range commands() {
		walk(c, c.name)
	}
	for _, exit := range order {
		b.WriteString("\n" + strings.Join(who[exit], ", ") + ":\n" + exit)
	}
	return b.String()
}

// pageFiles is the man page's FILES: the run's, then those only a
// command's --help names, each once.
func pageFiles() string {
	var b strings.Builder
	seen := map[string]bool{}
	add := func(block string) {
		keep := false
		for _, l := range strings.SplitAfter(block, "\n") {
			if strings.TrimSpace(l) == "" {
				continue
			}
			if !strings.HasPrefix(l, "   ") { // an item, not a continuation
				tag, _, _ := strings.Cut(strings.TrimSpace(l), "  ")
				keep = !seen[tag]
				seen[tag] = true
			}
			if keep {
				b.WriteString(l)
			}
		}
	}
	add(files)
	for _, path := range sortedDocs() {
		add(commandDocs[path].files)
	}
	return b.String()
}

// sortedDocs are commandDocs' keys in the order the commands are listed.
func sortedDocs() []string {
	var out []string
	var walk func(c *command, path string)
	walk = func(c *command, path string) {
		if _, ok := commandDocs[path]; ok && c.sub == nil {
			out = append(out, path)
		}
		for _, s := range c.sub {
			walk(s, path+" "+s.name)
		}
	}
	for _, c := range commands() {
		walk(c, c.name)
	}
	return out
}

// settingsText is the man page's list of the settings-file keys, from the
// commented example the install places (siteconf.Example, where every key
// is documented): each group of "#key = value" lines with the comment
// above it. The example's own header is replaced by an introduction.
func settingsText(example string) string {
	var b strings.Builder
	b.WriteString("The settings file (default " + siteconf.DefaultPath + ", else -c FILE) holds\n" +
		"KEY = VALUE lines; # starts a comment; quotes around a value are optional.\n" +
		"Every key is optional; an unknown key is an error naming the line. The\n" +
		"installed file lists every key, commented out, as below: the default value,\n" +
		"or an example where the text says where the default comes from.\n")
	for _, g := range exampleGroups(example) {
		b.WriteString("\n")
		for _, k := range g.keys {
			b.WriteString("  " + k + "\n")
		}
		for _, c := range g.comment {
			b.WriteString(c + "\n")
		}
	}
	return b.String()
}

// exampleGroup is a run of "#key = value" lines in the example settings
// file and the comment above them.
type exampleGroup struct{ comment, keys []string }

// exampleGroups splits the example settings file into its groups; the
// header (up to the first blank line) is left out.
func exampleGroups(example string) []exampleGroup {
	var out []exampleGroup
	var cur exampleGroup
	flush := func() {
		if len(cur.keys) > 0 {
			out = append(out, cur)
		}
		cur = exampleGroup{}
	}
	header := true
	for _, l := range strings.Split(example, "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			header = false
			flush()
		case header:
		case isKeyLine(l):
			cur.keys = append(cur.keys, strings.TrimSpace(strings.TrimPrefix(l, "#")))
		case strings.HasPrefix(l, "#"):
			if len(cur.keys) > 0 {
				flush()
			}
			cur.comment = append(cur.comment, strings.TrimSpace(strings.TrimPrefix(l, "#")))
		}
	}
	flush()
	return out
}

// isKeyLine reports whether l is a commented-out setting, "#key = value".
func isKeyLine(l string) bool {
	k, _, ok := strings.Cut(strings.TrimPrefix(l, "#"), "=")
	k = strings.TrimSpace(k)
	return ok && strings.HasPrefix(l, "#") && k != "" && strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
}
