package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// A dnsmasq that serves DNS (and maybe DHCP) for the whole site gets a
// drop-in that adds options 150 and 66 and leaves DNS on: the real dnsmasq
// accepts main file plus drop-in, and, run in a network namespace of its
// own, still answers a DNS query on its loopback.
func TestDnsmasqDropInKeepsDNS(t *testing.T) {
	testdb.Tool(t, "dnsmasq")
	for _, tc := range []struct {
		name      string
		main      string   // %s is the conf dir
		others    []string // other drop-ins: name=content
		args      []string
		wantRange bool
		dhcpOnly  bool // the old DHCP-only file: DNS must go off (the test can fail)
	}{
		{name: "pihole", main: piholeMain + "dhcp-range=192.0.2.100,192.0.2.150,12h\n",
			others: []string{"01-pihole.conf=domain-needed\nbogus-priv\ncache-size=10000\nlocal-service\n", "02-pihole-dhcp.conf=dhcp-option=option:router,192.0.2.1\ndhcp-authoritative\n"}},
		{name: "range-in-another-drop-in", main: piholeMain,
			others: []string{"02-dhcp.conf=dhcp-range=set:lan,192.0.2.100,192.0.2.150,255.255.255.0,12h\n"}},
		{name: "dns-only", main: piholeMain, wantRange: true,
			args: []string{"--subnet", "192.0.2.0/24", "--router", "192.0.2.1", "--range", "192.0.2.100-192.0.2.150"}},
		{name: "dns-only-bak-range-ignored", main: strings.Replace(piholeMain, ",*.conf", ",.bak", 1), wantRange: true,
			others: []string{"old.conf.bak=dhcp-range=192.0.2.100,192.0.2.150\n"},
			args:   []string{"--subnet", "192.0.2.0/24", "--router", "192.0.2.1", "--range", "192.0.2.100-192.0.2.150"}},
		// dnsmasq on its default port 53 (in the namespace) with the old
		// DHCP-only file dropped in: port=0 switches DNS off.
		{name: "dhcp-only-switches-dns-off", main: strings.Replace(piholeMain, "port=5353\n", "", 1), dhcpOnly: true,
			args: []string{"--subnet", "192.0.2.0/24", "--router", "192.0.2.1", "--range", "192.0.2.100-192.0.2.150", "--dns", "192.0.2.1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			confDir := filepath.Join(dir, "dnsmasq.d")
			os.Mkdir(confDir, 0o755)
			main := filepath.Join(dir, "dnsmasq.conf")
			os.WriteFile(main, []byte(fmt.Sprintf(tc.main, confDir)), 0o644)
			for _, o := range tc.others {
				name, content, _ := strings.Cut(o, "=")
				os.WriteFile(filepath.Join(confDir, name), []byte(content), 0o644)
			}
			out := filepath.Join(confDir, "setup-dhcp.conf")
			args := append([]string{"--format", "dnsmasq", "--out", out, "--tftp-server", "192.0.2.5,192.0.2.6"}, tc.args...)
			if tc.dhcpOnly {
				args = append(args, "--dhcp-only")
			} else {
				args = append(args, "--dnsmasq-conf", main)
			}
			var so, se bytes.Buffer
			if code := run(args, &so, &se); code != exitOK {
				t.Fatalf("setup-dhcp %v: exit %d\n%s%s", args, code, so.String(), se.String())
			}
			b, _ := os.ReadFile(out)
			dropIn := string(b)
			if !strings.Contains(dropIn, "dhcp-option=150,192.0.2.5,192.0.2.6\n") || !strings.Contains(dropIn, "dhcp-option=66,\"192.0.2.5\"\n") {
				t.Errorf("options 150/66 missing:\n%s", dropIn)
			}
			if !tc.dhcpOnly {
				for _, bad := range []string{"port=", "interface=", "dns-server", "no-resolv", "listen-address"} {
					if strings.Contains(dropIn, bad) {
						t.Errorf("drop-in changes another service (%s):\n%s", bad, dropIn)
					}
				}
				if got := strings.Contains(dropIn, "dhcp-range="); got != tc.wantRange {
					t.Errorf("dhcp-range in drop-in: %v, want %v:\n%s", got, tc.wantRange, dropIn)
				}
			}
			if o, err := exec.Command("dnsmasq", "--test", "-C", main).CombinedOutput(); err != nil {
				t.Fatalf("dnsmasq --test: %v\n%s", err, o)
			}
			port := "5353"
			if !strings.Contains(tc.main, "port=5353") {
				port = "53"
			}
			answered := dnsmasqAnswers(t, main, dir, port)
			if answered == tc.dhcpOnly {
				t.Errorf("DNS answering: %v, want %v; drop-in:\n%s", answered, !tc.dhcpOnly, dropIn)
			}
		})
	}
}

// piholeMain is a main file in the style of Pi-hole's: DNS on a port of its
// own (5353), the rest in a conf-dir.
const piholeMain = `# Pi-hole style: DNS for the site, more in the conf dir.
port=5353
listen-address=127.0.0.1
bind-interfaces
no-resolv
address=/phones.test/192.0.2.77
conf-dir=%s,*.conf
`

// dnsmasqAnswers runs dnsmasq with main in a network namespace of its own
// and reports whether it answers phones.test on 127.0.0.1:port there.
func dnsmasqAnswers(t *testing.T, main, dir, port string) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("running dnsmasq in a namespace needs root")
	}
	if err := exec.Command("unshare", "-n", "true").Run(); err != nil {
		t.Skipf("unshare -n: %v", err)
	}
	self, _ := os.Executable()
	script := `ip link set lo up || exit 3
dnsmasq -k -C "$MAIN" --pid-file= --dhcp-leasefile="$DIR/leases" --user=root --log-facility=- 2>"$DIR/dnsmasq.log" &
pid=$!
"$SELF" -test.run='^TestHelperDNSQuery$'
rc=$?
kill $pid; wait $pid 2>/dev/null
exit $rc`
	cmd := exec.Command("unshare", "-n", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "MAIN="+main, "DIR="+dir, "SELF="+self, "SETUP_DHCP_DNS_HELPER=1", "SETUP_DHCP_DNS_PORT="+port)
	out, err := cmd.CombinedOutput()
	log, _ := os.ReadFile(filepath.Join(dir, "dnsmasq.log"))
	t.Logf("query: %s\ndnsmasq: %s", out, log)
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		t.Fatalf("setting up the namespace: %s", out)
	}
	return err == nil && strings.Contains(string(out), "192.0.2.77")
}

// TestHelperDNSQuery is run by dnsmasqAnswers inside the namespace.
func TestHelperDNSQuery(t *testing.T) {
	if os.Getenv("SETUP_DHCP_DNS_HELPER") != "1" {
		t.Skip("helper for TestDnsmasqDropInKeepsDNS")
	}
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "udp", "127.0.0.1:"+os.Getenv("SETUP_DHCP_DNS_PORT"))
	}}
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		addrs, err := r.LookupHost(ctx, "phones.test")
		cancel()
		if err == nil {
			fmt.Println("answer:", strings.Join(addrs, " "))
			return
		}
	}
	t.Fatal("no DNS answer from dnsmasq on 127.0.0.1:" + os.Getenv("SETUP_DHCP_DNS_PORT"))
}
