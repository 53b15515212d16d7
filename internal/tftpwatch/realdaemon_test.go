package tftpwatch

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestRealDaemons runs the real atftpd and dnsmasq --enable-tftp, each in a
// network namespace of its own on loopback, fetches one file that is there
// and one that is not with busybox's tftp client, and reads the daemon's
// log: the formats are the daemons' own, not copies. Needs root, unshare,
// ip and busybox (testdb.Tool: a failure under scripts/test, a skip elsewhere).
func TestRealDaemons(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace")
	}
	for _, tool := range []string{"unshare", "ip", "busybox"} {
		testdb.Tool(t, tool)
	}
	daemons := map[string]func(root, log string) string{
		"atftpd": func(root, log string) string {
			return "atftpd --daemon --no-fork --logfile " + log + " --verbose=7 --bind-address 127.0.0.1 " + root
		},
		"dnsmasq": func(root, log string) string {
			return "dnsmasq --keep-in-foreground --port=0 --enable-tftp --tftp-root=" + root +
				" --listen-address=127.0.0.1 --bind-interfaces --log-facility=" + log +
				" --pid-file=" + filepath.Dir(log) + "/dnsmasq.pid --conf-file=/dev/null"
		},
	}
	for name, cmd := range daemons {
		t.Run(name, func(t *testing.T) {
			testdb.Tool(t, name)
			// The daemons serve as nobody: a world-readable tree.
			dir, err := os.MkdirTemp("", "tftpwatch-")
			if err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(dir)
			root := filepath.Join(dir, "root")
			os.Mkdir(root, 0o755)
			os.Chmod(dir, 0o755)
			os.WriteFile(filepath.Join(root, "SIPDefault.cnf"), []byte("image_version: \"P0S3-8-12-00\"\n"), 0o644)
			log := filepath.Join(dir, name+".log")
			os.WriteFile(log, nil, 0o666)
			os.Chmod(log, 0o666)
			script := `set -e
ip link set lo up
PATH=$PATH:/usr/sbin
` + cmd(root, log) + ` &
pid=$!
for i in $(seq 50); do busybox tftp -g -r SIPDefault.cnf -l ` + dir + `/got 127.0.0.1 2>/dev/null && break; sleep 0.1; done
busybox tftp -g -r SIP001122334455.cnf -l ` + dir + `/got2 127.0.0.1 2>/dev/null || true
busybox tftp -g -r "$(printf 'SIP001122334455.cnf\033[2J\033]0;x\007')" -l ` + dir + `/got3 127.0.0.1 2>/dev/null || true
sleep 0.5
kill $pid
wait $pid || true
`
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if out, err := exec.CommandContext(ctx, "unshare", "-n", "sh", "-c", script).CombinedOutput(); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			lines := readLines(t, log)
			p := NewParser()
			p.Root = root
			tr := &Tracker{Root: root}
			var sent, missing bool
			var shown []string
			for _, l := range lines {
				e, ok := p.Line(l)
				if !ok || e.Client.String() != "127.0.0.1" {
					continue
				}
				sent = sent || (e.Kind == Sent && e.File == "SIPDefault.cnf")
				missing = missing || (e.Kind == NotFound && e.File == "SIP001122334455.cnf")
				shown = append(shown, tr.Handle(e))
			}
			if !sent || !missing || p.Known == 0 {
				t.Errorf("sent %v, not found %v, known %d of %d lines:\n%s", sent, missing, p.Known, p.Lines, strings.Join(lines, "\n"))
			}
			// The daemon names the directory it serves (atftpd
			// "directory: ROOT/", dnsmasq "TFTP root is ROOT").
			if filepath.Clean(p.DaemonRoot) != root || p.Daemon != name {
				t.Errorf("daemon root %q (%s), want %s", p.DaemonRoot, p.Daemon, root)
			}
			// The request with escape sequences in its name: logged
			// byte for byte by atftpd, shown quoted (dnsmasq's logging
			// drops the control characters itself).
			out := strings.Join(append(shown, tr.Summary()...), "\n")
			want := `\x1b[2J`
			if name == "dnsmasq" {
				want = "SIP001122334455.cnf[2J]0;x"
			}
			if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, want) {
				t.Errorf("escape sequences shown raw, or the request not at all:\n%s\nlog:\n%q", out, lines)
			}
		})
	}
}
