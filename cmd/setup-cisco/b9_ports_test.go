package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// b9Run loads FreePBX 16's tables plus extra (testdata/b9/NAME), adds a 7960
// with 1601 (chan_sip) and 1602 (chan_pjsip) and runs a write with
// proxy_address 192.0.2.10 (b10Run). It returns the exit code, output and
// the phone's SIP<MAC>.cnf.
func b9Run(t *testing.T, extra string) (int, string, string) {
	t.Helper()
	return bindRun(t, filepath.Join("testdata", "b9", extra), "proxy_address = 192.0.2.10\n")
}

// TestB9PJSIPNoUDPBind: chan_pjsip with only a TLS transport on (source:
// FreePBX sipsettings' binds key, Sipsettings::getBinds). Today the run
// exits 0 and silently gives the pjsip line proxy2_port "5060" ("default:
// not found in the database"), a port chan_pjsip does not listen on (chan_sip
// is on 5160 here): the line never registers. Right: the line is a bad row
// (exit 1) naming extension 1602 and that chan_pjsip has no UDP transport on
// (or, at the least, a warning without -v and no invented port).
func TestB9PJSIPNoUDPBind(t *testing.T) {
	code, out, cnf := b9Run(t, "freepbx16-pjsip-tls-only.sql")
	if regexp.MustCompile(`(?m)^proxy2_port: "5060"$`).MatchString(cnf) && code == 0 {
		t.Errorf("exit 0 and pjsip line 1602 given port 5060, where chan_pjsip has no UDP transport:\n%s\n%s", out, cnf)
	}
	if !strings.Contains(out, "1602") || !strings.Contains(strings.ToLower(out), "udp") {
		t.Errorf("output does not name extension 1602 and the missing UDP bind:\n%q", out)
	}
}

// TestB9PJSIPBindOnOtherAddress: chan_pjsip bound only to 192.0.2.5:5070
// while phones are sent to 192.0.2.10. Today: exit 0, silent, proxy2 =
// 192.0.2.10:5070, where nothing listens. Right: the pjsip line goes to
// the bind's address (192.0.2.5:5070), or the run warns (without -v) and
// exits 1 naming the bind and the proxy address.
func TestB9PJSIPBindOnOtherAddress(t *testing.T) {
	code, out, cnf := b9Run(t, "freepbx16-pjsip-bind-other-address.sql")
	if !regexp.MustCompile(`(?m)^proxy2_port: "5070"$`).MatchString(cnf) {
		t.Fatalf("pjsip port not 5070:\n%s", cnf)
	}
	toBind := regexp.MustCompile(`(?m)^proxy2_address: "192\.0\.2\.5"$`).MatchString(cnf)
	// proxy_address is set: kept (NAT: b10), and the mismatch said.
	warned := strings.Contains(out, "warning: chan_pjsip listens on 192.0.2.5:5070")
	if !toBind && !warned {
		t.Errorf("exit %d, pjsip line sent to 192.0.2.10:5070 while chan_pjsip listens only on 192.0.2.5:5070; output %q\n%s", code, out, cnf)
	}
}

// TestB9ChanSIPBindAddr: chan_sip bound to 192.0.2.5 only (sipsettings
// 'bindaddr'), phones given 192.0.2.10. Today: exit 0, silent, proxy1 =
// 192.0.2.10:5160. Right: as for a pjsip bind, the line goes to 192.0.2.5 or
// the run warns and exits 1 naming bindaddr 192.0.2.5.
func TestB9ChanSIPBindAddr(t *testing.T) {
	code, out, cnf := b9Run(t, "freepbx16-chansip-bindaddr.sql")
	if !regexp.MustCompile(`(?m)^proxy1_port: "5160"$`).MatchString(cnf) {
		t.Fatalf("chan_sip port not 5160:\n%s", cnf)
	}
	toBind := regexp.MustCompile(`(?m)^proxy1_address: "192\.0\.2\.5"$`).MatchString(cnf)
	warned := strings.Contains(out, "warning: chan_sip listens on 192.0.2.5 only")
	if !toBind && !warned {
		t.Errorf("exit %d, chan_sip line sent to 192.0.2.10:5160 while chan_sip binds only 192.0.2.5; output %q", code, out)
	}
}
