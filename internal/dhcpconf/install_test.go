package dhcpconf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

type fileState struct {
	ino     uint64
	mtime   time.Time
	content string
}

func state(t *testing.T, path string) fileState {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime(), string(b)}
}

func TestInstallRejectedLeavesFile(t *testing.T) {
	requireTool(t, "dhcpd")
	dir := t.TempDir()
	path := filepath.Join(dir, "dhcpd.conf")
	if err := os.WriteFile(path, []byte("ddns-update-style none;\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	before := state(t, path)
	err := Install(path, []byte("subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.10 10.0.0.300; }\n"), func(c string) error {
		if filepath.Dir(c) != dir {
			return fmt.Errorf("candidate %s is not beside %s", c, path)
		}
		return Check(context.Background(), ISC, c)
	})
	var rej *RejectedError
	if !errors.As(err, &rej) || !strings.Contains(rej.Output, "line 1: 300 exceeds max (255)") {
		t.Fatalf("got %v, want dhcpd's rejection", err)
	}
	if after := state(t, path); after != before {
		t.Errorf("file changed: %+v -> %+v", before, after)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestInstallBackupAndMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dhcpd.conf")
	if err := os.WriteFile(path, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	checked := ""
	if err := Install(path, []byte("new\n"), func(c string) error {
		b, err := os.ReadFile(c)
		checked = string(b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if checked != "new\n" {
		t.Errorf("check saw %q", checked)
	}
	if s := state(t, path); s.content != "new\n" {
		t.Errorf("content %q", s.content)
	}
	if b, _ := os.ReadFile(path + ".bak"); string(b) != "old\n" {
		t.Errorf("backup %q", b)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the old file's 0640", fi.Mode().Perm())
	}
	// A new file gets 0644 (less the umask).
	fresh := filepath.Join(dir, "new.conf")
	if err := Install(fresh, []byte("x\n"), nil); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm()&0o600 != 0o600 || fi.Mode().Perm()&0o022 != 0o644&0o022&^umask() {
		t.Errorf("new file mode %v", fi.Mode().Perm())
	}
	if _, err := os.Stat(fresh + ".bak"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("backup of a file that did not exist: %v", err)
	}
}

func umask() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
}

func TestFindService(t *testing.T) {
	touch := func(root, p string) {
		t.Helper()
		p = filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Debian with systemd: init script only, enabled through systemctl.
	deb := t.TempDir()
	touch(deb, "run/systemd/system/.keep")
	touch(deb, "etc/init.d/isc-dhcp-server")
	s, err := FindService(deb, ISC)
	if err != nil || strings.Join(s.EnableCommand(), " ") != "systemctl enable isc-dhcp-server" || s.RestartCommand() != "systemctl restart isc-dhcp-server" {
		t.Errorf("debian: %+v %v", s, err)
	}
	// CentOS 5 / trixbox: sysvinit with chkconfig.
	cent := t.TempDir()
	touch(cent, "etc/init.d/dhcpd")
	touch(cent, "sbin/chkconfig")
	s, err = FindService(cent, ISC)
	if err != nil || strings.Join(s.EnableCommand(), " ") != "chkconfig dhcpd on" || s.RestartCommand() != "/etc/init.d/dhcpd restart" {
		t.Errorf("centos: %+v %v", s, err)
	}
	// Debian without systemd.
	sysv := t.TempDir()
	touch(sysv, "etc/init.d/kea-dhcp4-server")
	touch(sysv, "usr/sbin/update-rc.d")
	s, err = FindService(sysv, Kea)
	if err != nil || strings.Join(s.EnableCommand(), " ") != "update-rc.d kea-dhcp4-server defaults" {
		t.Errorf("sysv: %+v %v", s, err)
	}
	if _, err := FindService(t.TempDir(), Dnsmasq); err == nil {
		t.Error("found a service in an empty root")
	}
}

func TestDefaultPath(t *testing.T) {
	root := t.TempDir()
	if got := ISC.DefaultPath(root); got != "/etc/dhcp/dhcpd.conf" {
		t.Errorf("empty root: %s", got)
	}
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/dhcpd.conf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := ISC.DefaultPath(root); got != "/etc/dhcpd.conf" {
		t.Errorf("CentOS layout: %s", got)
	}
	if err := os.Mkdir(filepath.Join(root, "etc/dhcp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := ISC.DefaultPath(root); got != "/etc/dhcp/dhcpd.conf" {
		t.Errorf("both: %s", got)
	}
}

// applyUnified rebuilds b from a and a unified diff, checking every
// context and removed line and every hunk header against a.
func applyUnified(t *testing.T, a, diff string) string {
	t.Helper()
	al := splitLines(a)
	lines := strings.SplitAfter(diff, "\n")
	if !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		t.Fatalf("no header:\n%s", diff)
	}
	var out []string
	pos := 0
	for i := 2; i < len(lines) && lines[i] != ""; {
		h := strings.TrimSuffix(lines[i], "\n")
		f := strings.Fields(h)
		if len(f) != 4 || f[0] != "@@" || f[3] != "@@" {
			t.Fatalf("bad hunk header %q", h)
		}
		aStart, aLen := hunkNums(t, f[1][1:])
		_, bLen := hunkNums(t, f[2][1:])
		start := aStart - 1
		if aLen == 0 {
			start = aStart
		}
		out = append(out, al[pos:start]...)
		pos = start
		i++
		var na, nb int
		for i < len(lines) && lines[i] != "" && !strings.HasPrefix(lines[i], "@@") {
			op, l := lines[i][0], lines[i][1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\\ No newline") {
				l = strings.TrimSuffix(l, "\n")
				i++
			}
			switch op {
			case ' ':
				if al[pos] != l {
					t.Fatalf("context %q != %q", l, al[pos])
				}
				out = append(out, l)
				pos++
				na++
				nb++
			case '-':
				if al[pos] != l {
					t.Fatalf("removed %q != %q", l, al[pos])
				}
				pos++
				na++
			case '+':
				out = append(out, l)
				nb++
			}
			i++
		}
		if na != aLen || nb != bLen {
			t.Fatalf("hunk %q has %d/%d lines", h, na, nb)
		}
	}
	out = append(out, al[pos:]...)
	return strings.Join(out, "")
}

func hunkNums(t *testing.T, s string) (start, n int) {
	t.Helper()
	a, b, ok := strings.Cut(s, ",")
	start, err := strconv.Atoi(a)
	if err != nil {
		t.Fatal(err)
	}
	n = 1
	if ok {
		if n, err = strconv.Atoi(b); err != nil {
			t.Fatal(err)
		}
	}
	return start, n
}

func TestUnifiedDiff(t *testing.T) {
	lines := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i) + "\n")
		}
		return b.String()
	}
	base := lines(40, func(i int) string { return fmt.Sprint("line ", i) })
	cases := []string{
		"",
		"only\n",
		base,
		strings.Replace(base, "line 3\n", "", 1),
		strings.Replace(base, "line 3\n", "line 3\nnew\n", 1),
		strings.Replace(strings.Replace(base, "line 5\n", "five\n", 1), "line 30\n", "thirty\n", 1),
		strings.Replace(strings.Replace(base, "line 5\n", "five\n", 1), "line 10\n", "ten\n", 1),
		base + "tail",
		"line 0\n" + "x\n",
		lines(40, func(i int) string { return fmt.Sprint("other ", i%7) }),
	}
	for _, a := range cases {
		for _, b := range cases {
			d := UnifiedDiff("a", "b", []byte(a), []byte(b))
			if a == b {
				if d != "" {
					t.Errorf("diff of equal texts: %q", d)
				}
				continue
			}
			if got := applyUnified(t, a, d); got != b {
				t.Fatalf("diff does not turn a into b:\n%s\ngot:\n%q\nwant:\n%q", d, got, b)
			}
		}
	}
	d := UnifiedDiff("a", "b", []byte(base), []byte(strings.Replace(base, "line 20\n", "twenty\n", 1)))
	want := "--- a\n+++ b\n@@ -18,7 +18,7 @@\n line 17\n line 18\n line 19\n-line 20\n+twenty\n line 21\n line 22\n line 23\n"
	if d != want {
		t.Errorf("got\n%s\nwant\n%s", d, want)
	}
}
