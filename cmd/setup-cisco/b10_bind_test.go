package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// b10Run runs bindRun with the SQL from testdata/b10/NAME.
func b10Run(t *testing.T, extra, site string) (int, string, string) {
	t.Helper()
	return bindRun(t, filepath.Join("testdata", "b10", extra), site)
}

// bindRun loads FreePBX 16's tables plus the SQL file sqlFile, adds a 7960
// with 1601 (chan_sip) and 1602 (chan_pjsip) and runs a write with the
// settings file's text site. It returns the exit code, output and the
// phone's SIP<MAC>.cnf; a phone add refused is the outcome, returned then.
func bindRun(t *testing.T, sqlFile, site string) (int, string, string) {
	t.Helper()
	add, err := os.ReadFile(sqlFile)
	if err != nil {
		t.Fatal(err)
	}
	db, cleanup, err := testdb.CreateWith(testdb.BaseDSN(t), testdb.Generation("freepbx16")+"\n"+string(add))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	dir := reachableTempDir(t)
	root := filepath.Join(dir, "tftp")
	os.MkdirAll(root, 0o755)
	conf := filepath.Join(dir, "site.conf")
	os.WriteFile(conf, []byte(site+"templates = "+dir+"/templates\n"), 0o644)
	cli := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := Main(append([]string{"--db-dsn", db.DSN}, args...), &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := cli("phone", "add", "00112233AA01", "1601,1602", "--model", "7960"); code != 0 {
		return code, out, ""
	}
	code, out := cli("-c", conf, "-r", root)
	cnf, _ := os.ReadFile(filepath.Join(root, "SIP00112233AA01.cnf"))
	return code, out, string(cnf)
}

func proxyOf(cnf string, n int) string {
	m := regexp.MustCompile(`(?m)^proxy` + string(rune('0'+n)) + `_address: "([^"]*)"$`).FindStringSubmatch(cnf)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestB10PJSIPBoundIPv6Only: chan_pjsip's only UDP bind is [2001:db8::5].
// Today (c21c212): exit 0, proxy2_address "2001:db8::5" written into
// SIP<MAC>.cnf - an address setup-cisco refuses as proxy_address ("the
// 7940/7960 speak IPv4 only"); the phone cannot parse or reach it. Right: the
// pjsip line is a bad row / the run exits 1 naming the IPv6-only bind; no
// IPv6 address in any proxyN_address.
func TestB10PJSIPBoundIPv6Only(t *testing.T) {
	code, out, cnf := b10Run(t, "pjsip-ipv6-only.sql", "proxy_address = 192.0.2.10\n")
	if p := proxyOf(cnf, 2); strings.Contains(p, ":") {
		t.Errorf("exit %d: pjsip line sent to IPv6 %q, which a 7940/7960 cannot use; output %q", code, p, out)
	}
	if code == 0 {
		t.Errorf("exit 0 though chan_pjsip listens on IPv6 only; output %q", out)
	}
}

// TestB10ChanSIPBindLoopback: chan_sip bindaddr 127.0.0.1. Today: exit 0,
// proxy1_address "127.0.0.1" - the phone talks to itself; the same value as
// proxy_address is refused. Right: exit 1 naming bindaddr 127.0.0.1 (chan_sip
// cannot be reached by phones), never 127.0.0.1 in a phone's file.
func TestB10ChanSIPBindLoopback(t *testing.T) {
	code, out, cnf := b10Run(t, "chansip-bindaddr-loopback.sql", "proxy_address = 192.0.2.10\n")
	if p := proxyOf(cnf, 1); strings.HasPrefix(p, "127.") {
		t.Errorf("exit %d: chan_sip line sent to %q; output %q", code, p, out)
	}
	if code == 0 || !strings.Contains(out, "127.0.0.1") {
		t.Errorf("exit %d, output does not refuse bindaddr 127.0.0.1: %q", code, out)
	}
}

// TestB10ChanSIPBindBehindNAT: chan_sip bound to the PBX's LAN address
// 10.0.0.5; remote phones reach it through the router's public address
// 203.0.113.7 (proxy_address, explicitly set; nat_enable/nat_address for the
// phones' own NAT). Today: proxy1_address "10.0.0.5" - a private address of
// another site the phones cannot reach; proxy_address silently overridden
// (only a -v note). Right: an explicitly set proxy_address (or --proxy) is
// what the admin chose and is kept (at most a warning), or the conflict is an
// error; never a silent exit 0 with 10.0.0.5.
func TestB10ChanSIPBindBehindNAT(t *testing.T) {
	site := "proxy_address = 203.0.113.7\nnat_enable = 1\nnat_address = 198.51.100.20\n"
	code, out, cnf := b10Run(t, "chansip-bindaddr-lan.sql", site)
	if p := proxyOf(cnf, 1); p == "10.0.0.5" && code == 0 && !strings.Contains(out, "10.0.0.5") {
		t.Errorf("exit 0, silent: chan_sip line sent to 10.0.0.5, not the proxy_address 203.0.113.7 the phones reach the PBX through")
	}
}

// TestB10PJSIPTwoBindsProxyIsOne: chan_pjsip on 10.0.0.5:5070 and
// 192.0.2.10:5070; proxy_address 192.0.2.10 is one of them. Today: the pjsip
// line is moved to 10.0.0.5 (the lowest bind), an address the phone VLAN may
// not route to, while the chan_sip line stays on 192.0.2.10. Right: the proxy
// address is kept when the driver listens on it.
func TestB10PJSIPTwoBindsProxyIsOne(t *testing.T) {
	code, out, cnf := b10Run(t, "pjsip-two-binds.sql", "proxy_address = 192.0.2.10\n")
	if p := proxyOf(cnf, 2); p != "192.0.2.10" {
		t.Errorf("exit %d: pjsip line sent to %q, not proxy_address 192.0.2.10 (a bound address); output %q\n%s", code, p, out, cnf)
	}
}

// TestB10PJSIPPortOverrideOtherBind: binds 192.0.2.5:5070 and
// 192.0.2.10:5062; settings pjsip_port = 5062. Today: proxy2 =
// 192.0.2.5:5062 (the lowest bind's address with the override's port):
// nothing listens there. Right: 192.0.2.10:5062 (the bind with that port),
// or an error naming the binds.
func TestB10PJSIPPortOverrideOtherBind(t *testing.T) {
	code, out, cnf := b10Run(t, "pjsip-two-binds-two-ports.sql", "proxy_address = 192.0.2.10\npjsip_port = 5062\n")
	port := regexp.MustCompile(`(?m)^proxy2_port: "(\d+)"$`).FindStringSubmatch(cnf)
	if p := proxyOf(cnf, 2); code == 0 && port != nil && p+":"+port[1] != "192.0.2.10:5062" {
		t.Errorf("exit 0: pjsip line sent to %s:%s; chan_pjsip listens on 192.0.2.5:5070 and 192.0.2.10:5062; output %q", p, port[1], out)
	}
}
