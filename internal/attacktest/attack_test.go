// Package attacktest plays the local attacker of issue 11.5 against the
// built setup-cisco and setup-dhcp, run as root: the TFTP root is
// world-writable as the how-to leaves it (0777, and 1777), and every name
// the tools create or read there is planted beforehand as a symbolic link
// out of the root (to a secret, to a name that does not exist yet, to a
// directory), as a FIFO, or as a hard link to a file outside. Then every command runs: the
// run, --diff, --dry-run, phone add/list, firmware import, hook run,
// doctor, watch, setup-dhcp (generate, --diff, --merge) into a file there.
// Nothing outside the root may change (a sentinel tree is hashed before
// and after: names, types, modes, owners, link targets, contents, change
// times), nothing of the secret may be printed, and no command may hang.
package attacktest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// The sample site's phones (internal/testdb), as write.txtar adds them.
var phones = []struct{ mac, lines, model string }{
	{"001122AABBCC", "1001,1003", "7960"},
	{"001122AABBCD", "2001", "7940"},
}

// nobody is the attacker's uid and gid.
const nobody = 65534

// secret is what the planted links point at; it must never be printed.
const secret = "SENTINEL-c0ffee-shadow-line root:$6$notforyoureyes"

// build compiles both tools once into dir.
func build(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", dir+"/", "./cmd/setup-cisco", "./cmd/setup-dhcp")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
}

// sentinel makes the tree outside the root the links point into.
func sentinel(t *testing.T, dir string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Join(dir, "dir"), 0o700))
	must(t, os.WriteFile(filepath.Join(dir, "secret"), []byte(secret+"\n"), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "dir", "inner"), []byte(secret+" (inner)\n"), 0o640))
	must(t, os.WriteFile(filepath.Join(dir, "public"), []byte("readable by all\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "hard"), []byte(secret+" (hard)\n"), 0o600))
}

// snapshot describes every entry under dir: enough that any write, chmod,
// chown, rename, link or creation shows (the change time moves with all of
// them).
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			return err
		}
		l := fmt.Sprintf("%s mode=%o uid=%d gid=%d nlink=%d size=%d ctime=%d.%d", p, st.Mode, st.Uid, st.Gid, st.Nlink, st.Size, st.Ctim.Sec, st.Ctim.Nsec)
		if filepath.Base(p) == "hard" {
			// Its second name is in the root: replacing that entry (as it
			// must be) drops the link count and so moves the change time.
			// The link count is checked on its own below.
			l = fmt.Sprintf("%s mode=%o uid=%d gid=%d size=%d", p, st.Mode, st.Uid, st.Gid, st.Size)
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			l += " -> " + target
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			l += fmt.Sprintf(" sha256=%x", sha256.Sum256(b))
		}
		lines = append(lines, l)
		return nil
	})
	must(t, err)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// plant puts the attacker's entries at every name the tools use in root.
func plant(t *testing.T, root, outside string) {
	t.Helper()
	sec := filepath.Join(outside, "secret")
	// Planted by another user (nobody), as an attacker would: a link of
	// root's own in a directory only root controls is the admin's.
	link := func(name, target string) {
		p := filepath.Join(root, name)
		must(t, os.Symlink(target, p))
		must(t, os.Lchown(p, nobody, nobody))
	}
	n := 0
	fresh := func() string { n++; return filepath.Join(outside, fmt.Sprintf("created-%d", n)) }
	// The files of a run: some point at the secret (read for --diff?),
	// some at names that do not exist (created through the link?), one
	// at a directory.
	files := []string{"SIPDefault.cnf", "OS79XX.TXT", "XMLDefault.cnf.xml", "dialplan.xml", "RINGLIST.DAT", "syncinfo.xml"}
	for _, p := range phones {
		files = append(files, "SIP"+p.mac+".cnf", "SEP"+p.mac+".cnf.xml")
	}
	for i, f := range files {
		switch i % 3 {
		case 0:
			link(f, sec)
		case 1:
			link(f, fresh())
		default:
			link(f, filepath.Join(outside, "dir"))
		}
		// The copy kept of a file we did not write.
		link(f+".before-setup-cisco", sec)
	}
	// State files, the old lock file, temporary names of every writer.
	for _, f := range []string{".setup-cisco-files", ".setup-cisco-sync", ".setup-cisco-inputs", ".setup-cisco-state",
		".setup-cisco.lock", ".setup-cisco-tmp-SIPDefault.cnf.123456", "..setup-cisco-files123456",
		".P0S3-8-12-00.loads.tmp-000000000000", ".dhcpd.conf.tmp-000000000000"} {
		link(f, sec)
	}
	link(".setup-cisco-generation", fresh())
	// Firmware images the import writes, setup-dhcp's file and backup.
	for _, f := range []string{"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "dhcpd.conf", "dhcpd.conf.bak", "merge.conf.bak"} {
		link(f, sec)
	}
	link("P003-8-12-00.sbn", fresh())
	// A hard link to a file outside, as another user can make where
	// fs.protected_hardlinks is 0 (made here by root, before the
	// snapshot): its mode and link count must stay, its content unread.
	must(t, os.Link(filepath.Join(outside, "hard"), filepath.Join(root, "SIP00AABBCCDD01.cnf")))
	// A FIFO must not hang a reader; a ring tone that is a link.
	must(t, unix.Mkfifo(filepath.Join(root, "fifo.raw"), 0o666))
	must(t, os.Lchown(filepath.Join(root, "fifo.raw"), nobody, nobody))
	link("ring.raw", sec)
	// A source directory for firmware import, inside the root.
	must(t, os.Mkdir(filepath.Join(root, "upload"), 0o777))
	must(t, os.Lchown(filepath.Join(root, "upload"), nobody, nobody))
	link("upload/P0S3-8-12-00.sb2", sec)
	link("upload/sub", outside)
}

type result struct {
	args []string
	out  string
	code int
}

func TestAttacker(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("plays the attacker against tools run as root: run as root (scripts/test does)")
	}
	for _, m := range []struct {
		name string
		mode fs.FileMode
	}{{"0777", 0o777}, {"1777", 0o777 | fs.ModeSticky}} {
		t.Run(m.name, func(t *testing.T) { attack(t, m.mode) })
	}
}

func attack(t *testing.T, mode fs.FileMode) {
	base := testdb.BaseDSN(t)
	db, cleanup, err := testdb.Create(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	if _, err := db.Exec(testdb.Sample); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	must(t, os.Chmod(tmp, 0o755))
	bin := filepath.Join(tmp, "bin")
	build(t, bin)
	root := filepath.Join(tmp, "tftpboot")
	outside := filepath.Join(tmp, "outside")
	must(t, os.Mkdir(root, 0o755))
	must(t, os.Chmod(root, mode))
	sentinel(t, outside)
	conf := filepath.Join(tmp, "site.conf")
	must(t, os.WriteFile(conf, []byte("proxy_address = 192.0.2.10\n"), 0o644))
	// A firmware bundle, outside the root as an admin downloads it.
	bundle := filepath.Join(tmp, "cmterm-7940-7960-sip.8-12.zip")
	writeZip(t, bundle, map[string]string{
		"P0S3-8-12-00.loads": "loads", "P0S3-8-12-00.sb2": "sb2", "P003-8-12-00.bin": "bin", "P003-8-12-00.sbn": "sbn",
	})
	// The TFTP log doctor and watch read (the admin's file, in the root).
	log := filepath.Join(root, "atftpd.log")
	must(t, os.WriteFile(log, []byte(
		"Nov 25 10:57:17 pbx atftpd[22660.1]: Serving SIP001122AABBCC.cnf to 192.0.2.20:50000\n"+
			"Nov 25 10:57:17 pbx atftpd[22660.2]: File ../outside/secret not found\n"+
			"Nov 25 10:57:18 pbx atftpd[22660.3]: Serving SIPDefault.cnf to 192.0.2.20:50001\n"), 0o644))
	// The hook's spool, writable by the web group: the trigger is a link.
	hookRoot := filepath.Join(tmp, "hookroot")
	spool := filepath.Join(hookRoot, "var", "spool", "setup-cisco")
	must(t, os.MkdirAll(spool, 0o770))
	must(t, os.Chmod(spool, 0o777))
	must(t, os.Symlink(filepath.Join(outside, "secret"), filepath.Join(spool, "trigger")))
	must(t, os.Lchown(filepath.Join(spool, "trigger"), nobody, nobody))

	dsn := db.DSN
	sc := func(args ...string) []string {
		return append([]string{"setup-cisco", "--db-dsn", dsn, "-c", conf, "-r", root}, args...)
	}
	for _, p := range phones {
		r := run(t, bin, nil, sc("phone", "add", p.mac, p.lines, "--model", p.model)...)
		if r.code != 0 {
			t.Fatalf("phone add: %d\n%s", r.code, r.out)
		}
	}
	plant(t, root, outside)
	before := snapshot(t, outside)

	dhcp := []string{"setup-dhcp", "--tftp-server", "192.0.2.10", "--subnet", "192.0.2.0/24", "--router", "192.0.2.1",
		"--range", "192.0.2.100-192.0.2.200", "--dns", "192.0.2.1"}
	mergeConf := filepath.Join(root, "merge.conf")
	commands := [][]string{
		sc("--diff"),
		sc("--dry-run"),
		sc("-v"),
		sc("-v"),
		sc("--diff"),
		sc("phone", "add", "00AABBCCDD01", "1002", "--model", "7940"),
		sc("phone", "list"),
		sc("-v"),
		sc("firmware", "import", bundle),
		sc("firmware", "import", filepath.Join(root, "upload")),
		sc("firmware", "list"),
		sc("hook", "run", "--root", hookRoot),
		sc("doctor", "--dhcpd-conf", filepath.Join(root, "dhcpd.conf"), "--tftp-log", log),
		sc("watch", "--log", log, "--from-start", "--once"),
		append(append([]string{}, dhcp...), "--out", filepath.Join(root, "dhcpd.conf"), "--diff"),
		append(append([]string{}, dhcp...), "--out", filepath.Join(root, "dhcpd.conf")),
		append(append([]string{}, dhcp...), "--out", filepath.Join(root, "new.conf")),
		append(append([]string{}, dhcp...), "--out", filepath.Join(root, "new.conf")),
		{"setup-dhcp", "--merge", "--tftp-server", "192.0.2.10", "--out", mergeConf, "--diff"},
		{"setup-dhcp", "--merge", "--tftp-server", "192.0.2.10", "--out", mergeConf},
	}
	must(t, os.WriteFile(mergeConf, []byte("subnet 192.0.2.0 netmask 255.255.255.0 {\n  range 192.0.2.100 192.0.2.200;\n}\n"), 0o666))
	var results []result
	for _, args := range commands {
		r := run(t, bin, []string{"HOME=" + tmp}, args...)
		results = append(results, r)
		t.Logf("%s: exit %d\n%s", strings.Join(r.args, " "), r.code, r.out)
		for _, leak := range []string{"SENTINEL", "notforyoureyes", "$6$"} {
			if strings.Contains(r.out, leak) {
				t.Errorf("%s printed the secret:\n%s", strings.Join(r.args, " "), r.out)
				break
			}
		}
	}
	var hard unix.Stat_t
	if err := unix.Lstat(filepath.Join(outside, "hard"), &hard); err != nil || hard.Nlink != 1 {
		t.Errorf("the hard-linked file outside has %d links after the runs, want 1 (its name in the root replaced, no new one): %v", hard.Nlink, err)
	}
	if after := snapshot(t, outside); after != before {
		t.Errorf("the tree outside the root changed:\n%s", lineDiff(before, after))
	}

	// The run took over: every phone file is now a regular 0644 file of
	// ours holding what setup-cisco writes, the links replaced.
	for _, f := range []string{"SIPDefault.cnf", "SIP001122AABBCC.cnf", "SEP001122AABBCD.cnf.xml", "syncinfo.xml", "P0S3-8-12-00.loads", "merge.conf.bak"} {
		fi, err := os.Lstat(filepath.Join(root, f))
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s is %v, %v; want a regular file replacing the link", f, fi, err)
			continue
		}
		if f != "merge.conf.bak" && fi.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v", f, fi.Mode())
		}
	}
	// The runs that write say what they replaced; a later run is quiet.
	if !strings.Contains(results[2].out, "symlink") && !strings.Contains(results[2].out, "not ours") && !strings.Contains(results[2].out, "replaced") {
		t.Errorf("the first run did not say it replaced planted links:\n%s", results[2].out)
	}
	if results[2].code != 0 && results[2].code != 1 {
		t.Errorf("the first run failed (%d)", results[2].code)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "SIPDefault.cnf")); !bytes.HasPrefix(b, []byte("image_version:")) {
		t.Errorf("SIPDefault.cnf = %.80q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "P0S3-8-12-00.loads")); string(b) != "loads" {
		t.Errorf("imported image = %q", b)
	}
	// setup-dhcp refuses a planted link at --out (not followed, not
	// replaced: the admin named that file), exit 2, the link left as it is.
	for _, i := range []int{14, 15} {
		if results[i].code != 2 || !strings.Contains(results[i].out, "not followed") {
			t.Errorf("%s: exit %d, want 2 and the link refused:\n%s", strings.Join(results[i].args, " "), results[i].code, results[i].out)
		}
	}
	if fi, err := os.Lstat(filepath.Join(root, "dhcpd.conf")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("dhcpd.conf is %v, %v; want the planted link left alone", fi, err)
	}
	if _, err := os.Lstat(filepath.Join(spool, "trigger")); err == nil {
		t.Error("hook run left the planted trigger")
	}
}

// run runs one of the built tools; a command that does not finish in a
// minute (a FIFO read, say) fails the test.
func run(t *testing.T, bin string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, args[0]), args[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s hangs:\n%s", strings.Join(args, " "), out)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	return result{args: args, out: string(out), code: code}
}

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create("P0S3-8-12-00/" + n)
		must(t, err)
		_, err = w.Write([]byte(files[n]))
		must(t, err)
	}
	must(t, zw.Close())
	must(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

func lineDiff(a, b string) string {
	in := map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		in[l] = true
	}
	out := map[string]bool{}
	for _, l := range strings.Split(b, "\n") {
		out[l] = true
	}
	var d []string
	for _, l := range strings.Split(a, "\n") {
		if !out[l] {
			d = append(d, "- "+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !in[l] {
			d = append(d, "+ "+l)
		}
	}
	return strings.Join(d, "\n")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
