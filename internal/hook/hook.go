// Package hook makes FreePBX run setup-cisco after every reload (Apply
// Config), through FreePBX's POST_RELOAD setting.
//
// POST_RELOAD holds one shell command. FreePBX runs it with PHP exec() after
// reloading Asterisk: as the web server's user when Apply Config is pressed,
// blocking the page until it ends, and a non-zero exit trips an error path
// in FreePBX itself. So the command set there is a small wrapper script that
// runs whatever command was set before (kept in a file), leaves a trigger
// file in a spool directory the web server's group may write, and exits 0
// at once. Root picks the trigger up: a systemd path unit starting
// "setup-cisco hook run", or that command from cron every minute. Each run's
// outcome goes to a status file (and syslog) where "setup-cisco hook status"
// and the admin find it.
package hook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/syslog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// Setting is FreePBX's advanced setting holding the post-reload command.
const Setting = "POST_RELOAD"

// Paths are the files the hook uses.
type Paths struct {
	Wrapper  string // the script POST_RELOAD names
	Previous string // the command POST_RELOAD held before; the wrapper runs it
	Spool    string // directory of the trigger file, writable by the web group
	Status   string // outcome of the last "hook run"
	PathUnit string // systemd path unit watching the trigger (scripts/install --hook)
	// PathEnabled is the link "systemctl enable" makes for the Debian
	// package's unit in /lib/systemd/system.
	PathEnabled string
	CronFile    string // cron file that may run "setup-cisco hook run"
	// Fwconsole records the fwconsole hook install used, so "hook
	// remove" (the package's prerm, run without flags) finds it.
	Fwconsole string
	// Replaced holds a POST_RELOAD command install dropped because it ran
	// setup-cisco itself (see RunsSetupCisco); remove puts it back.
	Replaced string
	// Retry marks a hook run that changed nothing (exit 2): the next hook
	// run retries without a new trigger. Kept apart from the trigger, which
	// the path unit watches with PathExists (a kept trigger would restart
	// the service in a loop).
	Retry string
}

// DefaultPaths returns the paths under root ("/" for the real system; tests
// pass a temporary directory).
func DefaultPaths(root string) Paths {
	j := func(p string) string { return filepath.Join(root, p) }
	return Paths{
		Wrapper:     j("/etc/setup-cisco/post-reload"),
		Previous:    j("/etc/setup-cisco/post-reload-previous"),
		Spool:       j("/var/spool/setup-cisco"),
		Status:      j("/var/lib/setup-cisco/hook-status"),
		PathUnit:    j("/etc/systemd/system/setup-cisco.path"),
		PathEnabled: j("/etc/systemd/system/multi-user.target.wants/setup-cisco.path"),
		CronFile:    j("/etc/cron.d/setup-cisco"),
		Fwconsole:   j("/etc/setup-cisco/fwconsole"),
		Replaced:    j("/etc/setup-cisco/post-reload-replaced"),
		Retry:       j("/var/lib/setup-cisco/hook-retry"),
	}
}

// Trigger is the file whose existence asks for a run.
func (p Paths) Trigger() string { return filepath.Join(p.Spool, "trigger") }

// ErrNoFwconsole: FreePBX's command line tool is not installed here.
var ErrNoFwconsole = errors.New("fwconsole not found (is FreePBX installed? give --fwconsole or set SETUP_CISCO_FWCONSOLE)")

// FindFwconsole returns fwconsole's path: $PATH, then where FreePBX puts it.
func FindFwconsole() (string, error) {
	if p, err := exec.LookPath("fwconsole"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/fwconsole", "/var/lib/asterisk/bin/fwconsole", "/usr/local/sbin/fwconsole"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", ErrNoFwconsole
}

// FreePBX reads and writes advanced settings through fwconsole.
type FreePBX struct{ Fwconsole string }

// ErrNoSetting: fwconsole does not know the setting.
var ErrNoSetting = errors.New("setting not found")

// Get returns a setting's value. fwconsole prints
// `Setting of "NAME" is (TYPE)[VALUE]` (framework Console/Setting.class.php).
func (f FreePBX) Get(ctx context.Context, name string) (string, error) {
	out, err := f.run(ctx, "setting", name)
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimRight(l, "\r ")
		i := strings.Index(l, `"`+name+`" is (`)
		if i < 0 {
			continue
		}
		rest := l[i+len(name)+6:]
		if j := strings.Index(rest, ")["); j >= 0 && strings.HasSuffix(rest, "]") {
			return rest[j+2 : len(rest)-1], nil
		}
	}
	if strings.Contains(out, "not found") {
		return "", fmt.Errorf("fwconsole setting %s: %w", name, ErrNoSetting)
	}
	return "", fmt.Errorf("fwconsole setting %s: unexpected output %q", name, strings.TrimSpace(out))
}

// Set changes a setting and checks that it took.
func (f FreePBX) Set(ctx context.Context, name, value string) error {
	if _, err := f.run(ctx, "setting", name, value); err != nil {
		return err
	}
	got, err := f.Get(ctx, name)
	if err != nil {
		return err
	}
	if got != strings.TrimSpace(value) {
		return fmt.Errorf("fwconsole setting %s %q: the setting reads %q afterwards", name, value, got)
	}
	return nil
}

func (f FreePBX) run(ctx context.Context, args ...string) (string, error) {
	if f.Fwconsole == "" {
		return "", ErrNoFwconsole
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, f.Fwconsole, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", f.Fwconsole, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

// Installed says what Install did.
type Installed struct {
	Previous string // command the wrapper runs first ("" for none)
	Already  bool   // POST_RELOAD named the wrapper already
	Group    string // group that may write the spool directory
	Dropped  string // previous command dropped: it ran setup-cisco itself
	Compound string // previous command kept that runs setup-cisco among other commands
}

// RunsSetupCisco tells whether a POST_RELOAD command is one plain call of
// setup-cisco (path or name, optionally through sudo), e.g. "/usr/sbin/
// setup-cisco --resync", as admins set it before the hook existed; and,
// separately, whether a compound command (;, &&, |, $(...)) mentions it.
// A plain call is dropped: hook run does that work as root after the
// reload, and left in place it would run setup-cisco a second time,
// synchronously as the web server's user, inside Apply Config.
func RunsSetupCisco(cmd string) (plain, compound bool) {
	if !strings.Contains(cmd, "setup-cisco") {
		return false, false
	}
	if strings.ContainsAny(cmd, ";&|`$()<>\n") {
		return false, true
	}
	f := strings.Fields(cmd)
	for len(f) > 0 && filepath.Base(f[0]) == "sudo" {
		f = f[1:]
		for len(f) > 0 && strings.HasPrefix(f[0], "-") {
			f = f[1:]
		}
	}
	if len(f) > 0 && filepath.Base(f[0]) == "setup-cisco" {
		return true, false
	}
	return false, true
}

// Install points POST_RELOAD at the wrapper, keeping the command it held.
// group is the web server's group (see WebGroup). The files are in place
// before the setting changes, so FreePBX never runs a missing script.
func Install(ctx context.Context, f FreePBX, p Paths, group string) (Installed, error) {
	res := Installed{Group: group}
	cur, hooked, prev, err := postReload(ctx, f, p)
	if err != nil {
		return res, err
	}
	res.Already, res.Previous = hooked, prev
	if !hooked {
		res.Previous = cur
		plain, compound := RunsSetupCisco(cur)
		if plain {
			res.Dropped, res.Previous = cur, ""
			if err := writeFile(p.Replaced, []byte(cur+"\n"), 0o644); err != nil {
				return res, err
			}
		} else if compound {
			res.Compound = cur
		}
		if err := writeFile(p.Previous, []byte(res.Previous+"\n"), 0o644); err != nil {
			return res, err
		}
	} else if plain, compound := RunsSetupCisco(prev); plain {
		// An earlier install kept it: drop it now.
		res.Dropped, res.Previous = prev, ""
		if err := writeFile(p.Replaced, []byte(prev+"\n"), 0o644); err != nil {
			return res, err
		}
		if err := writeFile(p.Previous, []byte("\n"), 0o644); err != nil {
			return res, err
		}
	} else if compound {
		res.Compound = prev
	}
	if f.Fwconsole != "" {
		abs, err := filepath.Abs(f.Fwconsole)
		if err != nil {
			return res, err
		}
		if err := writeFile(p.Fwconsole, []byte(abs+"\n"), 0o644); err != nil {
			return res, err
		}
	}
	gid, err := lookupGroup(group)
	if err != nil {
		return res, err
	}
	if err := os.MkdirAll(filepath.Dir(p.Spool), 0o755); err != nil {
		return res, err
	}
	if err := os.Mkdir(p.Spool, 0o770); err != nil && !errors.Is(err, fs.ErrExist) {
		return res, err
	}
	if err := ownSpool(p.Spool, gid, group); err != nil {
		return res, err
	}
	if err := writeFile(p.Wrapper, Wrapper(p), 0o755); err != nil {
		return res, err
	}
	if !res.Already {
		if err := f.Set(ctx, Setting, p.Wrapper); err != nil {
			return res, err
		}
	}
	return res, nil
}

// postReload returns POST_RELOAD's value, whether it names the wrapper and,
// when it does, the command it held before Install (see readPrevious).
func postReload(ctx context.Context, f FreePBX, p Paths) (cur string, hooked bool, prev string, err error) {
	if cur, err = f.Get(ctx, Setting); err != nil {
		return "", false, "", err
	}
	if hooked = cur == p.Wrapper; hooked {
		if prev, err = readPrevious(p); err != nil {
			return "", false, "", err
		}
	}
	return cur, hooked, prev, nil
}

// readPrevious returns the POST_RELOAD command Install kept ("" when there
// is none: no file is no command).
func readPrevious(p Paths) (string, error) {
	prev, err := os.ReadFile(p.Previous)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	return strings.TrimRight(string(prev), "\n"), nil
}

// Removed says what Remove did.
type Removed struct {
	Restored  string // value POST_RELOAD was set back to
	Installed bool   // POST_RELOAD named the wrapper
	Current   string // POST_RELOAD's value when it was left alone
}

// Remove sets POST_RELOAD back to the command it held before Install and
// deletes the hook's files. When POST_RELOAD no longer names the wrapper
// (an admin changed it since), it is left as it is.
func Remove(ctx context.Context, f FreePBX, p Paths) (Removed, error) {
	var res Removed
	cur, hooked, prev, err := postReload(ctx, f, p)
	if err != nil {
		return res, err
	}
	res.Installed = hooked
	if hooked {
		res.Restored = prev
		if r, err := os.ReadFile(p.Replaced); err == nil && prev == "" {
			res.Restored = strings.TrimRight(string(r), "\n")
		}
		if err := f.Set(ctx, Setting, res.Restored); err != nil {
			return res, err
		}
	} else {
		res.Current = cur
	}
	for _, name := range []string{p.Wrapper, p.Previous, p.Replaced, p.Fwconsole, p.Trigger(), p.Retry} {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, err
		}
	}
	if err := os.Remove(p.Spool); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("%s kept: %w", p.Spool, err)
	}
	return res, nil
}

// Wrapper is the script POST_RELOAD runs.
func Wrapper(p Paths) []byte {
	return []byte(`#!/bin/sh
# FreePBX POST_RELOAD hook, written by "setup-cisco hook install";
# "setup-cisco hook remove" puts the previous command back.
# FreePBX runs this after each reload, from Apply Config as the web server's
# user, waiting for it: so it only leaves a trigger for root's setup-cisco
# (setup-cisco.path, or cron running "setup-cisco hook run") and exits 0.
prev=$(cat ` + shellQuote(p.Previous) + ` 2>/dev/null)
if [ -n "$prev" ]; then
	sh -c "$prev" || logger -t setup-cisco -p daemon.warning "POST_RELOAD: previous command failed: $prev" 2>/dev/null
fi
umask 007
trigger=` + shellQuote(p.Trigger()) + `
# true, not ':': a failed redirection on a special builtin ends sh.
[ -e "$trigger" ] || true 2>/dev/null >"$trigger" ||
	logger -t setup-cisco -p daemon.err "POST_RELOAD: $(id -un) cannot create $trigger; run setup-cisco hook install again" 2>/dev/null
exit 0
`)
}

// WebGroup picks the group the web server runs as: FreePBX's
// AMPASTERISKWEBGROUP when fwconsole tells it, else asterisk or www-data,
// whichever exists.
func WebGroup(ctx context.Context, f FreePBX) string {
	if g, err := f.Get(ctx, "AMPASTERISKWEBGROUP"); err == nil && g != "" {
		return g
	}
	for _, g := range []string{"asterisk", "www-data"} {
		if _, err := user.LookupGroup(g); err == nil {
			return g
		}
	}
	return "asterisk"
}

func lookupGroup(name string) (int, error) {
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, fmt.Errorf("web server group: %w (give --group)", err)
	}
	return strconv.Atoi(g.Gid)
}

// Consume removes the trigger and tells whether there was one. Removing it
// before the run means a reload during the run leaves a new trigger, and so
// another run.
func Consume(p Paths) (bool, error) {
	err := os.Remove(p.Trigger())
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Recorded returns the fwconsole path hook install recorded ("" for none).
func Recorded(p Paths) string {
	b, err := os.ReadFile(p.Fwconsole)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// Pending tells whether a hook run is asked for: a trigger (consumed
// here; see Consume) or a retry left by a run that changed nothing.
func Pending(p Paths) (bool, error) {
	t, err := Consume(p)
	if err != nil || t {
		return t, err
	}
	if _, err := os.Stat(p.Retry); err == nil {
		return true, nil
	}
	return false, nil
}

// SetRetry records (or clears) that the last hook run changed nothing and
// must be run again.
func SetRetry(p Paths, retry bool) error {
	if retry {
		return writeFile(p.Retry, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
	}
	if err := os.Remove(p.Retry); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Status is the outcome of one "hook run".
type Status struct {
	Time    time.Time `json:"time"`
	Exit    int       `json:"exit"`    // setup-cisco's exit status
	Message string    `json:"message"` // what it printed on stderr
}

// OK tells whether the run succeeded.
func (s Status) OK() bool { return s.Exit == 0 }

// WriteStatus records s, replacing the previous status.
func WriteStatus(path string, s Status) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeFile(path, append(data, '\n'), 0o644)
}

// ReadStatus returns the last recorded status; fs.ErrNotExist when none.
func ReadStatus(path string) (Status, error) {
	var s Status
	data, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Log sends s to syslog, facility daemon: a failure as an error, where the
// admin's log watching finds it, a success as info.
func Log(s Status) error {
	prio, text := syslog.LOG_INFO, "hook run: files written"
	if !s.OK() {
		prio = syslog.LOG_ERR
		text = fmt.Sprintf("hook run failed (exit %d): %s", s.Exit, oneLine(s.Message))
	}
	w, err := syslog.New(prio|syslog.LOG_DAEMON, "setup-cisco")
	if err != nil {
		return err
	}
	defer w.Close()
	_, err = w.Write([]byte(text))
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// Report is what "hook status" shows.
type Report struct {
	PostReload    string // "" with PostReloadErr set when fwconsole failed
	PostReloadErr error
	Hooked        bool   // POST_RELOAD names the wrapper
	Previous      string // command the wrapper runs first
	Pending       time.Time
	Retry         bool   // the last hook run changed nothing; the next one retries
	Consumer      string // what picks the trigger up; "" for nothing
	Last          *Status

	cron bool // the consumer is the cron line
}

// StuckAfter is how long a FreePBX reload's trigger may wait before hook
// status and doctor call it stuck: setup-cisco.path takes it at once, the
// cron line within a minute.
const StuckAfter = 5 * time.Minute

// Stuck tells whether the trigger has waited longer than StuckAfter at
// now: nothing takes it (crond not running, setup-cisco.path enabled but
// not started, or failed), and every Apply Config since reached no phone.
func (r Report) Stuck(now time.Time) bool {
	return !r.Pending.IsZero() && now.Sub(r.Pending) > StuckAfter
}

// StuckFix says how to get a stuck trigger taken, for the consumer found.
func (r Report) StuckFix() string {
	switch {
	case r.Consumer == "":
		return "nothing runs \"setup-cisco hook run\": systemctl enable --now setup-cisco.path (Debian package), or scripts/install --hook (systemd path unit or cron)"
	case r.cron:
		return "is cron running? systemctl start cron (crond on CentOS); the line in " + strings.TrimPrefix(r.Consumer, "cron, ") + " runs \"setup-cisco hook run\" every minute"
	}
	return "systemctl enable --now setup-cisco.path (enable alone does not start it); systemctl status setup-cisco.path setup-cisco.service says why it stopped"
}

// consumer names what picks the trigger up ("" for nothing), and whether
// that is the cron line.
func consumer(p Paths) (string, bool) {
	if _, err := os.Stat(p.PathUnit); err == nil {
		return "systemd path unit " + p.PathUnit, false
	} else if _, err := os.Stat(p.PathEnabled); err == nil {
		return "systemd path unit setup-cisco.path (enabled)", false
	} else if data, err := os.ReadFile(p.CronFile); err == nil && bytes.Contains(data, []byte("hook run")) {
		return "cron, " + p.CronFile, true
	}
	return "", false
}

// Inspect gathers the hook's state. It never fails as a whole: what cannot
// be read is reported in the fields.
func Inspect(ctx context.Context, f FreePBX, p Paths) Report {
	var r Report
	r.PostReload, r.PostReloadErr = f.Get(ctx, Setting)
	r.Hooked = r.PostReloadErr == nil && r.PostReload == p.Wrapper
	r.Previous, _ = readPrevious(p)
	// Lstat: the web group may put anything there; its own time counts.
	if fi, err := os.Lstat(p.Trigger()); err == nil {
		r.Pending = fi.ModTime()
	}
	if _, err := os.Stat(p.Retry); err == nil {
		r.Retry = true
	}
	r.Consumer, r.cron = consumer(p)
	if s, err := ReadStatus(p.Status); err == nil {
		r.Last = &s
	}
	return r
}

// ownSpool gives the spool directory to root and the web group, mode 2770,
// through a descriptor of the directory itself (O_NOFOLLOW): a symlink
// there is refused, never followed to chown its target.
func ownSpool(spool string, gid int, group string) error {
	fd, err := unix.Open(spool, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("%s: %w (a symlink there is refused)", spool, err)
	}
	defer unix.Close(fd)
	if err := unix.Fchown(fd, 0, gid); err != nil {
		return fmt.Errorf("giving %s to group %s: %w", spool, group, err)
	}
	// setgid: triggers made by root or the web user stay in the group.
	if err := unix.Fchmod(fd, 0o770|unix.S_ISGID); err != nil {
		return fmt.Errorf("%s: %w", spool, err)
	}
	return nil
}

// writeFile replaces path atomically with mode perm set on the new file's
// descriptor (whatever the umask: the web user must read and run these),
// never through a symlink at path.
func writeFile(path string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	d, err := safefs.Open(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer d.Close()
	if err := d.WriteFile(filepath.Base(path), data, perm, safefs.WriteOptions{}); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
