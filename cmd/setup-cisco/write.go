package main

import (
	"context"
	"errors"
	"fmt"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/doctor"
	"github.com/setup-cisco/setup-cisco/internal/hostnet"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/resync"
	"github.com/setup-cisco/setup-cisco/internal/safefs"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
	"github.com/setup-cisco/setup-cisco/internal/udiff"
)

// writeFlags are the options of the default action.
type writeFlags struct {
	image     string
	proxy     string
	templates string
	dryRun    bool
	diff      bool
	lockWait  time.Duration
	strict    bool
	resync    bool
	asterisk  string
	astConf   string
	leases    string
}

func (w *writeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&w.image, "image-version", "", "firmware `NAME` for every phone (first line of SIPDefault.cnf; default from the config file, else P0S3-8-12-00)")
	fs.StringVar(&w.proxy, "proxy", "", "`ADDRESS` the phones register to (default from the config file, else this host's primary IPv4)")
	fs.StringVar(&w.templates, "templates", "", "`DIR` of templates replacing the built-in ones (default /etc/setup-cisco/templates)")
	fs.BoolVarP(&w.dryRun, "dry-run", "n", false, "say what would be added, changed and removed; write nothing")
	fs.BoolVar(&w.diff, "diff", false, "show a unified diff of each change, each secret replaced by a fingerprint (a changed secret shows as a changed line, never its value); write nothing")
	fs.BoolVar(&w.strict, "strict", false, "treat firmware problems (image files missing from the TFTP root, a signed downgrade, a skipped upgrade step) as errors: exit 2, write nothing")
	fs.BoolVar(&w.resync, "resync", false, "after writing, ask exactly the phones whose files changed to reload (check-sync NOTIFY through Asterisk, else sent to the address in the DHCP leases)")
	fs.StringVar(&w.asterisk, "asterisk", "", "asterisk `BINARY` for --resync (default: from $PATH, else /usr/sbin/asterisk)")
	fs.StringVar(&w.astConf, "asterisk-conf", "", "Asterisk's configuration `DIR`: chan_sip's bindport/bindaddr are read from its sip.conf and the files it includes, and --resync makes sure [cisco-check-cfg] is defined in sip_notify_custom.conf and pjsip_notify_custom.conf (default /etc/asterisk)")
	fs.StringVar(&w.leases, "leases", "", "ISC dhcpd leases `FILE` for --resync without Asterisk (default /var/lib/dhcp/dhcpd.leases)")
	fs.DurationVar(&w.lockWait, "lock-wait", lockWaitDefault, "how long to wait for another run to finish, e.g. 30s")
}

func runWrite(ctx context.Context, g *globals, w *writeFlags) int {
	o := g.provisionOptions()
	o.Image = w.image
	o.Proxy = w.proxy
	o.Templates = w.templates
	o.DryRun = w.dryRun || w.diff
	o.Diff = w.diff
	o.Resync = w.resync
	o.LockWait = w.lockWait
	o.DefaultProxy = primaryIPv4
	o.Strict = w.strict
	o.CheckWritable = g.verbose
	o.AsteriskConf = w.astConf

	rep, err := provision.Run(ctx, o)
	for _, r := range rep.Result.Replaced {
		// Someone planted this where our file goes (a world-writable
		// root): always said, it may be an attack.
		what := ", replaced atomically"
		switch {
		case strings.HasSuffix(r, "left alone)") || strings.HasSuffix(r, "ignored)"):
			what = "" // the reason says what was done
		case o.DryRun:
			what = ", would be replaced"
		}
		g.errorf("warning: %s/%s is not setup-cisco's: never read or followed%s", rep.Root, r, what)
	}
	for _, w := range rep.Result.Warnings {
		g.errorf("warning: %s", w)
	}
	if err != nil {
		g.errorf("%v", err)
		var partial *provision.PartialError
		if errors.As(err, &partial) {
			return exitBadRows
		}
		return exitFatal
	}
	for _, p := range rep.Config.Problems {
		if p.Dropped { // the phone is written without this line
			g.errorf("%v", p)
			continue
		}
		g.errorf("%v; its files were left as they were", p)
	}
	if g.verbose {
		for _, n := range rep.Notes {
			g.infof("note: %s", n)
		}
		for _, n := range rep.Config.PortNotes {
			g.infof("note: %s", n)
		}
	}
	verb := map[syncdir.Kind]string{syncdir.Added: "added", syncdir.Changed: "changed", syncdir.Removed: "removed"}
	if o.DryRun {
		verb = map[syncdir.Kind]string{syncdir.Added: "would add", syncdir.Changed: "would change", syncdir.Removed: "would remove"}
	}
	for _, c := range rep.Result.Changes {
		switch {
		case w.diff:
			from, to := "a/"+c.Name, "b/"+c.Name
			if c.Kind == syncdir.Added {
				from = "/dev/null"
			} else if c.Kind == syncdir.Removed {
				to = "/dev/null"
			}
			d := udiff.Unified(from, to, string(cnftext.MaskSecrets(c.Old())), string(cnftext.MaskSecrets(c.New())))
			if d == "" {
				d = fmt.Sprintf("would change %s/%s: only masked secrets differ\n", rep.Root, c.Name)
			}
			fmt.Fprint(g.stdout, d)
		case o.DryRun || g.verbose:
			fmt.Fprintf(g.stdout, "%s %s/%s\n", verb[c.Kind], rep.Root, c.Name)
		}
	}
	if o.DryRun || g.verbose {
		for _, c := range rep.Directory {
			kind := c.Kind
			if o.DryRun {
				kind = map[string]string{"added": "would add", "changed": "would change", "removed": "would remove"}[c.Kind]
			}
			fmt.Fprintf(g.stdout, "%s %s\n", kind, c.Path)
		}
	}
	// Firmware problems: said when this run changed something or with -v,
	// so cron stays quiet; doctor always reports them.
	if g.verbose || len(rep.Result.Changes) > 0 {
		for _, f := range rep.Firmware {
			g.errorf("warning: %s", f)
		}
		for _, f := range rep.PinWarnings {
			g.errorf("warning: %s", f)
		}
		for _, w := range rep.Config.PortWarnings {
			g.errorf("warning: %s", w)
		}
		for _, w := range rep.Config.Warnings {
			g.errorf("warning: %s", w)
		}
		if exp := stillWritable(rep, o.DryRun); exp.Any() {
			g.errorf("warning: %s: other users can plant symlinks or replace what phones load, and TFTP uploads can overwrite world-writable files; fix: %s (setup-cisco doctor explains)",
				doctor.WritableSummary(exp), doctor.WritableFix(exp))
		}
	}
	if !o.DryRun && len(rep.Result.Kept) > 0 {
		namedChanges(g, rep.Root, rep.Result.Kept)
	}
	if g.verbose {
		for _, n := range rep.Result.Kept {
			g.infof("%s/%s was not written by setup-cisco: the original is kept as %s%s", rep.Root, n, n, syncdir.KeptSuffix)
		}
		for _, n := range rep.Result.ModeFixed {
			g.infof("mode set to 0644: %s/%s", rep.Root, n)
		}
		if rep.Result.Cleaned > 0 {
			g.infof("removed %d temporary file(s) left by an interrupted run", rep.Result.Cleaned)
		}
		if !o.DryRun {
			g.infof("%d phone(s) from %s; %d file(s) changed, %d unchanged in %s",
				rep.Phones, rep.DBSource, len(rep.Result.Changes), rep.Result.Unchanged, rep.Root)
		}
	}
	if o.DryRun && !w.diff {
		fmt.Fprintln(g.stdout, dryRunSummary(rep))
	}
	// A root no TFTP daemon can reach: every file is right and none can
	// be fetched, so the run fails, every run, until it is opened; no
	// phone is told to fetch what it cannot.
	closed, _ := safefs.Unsearchable(rep.Root)
	if w.resync && !o.DryRun && len(rep.Changed) > 0 && len(closed) == 0 {
		resyncPhones(ctx, g, w, rep)
	}
	if len(closed) > 0 {
		g.errorf("%s", closedMessage(rep, closed, o.DryRun))
	}
	if rep.NotWritten != nil || len(closed) > 0 {
		// Said last, after all the rest: exit 1 when other files (or the
		// company directory's pages) were, or in a dry run would be,
		// changed; 2 when nothing was.
		if rep.NotWritten != nil {
			g.errorf("%v", rep.NotWritten)
		}
		if len(rep.Result.Written) > 0 || len(rep.Directory) > 0 || o.DryRun && len(rep.Result.Changes) > 0 {
			return exitBadRows
		}
		return exitFatal
	}
	if len(rep.Config.Problems) > 0 {
		return exitBadRows
	}
	return exitOK
}

// resyncPhones sends check-sync to the phones whose files changed. A phone
// that cannot be reached is said on stderr; it reads its new files at its
// next reboot, so this does not change the exit status.
func resyncPhones(ctx context.Context, g *globals, w *writeFlags, rep provision.Report) {
	changed := map[macaddr.MAC]bool{}
	for _, m := range rep.Changed {
		changed[m] = true
	}
	targets := rep.Resync
	// A retired phone has no lines left to reach it by: its lease, if any.
	for _, mac := range rep.Retired {
		if changed[mac] {
			targets = append(targets, resync.Target{MAC: mac})
		}
	}
	results, err := resync.Notify(ctx, targets, resync.Options{
		Asterisk: w.asterisk, ConfDir: w.astConf, Leases: w.leases, PhonePort: rep.Site.ControlPort,
	})
	if err != nil {
		g.errorf("resync: %v", err)
		return
	}
	// One line per distinct failure: an unreadable leases file or a
	// missing Asterisk is the same message for every changed phone, and
	// 1,500 identical lines would bury it in cron mail.
	var msgs []string
	macs := map[string][]string{}
	for _, r := range results {
		if r.Err != nil {
			m := r.Err.Error()
			if _, seen := macs[m]; !seen {
				msgs = append(msgs, m)
			}
			macs[m] = append(macs[m], string(r.MAC))
			continue
		}
		g.infof("resync: phone %s: %s", r.MAC, r.Via)
	}
	for _, m := range msgs {
		ms := macs[m]
		if len(ms) == 1 {
			g.errorf("resync: phone %s: %s (it reads its new files at its next reboot)", ms[0], m)
			continue
		}
		shown := ms
		more := ""
		if len(ms) > 5 {
			shown, more = ms[:5], fmt.Sprintf(" and %d more", len(ms)-5)
		}
		g.errorf("resync: %d phones (%s%s): %s (they read their new files at their next reboot)", len(ms), strings.Join(shown, ", "), more, m)
	}
}

func primaryIPv4() (string, error) {
	a, err := hostnet.PrimaryIPv4()
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// closedMessage says that no TFTP daemon can enter the directories closed
// on the way to the root, naming the phones' files it cannot serve and the
// fix.
func closedMessage(rep provision.Report, closed []safefs.Closed, dryRun bool) string {
	var dirs, paths []string
	for _, c := range closed {
		dirs = append(dirs, fmt.Sprintf("%s (mode %04o, owner %s)", syncdir.Shown(c.Path), c.Mode, ownerNames(c.UID, c.GID)))
		paths = append(paths, shellQuote(c.Path))
	}
	files := "SIPDefault.cnf"
	if rep.Phones > 0 {
		files += fmt.Sprintf(" or the SIP<MAC>.cnf of its %d phone(s)", rep.Phones)
	}
	done := "the files are written and take effect once it can"
	if dryRun {
		done = "a run would write the files all the same"
	}
	fix := "chmod o+x " + strings.Join(paths, " ")
	for _, c := range closed {
		if homeDir(c.Path) {
			// A home is closed on purpose: opening it to every user is
			// not the fix for a TFTP root put in it (scripts/demo's
			// ./demo-tftpboot in /root, say).
			fix = "keep the TFTP root out of " + shellQuote(c.Path) + " (the daemons serve /srv/tftp, /tftpboot or /var/lib/tftpboot), or " + fix
			break
		}
	}
	return fmt.Sprintf("no TFTP daemon can enter %s: only root may search it (the daemons serve as another user), so no phone can fetch %s from %s; %s; fix: %s",
		strings.Join(dirs, ", "), files, syncdir.Shown(rep.Root), done, fix)
}

// homeDir says whether path is root's or a user's home directory
// (/root, /home/NAME).
func homeDir(path string) bool {
	rest, ok := strings.CutPrefix(path, "/home/")
	return path == "/root" || ok && rest != "" && !strings.Contains(rest, "/")
}

// ownerNames is "user:group" by name where the system knows them.
func ownerNames(uid, gid uint32) string {
	u, g := strconv.Itoa(int(uid)), strconv.Itoa(int(gid))
	if n, err := user.LookupId(u); err == nil {
		u = n.Username
	}
	if n, err := user.LookupGroupId(g); err == nil {
		g = n.Name
	}
	return u + ":" + g
}

// stillWritable is what others can write in the TFTP root after the run:
// the files it wrote or set back to 0644 no longer count.
func stillWritable(rep provision.Report, dryRun bool) safefs.Exposure {
	exp := rep.Writable
	if dryRun {
		return exp
	}
	done := map[string]bool{}
	for _, n := range rep.Result.ModeFixed {
		done[n] = true
	}
	for _, c := range rep.Result.Changes {
		done[c.Name] = true
	}
	exp.Files = slices.DeleteFunc(slices.Clone(exp.Files), func(n string) bool { return done[n] })
	return exp
}
