package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDebianPackage builds the package twice with scripts/package (a
// second, higher version), checks it with lintian, installs it with dpkg
// on this machine, edits the conffile, upgrades over itself keeping the
// edit, purges it and checks nothing of it is left (issue 13.4). It
// changes the machine while it runs, so it runs only as root when
// scripts/test asks for it (SETUP_CISCO_PACKAGE_TEST=1), and never where
// setup-cisco is installed as a package already.
func TestDebianPackage(t *testing.T) {
	packageMachine(t)
	for _, tool := range []string{"dpkg", "dpkg-deb", "lintian"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s: %v (scripts/test installs it)", tool, err)
		}
	}

	dist := t.TempDir()
	v1, v2 := "0.0.0+pkgtest1", "0.0.0+pkgtest2"
	deb1 := buildDeb(t, v1, dist)
	deb2 := buildDeb(t, v2, dist)

	out, err := exec.Command("lintian", "--tag-display-limit", "0", deb1).CombinedOutput()
	t.Logf("lintian %s:\n%s", filepath.Base(deb1), out)
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "E: ") {
			t.Errorf("lintian error: %s", l)
		}
	}
	if err != nil {
		if _, exit := err.(*exec.ExitError); !exit || strings.Contains(string(out), "E: ") {
			t.Errorf("lintian: %v", err)
		}
	}

	t.Cleanup(func() {
		if pkgStatus() != "" {
			dpkg(t, "--purge", "setup-cisco")
		}
	})
	dpkg(t, "-i", deb1)
	checkVersion(t, v1)
	files := strings.Fields(must(exec.Command("dpkg", "-L", "setup-cisco").Output()))
	conffiles := must(exec.Command("dpkg-query", "-W", "-f", "${Conffiles}", "setup-cisco").Output())
	conf := "/etc/setup-cisco/setup-cisco.conf"
	if !strings.Contains(conffiles, conf) {
		t.Errorf("%s is not a conffile: %q", conf, conffiles)
	}
	for _, want := range []string{"/usr/sbin/setup-cisco", "/usr/sbin/setup-dhcp", "/usr/share/man/man8/setup-cisco.8.gz",
		"/usr/share/man/man8/setup-dhcp.8.gz", conf, "/lib/systemd/system/setup-cisco.path",
		"/lib/systemd/system/setup-cisco.service", "/usr/share/doc/setup-cisco/copyright",
		"/usr/share/doc/setup-cisco/changelog.gz", "/usr/share/doc/setup-cisco/README.md"} {
		if _, err := os.Stat(want); err != nil {
			t.Errorf("installed package: %v", err)
		}
	}
	// The installed binary reads the installed example config as is.
	if out, err := exec.Command("/usr/sbin/setup-cisco", "-c", conf, "upgrade-path", "P0S3-07-5-00", "P0S3-8-12-00").CombinedOutput(); err != nil {
		t.Errorf("setup-cisco with the packaged config: %v\n%s", err, out)
	}

	// The admin's edit survives an upgrade.
	edit := "\n# the admin's edit\nproxy_address = 192.0.2.77\n"
	f, err := os.OpenFile(conf, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(edit)
	f.Close()
	dpkg(t, "-i", deb2)
	checkVersion(t, v2)
	if got := read(t, conf); !strings.HasSuffix(got, edit) {
		t.Errorf("the upgrade did not keep the edited %s:\n%s", conf, got)
	}

	dpkg(t, "--purge", "setup-cisco")
	if st := pkgStatus(); st != "" {
		t.Errorf("after purge dpkg still knows setup-cisco: %s", st)
	}
	for _, p := range append(files, "/etc/setup-cisco", "/usr/share/doc/setup-cisco", "/var/lib/setup-cisco") {
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() && !strings.Contains(p, "setup-cisco") {
			continue // /usr/sbin and the like belong to others
		}
		t.Errorf("left after purge: %s", p)
	}
}

// packageMachine skips t unless scripts/test asks for the tests that
// install the package (SETUP_CISCO_PACKAGE_TEST=1, as root), or where
// setup-cisco is installed as a package already; it holds the machine's
// package-test lock (dpkg allows one writer) until t and its cleanups
// (the purge) are done.
func packageMachine(t *testing.T) {
	t.Helper()
	if os.Getenv("SETUP_CISCO_PACKAGE_TEST") != "1" || os.Getuid() != 0 {
		t.Skip("installs a package: runs as root from scripts/test (SETUP_CISCO_PACKAGE_TEST=1)")
	}
	lock, err := os.OpenFile("/run/lock/setup-cisco-package-test", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Close() })
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if st := pkgStatus(); st != "" {
		t.Skipf("setup-cisco is installed as a package here (%s): not touching it", st)
	}
}

// fakeFwconsole makes a FreePBX fwconsole outside $PATH and
// FindFwconsole's list (a source install under /opt, a chroot'd layout)
// that keeps the advanced settings as files, printing them as framework's
// Console/Setting.class.php does, with POST_RELOAD set to prev; it returns
// the fwconsole and POST_RELOAD's file.
func fakeFwconsole(t *testing.T, prev string) (fw, postReload string) {
	t.Helper()
	fp := t.TempDir()
	settings := filepath.Join(fp, "settings")
	if err := os.Mkdir(settings, 0o755); err != nil {
		t.Fatal(err)
	}
	fw = filepath.Join(fp, "fwconsole")
	script := `#!/bin/sh
d=` + settings + `
[ "$1" = setting ] || exit 1
if [ $# -ge 3 ]; then printf '%s' "$3" >"$d/$2"; echo "Changing $2"; exit 0; fi
v=$(cat "$d/$2" 2>/dev/null)
echo "Setting of \"$2\" is (TEXT)[$v]"
`
	if err := os.WriteFile(fw, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	postReload = filepath.Join(settings, "POST_RELOAD")
	if err := os.WriteFile(postReload, []byte(prev), 0o644); err != nil {
		t.Fatal(err)
	}
	return fw, postReload
}

// pkgStatus is dpkg's status of setup-cisco, "" when it knows none.
func pkgStatus() string {
	out, err := exec.Command("dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Version}", "setup-cisco").Output()
	if err != nil {
		return ""
	}
	s := strings.TrimSpace(string(out))
	if strings.HasPrefix(s, "un") {
		return ""
	}
	return s
}

func buildDeb(t *testing.T, version, dist string) string {
	t.Helper()
	cmd := exec.Command("../../scripts/package", "--version", version, "--out", dist)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/package --version %s: %v\n%s", version, err, stderr.String())
	}
	deb := strings.TrimSpace(string(out))
	if filepath.Base(deb) != "setup-cisco_"+version+"_"+debArch(t)+".deb" {
		t.Fatalf("scripts/package printed %q", deb)
	}
	return deb
}

func debArch(t *testing.T) string {
	return strings.TrimSpace(must(exec.Command("dpkg", "--print-architecture").Output()))
}

// dpkg runs dpkg, waiting while another dpkg holds its lock.
func dpkg(t *testing.T, args ...string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		cmd := exec.Command("dpkg", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Logf("dpkg %s:\n%s", strings.Join(args, " "), out)
			return
		}
		if strings.Contains(string(out), "lock") && time.Now().Before(deadline) {
			time.Sleep(2 * time.Second)
			continue
		}
		t.Fatalf("dpkg %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func checkVersion(t *testing.T, version string) {
	t.Helper()
	for _, tool := range []string{"setup-cisco", "setup-dhcp"} {
		out, err := exec.Command("/usr/sbin/"+tool, "--version").Output()
		if got, want := strings.TrimSpace(string(out)), tool+" "+version; err != nil || got != want {
			t.Errorf("/usr/sbin/%s --version = %q, %v; want %q", tool, got, err, want)
		}
	}
	if v := must(exec.Command("dpkg-query", "-W", "-f", "${Version}", "setup-cisco").Output()); v != version {
		t.Errorf("dpkg has setup-cisco %s, want %s", v, version)
	}
}

func must(out []byte, err error) string {
	if err != nil {
		panic(err)
	}
	return string(out)
}
