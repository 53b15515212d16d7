// Package installtest runs scripts/install and scripts/uninstall into a
// temporary DESTDIR: what is placed, what an upgrade keeps, and that
// uninstall removes exactly what install placed and keeps a changed config.
package installtest

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/manpage"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// script runs scripts/NAME with DESTDIR=dest and returns its output.
func script(t *testing.T, dest, init, name string, args ...string) string {
	t.Helper()
	out, err := run(t, []string{"DESTDIR=" + dest, "SETUP_CISCO_INIT=" + init}, name, args...)
	if err != nil {
		t.Fatalf("scripts/%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// run runs scripts/NAME with env added. A script that hangs (the
// dirname loop of issue 15.1 did) is killed after two minutes.
func run(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join("..", "..", "scripts", name), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("scripts/%s %s did not finish in 2 minutes\n%s", name, strings.Join(args, " "), out)
	}
	return string(out), err
}

// tree lists the regular files under dir, relative, sorted.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, "/"+rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestInstallCronUpgradeUninstall(t *testing.T) {
	dest := t.TempDir()
	script(t, dest, "cron", "install", "--cron")
	want := []string{
		"/etc/cron.d/setup-cisco",
		"/etc/setup-cisco/setup-cisco.conf",
		"/usr/local/sbin/setup-cisco",
		"/usr/local/sbin/setup-dhcp",
		"/usr/local/share/doc/setup-cisco/README.md",
		"/usr/local/share/man/man8/setup-cisco.8",
		"/usr/local/share/man/man8/setup-dhcp.8",
		"/var/lib/setup-cisco/installed-files",
	}
	if got := tree(t, dest); !slices.Equal(got, want) {
		t.Fatalf("installed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := read(t, dest+"/etc/setup-cisco/setup-cisco.conf"); got != siteconf.Example {
		t.Error("the config file is not siteconf.Example")
	}
	cron := read(t, dest+"/etc/cron.d/setup-cisco")
	if !strings.Contains(cron, "\n* * * * * root /usr/local/sbin/setup-cisco\n") || strings.Contains(cron, "hook run") {
		t.Errorf("cron file:\n%s", cron)
	}
	for _, tool := range []string{"setup-cisco", "setup-dhcp"} {
		out, err := exec.Command(dest+"/usr/local/sbin/"+tool, "--version").Output()
		v := strings.TrimSpace(strings.TrimPrefix(string(out), tool))
		if err != nil || v == "" || strings.HasPrefix(v, "devel") {
			t.Errorf("%s --version = %q, %v: the version is not set at link time", tool, out, err)
		}
		page := []byte(read(t, dest+"/usr/local/share/man/man8/"+tool+".8"))
		if !bytes.HasPrefix(page, []byte(".TH \""+strings.ToUpper(strings.ReplaceAll(tool, "-", `\-`))+"\" 8")) {
			t.Errorf("%s.8 does not start with .TH: %.40q", tool, page)
		}
		if warnings, err := manpage.Lint(page); err == nil && warnings != "" {
			t.Errorf("%s.8: groff: %s", tool, warnings)
		} else if err != nil && !errors.Is(err, exec.ErrNotFound) {
			t.Errorf("%s.8: %v", tool, err)
		}
	}

	// The admin edits the config; an upgrade keeps it.
	conf := dest + "/etc/setup-cisco/setup-cisco.conf"
	mine := siteconf.Example + "proxy_address = 192.0.2.10\n"
	if err := os.WriteFile(conf, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	out := script(t, dest, "cron", "install", "--cron")
	if !strings.Contains(out, "kept "+conf) || read(t, conf) != mine {
		t.Errorf("upgrade did not keep the edited config:\n%s", out)
	}

	out = script(t, dest, "cron", "uninstall")
	if got := tree(t, dest); !slices.Equal(got, []string{"/etc/setup-cisco/setup-cisco.conf"}) {
		t.Errorf("left after uninstall: %q\n%s", got, out)
	}
	if read(t, conf) != mine || !strings.Contains(out, "kept "+conf+": changed since it was installed") {
		t.Errorf("uninstall did not keep the edited config:\n%s", out)
	}
	if entries, _ := os.ReadDir(dest + "/usr"); len(entries) > 0 {
		t.Errorf("directories install made are left: %v", entries)
	}
}

func TestInstallHook(t *testing.T) {
	t.Run("systemd", func(t *testing.T) {
		dest := t.TempDir()
		out := script(t, dest, "systemd", "install", "--hook", "--prefix", "/opt/sc")
		if !strings.Contains(out, "DESTDIR is set: on the target system, run 'setup-cisco hook install' and 'systemctl enable --now setup-cisco.path'") {
			t.Errorf("install --hook into DESTDIR said:\n%s", out)
		}
		svc := read(t, dest+"/etc/systemd/system/setup-cisco.service")
		path := read(t, dest+"/etc/systemd/system/setup-cisco.path")
		if !strings.Contains(svc, "\nExecStart=/opt/sc/sbin/setup-cisco hook run\n") || !strings.Contains(path, "\nPathExists=/var/spool/setup-cisco/trigger\n") {
			t.Errorf("units:\n%s\n%s", path, svc)
		}
		if _, err := os.Stat(dest + "/etc/cron.d/setup-cisco"); err == nil {
			t.Error("a cron file although systemd picks the trigger up and --cron was not given")
		}
		if _, err := os.Stat(dest + "/opt/sc/sbin/setup-cisco"); err != nil {
			t.Error(err)
		}
		script(t, dest, "systemd", "uninstall", "--prefix", "/opt/sc")
		if got := tree(t, dest); len(got) > 0 {
			t.Errorf("left after uninstall: %q", got)
		}
	})
	t.Run("cron", func(t *testing.T) {
		dest := t.TempDir()
		script(t, dest, "cron", "install", "--hook")
		cron := read(t, dest+"/etc/cron.d/setup-cisco")
		if !strings.Contains(cron, "\n* * * * * root /usr/local/sbin/setup-cisco hook run\n") || strings.Contains(cron, "root /usr/local/sbin/setup-cisco\n") {
			t.Errorf("cron file:\n%s", cron)
		}
		if _, err := os.Stat(dest + "/etc/systemd"); err == nil {
			t.Error("systemd units without systemd")
		}
	})
}

// TestInstallDestdir installs into a DESTDIR that does not exist yet (the
// dirname loop of issue 15.1 never stopped at "/" there) and into one that
// does, and checks uninstall names the DESTDIR paths it removes.
func TestInstallDestdir(t *testing.T) {
	for _, tc := range []struct{ name, sub string }{
		{"missing", "/new/stage"},
		{"existing", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dest := t.TempDir() + tc.sub
			out := script(t, dest, "cron", "install")
			if _, err := os.Stat(dest + "/usr/local/sbin/setup-cisco"); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(out, "installed "+dest+"/usr/local/sbin/setup-cisco\n") {
				t.Errorf("install does not name the DESTDIR path:\n%s", out)
			}
			// The next step: a phone, then a dry run, before cron or hook.
			next := "next, as root: 'setup-cisco phone add MAC EXT --model MODEL', then 'setup-cisco -n'"
			if !strings.Contains(out, next) {
				t.Errorf("install prints no next step (%q):\n%s", next, out)
			}
			out = script(t, dest, "cron", "uninstall")
			if strings.Contains(out, "removed /usr") || !strings.Contains(out, "removed "+dest+"/usr/local/sbin/setup-cisco\n") {
				t.Errorf("uninstall does not name the DESTDIR paths:\n%s", out)
			}
			if got := tree(t, dest); len(got) > 0 {
				t.Errorf("left after uninstall: %q", got)
			}
		})
	}
}

// TestInstallGo: with no Go, one line says what to install; with a Go
// older than go.mod's (but at least 1.21) the toolchain is fetched by Go
// itself (GOTOOLCHAIN=auto). The old Go is a wrapper that reports go1.22.0
// and records GOTOOLCHAIN before handing over to the real go.
func TestInstallGo(t *testing.T) {
	real, err := exec.LookPath("go")
	if err != nil {
		real = "/usr/local/go/bin/go"
	}
	t.Run("none", func(t *testing.T) {
		dest := t.TempDir()
		out, err := run(t, []string{"DESTDIR=" + dest, "GO=" + dest + "/no/go"}, "install")
		if err == nil {
			t.Fatalf("install without Go succeeded:\n%s", out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 1 || !strings.Contains(out, "Go 1.26") || !strings.Contains(out, "https://go.dev/dl/") || !strings.Contains(out, "found: none") {
			t.Errorf("want one line saying what to install, got:\n%s", out)
		}
		if got := tree(t, dest); len(got) > 0 {
			t.Errorf("placed without a build: %q", got)
		}
	})
	t.Run("too old", func(t *testing.T) {
		dir := t.TempDir()
		old := dir + "/go"
		stub := "#!/bin/sh\nif [ \"$1 $2\" = 'env GOVERSION' ]; then echo go1.19.8; exit 0; fi\nexit 1\n"
		if err := os.WriteFile(old, []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
		out, err := run(t, []string{"DESTDIR=" + dir + "/stage", "GO=" + old}, "install")
		if err == nil || !strings.Contains(out, "found: go1.19.8") || strings.Count(out, "\n") != 1 {
			t.Errorf("install with go1.19: %v\n%s", err, out)
		}
	})
	t.Run("older", func(t *testing.T) {
		dir := t.TempDir()
		old := dir + "/go"
		stub := "#!/bin/sh\nif [ \"$1 $2\" = 'env GOVERSION' ]; then echo go1.22.0; exit 0; fi\n" +
			"echo \"GOTOOLCHAIN=$GOTOOLCHAIN\" >>" + dir + "/log\nexec " + real + " \"$@\"\n"
		if err := os.WriteFile(old, []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
		out, err := run(t, []string{"DESTDIR=" + dir + "/stage", "GO=" + old, "GOTOOLCHAIN=local"}, "install")
		if err != nil {
			t.Fatalf("install with go1.22: %v\n%s", err, out)
		}
		if !strings.Contains(out, "go1.22.0 is older than go.mod's go1.26") {
			t.Errorf("install with go1.22 does not say it fetches the toolchain:\n%s", out)
		}
		log := read(t, dir+"/log")
		if !strings.Contains(log, "GOTOOLCHAIN=auto\n") || strings.Contains(log, "GOTOOLCHAIN=local") {
			t.Errorf("go was run with:\n%s", log)
		}
		if _, err := os.Stat(dir + "/stage/usr/local/sbin/setup-cisco"); err != nil {
			t.Error(err)
		}
	})
}
