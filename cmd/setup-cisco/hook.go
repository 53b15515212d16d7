package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/hook"
)

// hookLockWait: a hook run is in the background, so it may wait for a
// cron run to finish rather than fail.
const hookLockWait = 2 * time.Minute

// hookFlags are the options of the hook commands.
type hookFlags struct {
	fwconsole string
	group     string
	root      string
}

func (h *hookFlags) register(fs *pflag.FlagSet, fw, group bool) {
	if fw {
		fs.StringVar(&h.fwconsole, "fwconsole", "", "FreePBX's fwconsole `FILE` (default: $SETUP_CISCO_FWCONSOLE, else from $PATH, /usr/sbin or /var/lib/asterisk/bin)")
	}
	if group {
		fs.StringVar(&h.group, "group", "", "`GROUP` the web server runs as, allowed to leave the trigger (default: FreePBX's AMPASTERISKWEBGROUP, else asterisk or www-data)")
	}
	// Tests put the hook's files under a temporary directory.
	fs.StringVar(&h.root, "root", "/", "prefix of the hook's paths")
	fs.MarkHidden("root")
}

func (h *hookFlags) freepbx() (hook.FreePBX, error) {
	p := h.fwconsole
	if p == "" {
		p = os.Getenv("SETUP_CISCO_FWCONSOLE")
	}
	if p == "" {
		// The one hook install used (--fwconsole outside the usual places):
		// the package's prerm runs "hook remove" without flags.
		if r := hook.Recorded(hook.DefaultPaths(h.root)); r != "" {
			if fi, err := os.Stat(r); err == nil && fi.Mode().IsRegular() {
				p = r
			}
		}
	}
	if p == "" {
		var err error
		if p, err = hook.FindFwconsole(); err != nil {
			return hook.FreePBX{}, err
		}
	}
	return hook.FreePBX{Fwconsole: p}, nil
}

func hookCommand() *command {
	var h hookFlags
	return &command{
		name:  "hook",
		usage: "hook install|remove|run|status",
		about: "write the files after every FreePBX Apply Config, through FreePBX's POST_RELOAD setting",
		sub: []*command{
			{
				name:  "install",
				usage: "hook install [--fwconsole FILE] [--group GROUP]",
				about: "point FreePBX's POST_RELOAD at a script that runs the command set there before, then leaves a trigger for root's setup-cisco hook run and exits at once",
				flags: func(fs *pflag.FlagSet) { h.register(fs, true, true) },
				run:   withFlags(&h, hookInstall),
			},
			{
				name:  "remove",
				usage: "hook remove [--fwconsole FILE]",
				about: "set POST_RELOAD back to the command it held before hook install, and delete the hook's files",
				flags: func(fs *pflag.FlagSet) { h.register(fs, true, false) },
				run:   withFlags(&h, hookRemove),
			},
			{
				name:  "run",
				usage: "hook run",
				about: "if a FreePBX reload left the trigger, remove it and write the files, recording the outcome for hook status and in syslog (run as root by setup-cisco.path or cron)",
				flags: func(fs *pflag.FlagSet) { h.register(fs, false, false) },
				run:   withFlags(&h, hookRun),
			},
			{
				name:  "status",
				usage: "hook status [--fwconsole FILE]",
				about: "say what POST_RELOAD runs, what picks the trigger up and how the last hook run went; exit 1 when something needs attention",
				flags: func(fs *pflag.FlagSet) { h.register(fs, true, false) },
				run:   withFlags(&h, hookStatus),
			},
		},
	}
}

func noArgs(g *globals, cmd string, args []string) bool {
	if len(args) > 0 {
		g.errorf("%s: unexpected argument %q (see setup-cisco %s --help)", cmd, args[0], cmd)
		return false
	}
	return true
}

func hookInstall(ctx context.Context, g *globals, h *hookFlags, args []string) int {
	if !noArgs(g, "hook install", args) {
		return exitFatal
	}
	fw, err := h.freepbx()
	if err != nil {
		g.errorf("hook install: %v", err)
		return exitFatal
	}
	group := h.group
	if group == "" {
		group = hook.WebGroup(ctx, fw)
	}
	p := hook.DefaultPaths(h.root)
	res, err := hook.Install(ctx, fw, p, group)
	if err != nil {
		g.errorf("hook install: %v", err)
		return exitFatal
	}
	if res.Already {
		say(g, "POST_RELOAD already runs %s", p.Wrapper)
	} else {
		say(g, "POST_RELOAD now runs %s", p.Wrapper)
	}
	if res.Previous != "" {
		say(g, "it runs the previous POST_RELOAD command first: %s", res.Previous)
	}
	if res.Dropped != "" {
		say(g, "the previous POST_RELOAD command %q is dropped: it ran setup-cisco itself, which hook run now does as root after each reload (hook remove puts it back)", res.Dropped)
	}
	if res.Compound != "" {
		g.errorf("warning: the previous POST_RELOAD command %q runs setup-cisco among other commands: every Apply Config runs it as the web server's user before hook run; take setup-cisco out of it (%s)", res.Compound, hook.DefaultPaths(h.root).Previous)
	}
	g.infof("group %s may leave the trigger %s", res.Group, p.Trigger())
	if hook.Inspect(ctx, fw, p).Consumer == "" {
		g.errorf("warning: nothing runs \"setup-cisco hook run\" yet: %s", hookConsumerFix)
	}
	return exitOK
}

func hookRemove(ctx context.Context, g *globals, h *hookFlags, args []string) int {
	if !noArgs(g, "hook remove", args) {
		return exitFatal
	}
	fw, err := h.freepbx()
	if err != nil {
		g.errorf("hook remove: %v", err)
		return exitFatal
	}
	res, err := hook.Remove(ctx, fw, hook.DefaultPaths(h.root))
	if err != nil {
		g.errorf("hook remove: %v", err)
		return exitFatal
	}
	switch {
	case res.Installed && res.Restored == "":
		say(g, "POST_RELOAD emptied, as it was before hook install")
	case res.Installed:
		say(g, "POST_RELOAD set back to %s", res.Restored)
	default:
		say(g, "POST_RELOAD left as it is (%q): it does not run setup-cisco's hook", res.Current)
	}
	return exitOK
}

func hookRun(ctx context.Context, g *globals, h *hookFlags, args []string) int {
	if !noArgs(g, "hook run", args) {
		return exitFatal
	}
	p := hook.DefaultPaths(h.root)
	triggered, err := hook.Pending(p)
	if err != nil {
		g.errorf("hook run: %v", err)
		return exitFatal
	}
	if !triggered {
		g.infof("no trigger in %s: nothing to do", p.Spool)
		return exitOK
	}
	// The default action with its default options, and stderr kept for
	// the status file.
	var w writeFlags
	w.register(pflag.NewFlagSet("hook run", pflag.ContinueOnError))
	w.lockWait = hookLockWait
	w.resync = true // FreePBX reloaded: changed phones should pick it up now
	var msg bytes.Buffer
	run := *g
	run.stderr = io.MultiWriter(g.stderr, &msg)
	code := runWrite(ctx, &run, &w)
	// Exit 2 changed nothing: keep the request so the next hook run (cron's
	// next minute) retries, as the exit-code table promises.
	if err := hook.SetRetry(p, code == exitFatal); err != nil {
		g.errorf("hook run: %v", err)
		if code == exitOK {
			code = exitFatal
		}
	}
	st := hook.Status{Time: time.Now().UTC().Truncate(time.Second), Exit: code, Message: strings.TrimSpace(msg.String())}
	if err := hook.WriteStatus(p.Status, st); err != nil {
		g.errorf("hook run: recording the outcome: %v", err)
		if code == exitOK {
			code = exitFatal
		}
	}
	if err := hook.Log(st); err != nil && !st.OK() {
		g.errorf("hook run: syslog: %v", err)
	}
	return code
}

func hookStatus(ctx context.Context, g *globals, h *hookFlags, args []string) int {
	if !noArgs(g, "hook status", args) {
		return exitFatal
	}
	p := hook.DefaultPaths(h.root)
	fw, err := h.freepbx()
	var r hook.Report
	if err == nil {
		r = hook.Inspect(ctx, fw, p)
	} else {
		r = hook.Inspect(ctx, hook.FreePBX{}, p)
		r.PostReloadErr = err
	}
	healthy := true
	switch {
	case r.PostReloadErr != nil:
		say(g, "POST_RELOAD:  unknown: %v", r.PostReloadErr)
		healthy = false
	case r.Hooked:
		say(g, "POST_RELOAD:  %s (setup-cisco's hook)", r.PostReload)
		if r.Previous != "" {
			say(g, "runs first:   %s", r.Previous)
		}
	case r.PostReload == "":
		say(g, "POST_RELOAD:  empty: setup-cisco hook install sets it")
		healthy = false
	default:
		say(g, "POST_RELOAD:  %s (not setup-cisco's hook)", r.PostReload)
		healthy = false
	}
	if r.Consumer != "" {
		say(g, "picked up by: %s", r.Consumer)
	} else {
		say(g, "picked up by: nothing: install with scripts/install --hook")
		healthy = false
	}
	switch now := time.Now(); {
	case r.Stuck(now):
		// doctor calls the same trigger a problem.
		say(g, "pending:      trigger left %s, not taken for %s: that Apply Config reached no phone; fix: %s",
			r.Pending.Local().Format(time.DateTime), now.Sub(r.Pending).Round(time.Minute), r.StuckFix())
		healthy = false
	case !r.Pending.IsZero():
		say(g, "pending:      trigger left %s", r.Pending.Local().Format(time.DateTime))
	}
	if r.Retry {
		say(g, "pending:      retry: the last hook run changed nothing (%s); the next hook run tries again", p.Retry)
	}
	switch {
	case r.Last == nil:
		say(g, "last run:     none recorded in %s", p.Status)
	case r.Last.OK():
		say(g, "last run:     %s, ok", r.Last.Time.Local().Format(time.DateTime))
	default:
		say(g, "last run:     %s, failed (exit %d): %s", r.Last.Time.Local().Format(time.DateTime), r.Last.Exit, r.Last.Message)
		healthy = false
	}
	if !healthy {
		return 1
	}
	return exitOK
}

// say prints one line of a hook command's report on stdout.
func say(g *globals, format string, a ...any) {
	fmt.Fprintf(g.stdout, format+"\n", a...)
}

// hookConsumerFix says how to get "setup-cisco hook run" run after a
// reload: the Debian package's unit is installed but not enabled.
const hookConsumerFix = "systemctl enable --now setup-cisco.path (Debian package), or scripts/install --hook (systemd path unit or cron)"
