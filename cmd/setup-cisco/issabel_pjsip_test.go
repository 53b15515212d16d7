package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// IssabelPBX's pjsipsettings (sipsettings install.php): a changed
// bindport is chan_pjsip's port (a blank one is Issabel's default 5066:
// TestBreaker15IssabelBlankPJSIPBindport); one that is not a port leaves
// it unknown, so a chan_pjsip line is a bad row naming the table (exit 1,
// its file not written with a guess), while the chan_sip line is written.
func TestIssabelPJSIPSettingsPort(t *testing.T) {
	schema, err := os.ReadFile(filepath.Join("testdata", "b14", "issabel.sql"))
	if err != nil {
		t.Fatal(err)
	}
	port := regexp.MustCompile(`(?m)^proxy1_port: "(\d+)"$`)

	s := newB12Site(t, string(schema)+"\nUPDATE pjsipsettings SET data = '5072' WHERE keyword = 'bindport';\n", "", "")
	s.mustCLI("phone", "add", "00112233BB01", "300", "--model", "7960")
	code, out := s.run()
	if m := port.FindStringSubmatch(s.file("SIP00112233BB01.cnf")); code != 0 || m == nil || m[1] != "5072" {
		t.Errorf("pjsipsettings bindport 5072: proxy1_port %v, exit %d %q", m, code, out)
	}

	s = newB12Site(t, string(schema), "", "")
	s.mustCLI("phone", "add", "00112233BB01", "300", "--model", "7960")
	s.mustCLI("phone", "add", "00112233BB02", "301", "--model", "7960")
	s.db.MustExec(t, "UPDATE pjsipsettings SET data = '50x' WHERE keyword = 'bindport'")
	code, out = s.run()
	if code != 1 || !strings.Contains(out, "pjsipsettings bindport") {
		t.Errorf("pjsipsettings bindport 50x: exit %d, want 1 naming pjsipsettings; %q", code, out)
	}
	if m := port.FindStringSubmatch(s.file("SIP00112233BB02.cnf")); m == nil || m[1] != "5060" {
		t.Errorf("chan_sip line 301 with a bad chan_pjsip port: proxy1_port %v", m)
	}
}
