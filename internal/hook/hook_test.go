package hook

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeFwconsole stands in for FreePBX's fwconsole (PHP, not installable
// here): "setting NAME [VALUE]" over a directory of files, printing what
// framework's Console/Setting.class.php prints.
const fakeFwconsole = `#!/bin/sh
dir=$(dirname "$0")/settings
[ "$1" = setting ] || { echo "fake fwconsole: unsupported: $*" >&2; exit 1; }
if [ ! -f "$dir/$2" ]; then echo "The setting $2 was not found!"; exit 0; fi
if [ $# -ge 3 ]; then
	echo "Changing \"$2\" from [$(cat "$dir/$2")] to [$3]"
	printf '%s' "$3" >"$dir/$2"
else
	echo "Setting of \"$2\" is (text)[$(cat "$dir/$2")]"
fi
`

type fixture struct {
	dir   string
	fw    FreePBX
	paths Paths
}

func newFixture(t *testing.T, postReload string) *fixture {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	must(t, os.MkdirAll(filepath.Join(bin, "settings"), 0o755))
	must(t, os.WriteFile(filepath.Join(bin, "fwconsole"), []byte(fakeFwconsole), 0o755))
	must(t, os.WriteFile(filepath.Join(bin, "settings", Setting), []byte(postReload), 0o644))
	return &fixture{dir: dir, fw: FreePBX{Fwconsole: filepath.Join(bin, "fwconsole")}, paths: DefaultPaths(filepath.Join(dir, "root"))}
}

func (f *fixture) setting(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.dir, "bin", "settings", Setting))
	must(t, err)
	return string(data)
}

// runWrapper runs POST_RELOAD's value the way FreePBX does: PHP exec(),
// that is /bin/sh -c VALUE, with no arguments.
func (f *fixture) runWrapper(t *testing.T, env ...string) time.Duration {
	t.Helper()
	start := time.Now()
	cmd := exec.Command("/bin/sh", "-c", f.setting(t))
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("POST_RELOAD command: %v\n%s", err, out)
	}
	return time.Since(start)
}

func TestInstallKeepsAndRestoresPrevious(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "")
	marker := filepath.Join(f.dir, "old-ran")
	old := filepath.Join(f.dir, "old hook.sh")
	must(t, os.WriteFile(old, []byte("#!/bin/sh\necho ran >>'"+marker+"'\n"), 0o755))
	prev := "'" + old + "' --flag"
	must(t, os.WriteFile(filepath.Join(f.dir, "bin", "settings", Setting), []byte(prev), 0o644))

	res, err := Install(ctx, f.fw, f.paths, "nogroup")
	must(t, err)
	if res.Already || res.Previous != prev {
		t.Fatalf("Install = %+v", res)
	}
	if got := f.setting(t); got != f.paths.Wrapper {
		t.Fatalf("POST_RELOAD = %q, want the wrapper %q", got, f.paths.Wrapper)
	}
	fi, err := os.Stat(f.paths.Spool)
	must(t, err)
	if fi.Mode()&fs.ModePerm != 0o770 || fi.Mode()&fs.ModeSetgid == 0 {
		t.Errorf("spool mode %v, want setgid 0770", fi.Mode())
	}

	f.runWrapper(t)
	if data, _ := os.ReadFile(marker); string(data) != "ran\n" {
		t.Errorf("previous POST_RELOAD command ran: %q", data)
	}
	if _, err := os.Stat(f.paths.Trigger()); err != nil {
		t.Errorf("no trigger after the hook: %v", err)
	}

	// Installing again changes nothing and keeps the previous command.
	res, err = Install(ctx, f.fw, f.paths, "nogroup")
	must(t, err)
	if !res.Already || res.Previous != prev {
		t.Fatalf("second Install = %+v", res)
	}
	rep := Inspect(ctx, f.fw, f.paths)
	if !rep.Hooked || rep.Previous != prev || rep.Pending.IsZero() {
		t.Errorf("Inspect = %+v", rep)
	}

	rem, err := Remove(ctx, f.fw, f.paths)
	must(t, err)
	if !rem.Installed || rem.Restored != prev || f.setting(t) != prev {
		t.Fatalf("Remove = %+v, POST_RELOAD %q, want %q", rem, f.setting(t), prev)
	}
	for _, p := range []string{f.paths.Wrapper, f.paths.Previous, f.paths.Trigger(), f.paths.Spool} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left behind (%v)", p, err)
		}
	}
}

func TestRemoveLeavesAnAdminsChange(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "")
	_, err := Install(ctx, f.fw, f.paths, "nogroup")
	must(t, err)
	if got := f.setting(t); got != f.paths.Wrapper {
		t.Fatalf("POST_RELOAD = %q", got)
	}
	must(t, f.fw.Set(ctx, Setting, "/usr/local/bin/mine"))
	rem, err := Remove(ctx, f.fw, f.paths)
	must(t, err)
	if rem.Installed || rem.Current != "/usr/local/bin/mine" || f.setting(t) != "/usr/local/bin/mine" {
		t.Errorf("Remove = %+v; POST_RELOAD %q", rem, f.setting(t))
	}
}

// TestWrapperNeverFails: a failing previous command and an unwritable
// spool still end at once with status 0, as FreePBX needs.
func TestWrapperNeverFails(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "sleep 0; exit 3")
	_, err := Install(ctx, f.fw, f.paths, "nogroup")
	must(t, err)
	must(t, os.Remove(f.paths.Spool))
	must(t, os.WriteFile(f.paths.Spool, nil, 0o644)) // a file: no trigger can be made
	if d := f.runWrapper(t); d > 2*time.Second {
		t.Errorf("hook took %v", d)
	}
}

// TestWebUserMakesTrigger runs the hook as FreePBX's web server does: an
// unprivileged user in the spool directory's group.
func TestWebUserMakesTrigger(t *testing.T) {
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv(1) to run the hook as another user")
	}
	ctx := context.Background()
	f := newFixture(t, "")
	// t.TempDir's directories are private; the web user must reach ours.
	for d := f.dir; d != filepath.Dir(os.TempDir()) && d != "/"; d = filepath.Dir(d) {
		if strings.HasPrefix(d, os.TempDir()) && d != os.TempDir() {
			must(t, os.Chmod(d, 0o755))
		}
	}
	_, err = Install(ctx, f.fw, f.paths, "nogroup")
	must(t, err)
	cmd := exec.Command(setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/bin/sh", "-c", f.setting(t))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hook as nobody: %v\n%s", err, out)
	}
	if _, err := os.Stat(f.paths.Trigger()); err != nil {
		t.Fatalf("the web user could not leave the trigger: %v", err)
	}
	ok, err := Consume(f.paths)
	if !ok || err != nil {
		t.Fatalf("Consume = %v, %v", ok, err)
	}
	if ok, err := Consume(f.paths); ok || err != nil {
		t.Errorf("second Consume = %v, %v", ok, err)
	}
}

func TestGet(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "/a b/[x]")
	got, err := f.fw.Get(ctx, Setting)
	if err != nil || got != "/a b/[x]" {
		t.Errorf("Get = %q, %v", got, err)
	}
	if _, err := f.fw.Get(ctx, "NO_SUCH"); !errors.Is(err, ErrNoSetting) {
		t.Errorf("Get(NO_SUCH) = %v, want ErrNoSetting", err)
	}
	if _, err := (FreePBX{}).Get(ctx, Setting); !errors.Is(err, ErrNoFwconsole) {
		t.Errorf("Get without fwconsole = %v", err)
	}
}

func TestStatus(t *testing.T) {
	p := filepath.Join(t.TempDir(), "var", "hook-status")
	if _, err := ReadStatus(p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadStatus of nothing = %v", err)
	}
	want := Status{Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Exit: 2, Message: "setup-cisco: database unreachable"}
	must(t, WriteStatus(p, want))
	got, err := ReadStatus(p)
	must(t, err)
	if !got.Time.Equal(want.Time) || got.Exit != 2 || got.Message != want.Message || got.OK() {
		t.Errorf("ReadStatus = %+v", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The spool is writable by the web group: a symlink left there as the
// trigger is consumed as an entry (its target stays), and Inspect reports
// the link's own time, not its target's.
func TestPlantedTriggerLink(t *testing.T) {
	f := newFixture(t, "")
	must(t, os.MkdirAll(f.paths.Spool, 0o770))
	target := filepath.Join(f.dir, "precious")
	must(t, os.WriteFile(target, []byte("keep\n"), 0o600))
	old := time.Now().Add(-48 * time.Hour)
	must(t, os.Chtimes(target, old, old))
	must(t, os.Symlink(target, f.paths.Trigger()))
	r := Inspect(context.Background(), f.fw, f.paths)
	if r.Pending.Before(time.Now().Add(-time.Hour)) {
		t.Errorf("Pending = %v: the link's target was stat'ed", r.Pending)
	}
	ok, err := Consume(f.paths)
	if !ok || err != nil {
		t.Fatalf("Consume = %v, %v", ok, err)
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "keep\n" {
		t.Errorf("target after Consume: %q, %v", b, err)
	}
	if _, err := os.Lstat(f.paths.Trigger()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("trigger still there: %v", err)
	}
}

// Install refuses a spool that is a symlink rather than chown its target.
func TestInstallRefusesSpoolLink(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown needs root")
	}
	f := newFixture(t, "")
	elsewhere := filepath.Join(f.dir, "elsewhere")
	must(t, os.MkdirAll(elsewhere, 0o700))
	must(t, os.MkdirAll(filepath.Dir(f.paths.Spool), 0o755))
	must(t, os.Symlink(elsewhere, f.paths.Spool))
	if _, err := Install(context.Background(), f.fw, f.paths, "root"); err == nil {
		t.Fatal("Install succeeded with a symlinked spool")
	}
	if fi, _ := os.Stat(elsewhere); fi.Mode().Perm() != 0o700 || fi.Mode()&fs.ModeSetgid != 0 {
		t.Errorf("link target's mode changed: %v", fi.Mode())
	}
}

// A trigger older than StuckAfter is stuck whatever the consumer: none
// (install it), the cron line (crond down), the path unit (enabled, not
// started, or failed); each gets its own fix. A fresh one is not.
func TestStuckTrigger(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name, fix string
		setup     func(p Paths)
	}{
		{"none", "scripts/install --hook", func(Paths) {}},
		{"cron", "is cron running?", func(p Paths) {
			os.MkdirAll(filepath.Dir(p.CronFile), 0o755)
			os.WriteFile(p.CronFile, []byte("* * * * * root /usr/sbin/setup-cisco hook run\n"), 0o644)
		}},
		{"path unit", "systemctl enable --now setup-cisco.path", func(p Paths) {
			os.MkdirAll(filepath.Dir(p.PathEnabled), 0o755)
			os.WriteFile(p.PathEnabled, nil, 0o644)
		}},
	} {
		p := DefaultPaths(t.TempDir())
		tc.setup(p)
		if r := Inspect(context.Background(), FreePBX{}, p); r.Stuck(now) {
			t.Errorf("%s: stuck without a trigger", tc.name)
		}
		must(t, os.MkdirAll(p.Spool, 0o755))
		must(t, os.WriteFile(p.Trigger(), nil, 0o644))
		must(t, os.Chtimes(p.Trigger(), now.Add(-time.Minute), now.Add(-time.Minute)))
		if r := Inspect(context.Background(), FreePBX{}, p); r.Stuck(now) {
			t.Errorf("%s: a trigger a minute old is stuck", tc.name)
		}
		must(t, os.Chtimes(p.Trigger(), now.Add(-StuckAfter-time.Second), now.Add(-StuckAfter-time.Second)))
		if r := Inspect(context.Background(), FreePBX{}, p); !r.Stuck(now) || !strings.Contains(r.StuckFix(), tc.fix) {
			t.Errorf("%s: stuck %v, fix %q, want %q", tc.name, r.Stuck(now), r.StuckFix(), tc.fix)
		}
	}
}
