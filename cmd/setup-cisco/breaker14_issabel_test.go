package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestB14IssabelPJSIPPort: setup-cisco reads Issabel's credentials
// (/etc/issabelpbx.conf, a3ecc8f) but not where Issabel keeps chan_pjsip's
// port. IssabelPBX has no Sipsettings key-value store: its own table
// pjsipsettings holds bindport, 5066 by default (sipsettings/install.php),
// and core writes the transports as bind=0.0.0.0:5066 (core/functions.inc.php
// generate_pjsip_transport_additional); chan_sip keeps 5060 (sipsettings
// bindport). Fixture: testdata/b14/issabel.sql, tables from Issabel's
// installer. A 7960 with Issabel PJSIP extension 300 is written with
// proxy1_port "5060": the phone registers to chan_sip, which has no peer
// 300 (Issabel generates chan_sip peers for tech 'sip' only), so the line
// never registers; exit 0, nothing said. Right: port 5066, or a bad row /
// warning naming pjsipsettings.
func TestB14IssabelPJSIPPort(t *testing.T) {
	schema, err := os.ReadFile(filepath.Join("testdata", "b14", "issabel.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, string(schema), "", "")
	s.mustCLI("phone", "add", "00112233BB01", "300", "--model", "7960")
	s.mustCLI("phone", "add", "00112233BB02", "301", "--model", "7960")
	code, out := s.run()
	port := regexp.MustCompile(`(?m)^proxy1_port: "(\d+)"$`)
	if m := port.FindStringSubmatch(s.file("SIP00112233BB02.cnf")); m == nil || m[1] != "5060" {
		t.Errorf("chan_sip line 301: proxy1_port %v, want 5060 (sipsettings bindport); exit %d %q", m, code, out)
	}
	if m := port.FindStringSubmatch(s.file("SIP00112233BB01.cnf")); m != nil && m[1] != "5066" {
		t.Errorf("exit %d: Issabel PJSIP line 300 sent to port %s (chan_sip's), chan_pjsip listens on pjsipsettings bindport 5066; output %q", code, m[1], out)
	}
}
