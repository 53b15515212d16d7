package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// IssabelPBX's PJSIP Settings page says of Bind Port "It is recommended
// to leave this blank" (sipsettings/page.pjsipsettings.php:318), its
// validator stores a blank field as the empty string (is_ip_port checks only a non-empty value),
// and core writes the transports from it with the default when blank:
// $bindport = ($value is not empty)?$value:$bindport_df; with $bindport_df = 5066
// (core/functions.inc.php generate_pjsip_transport_additional), so
// chan_pjsip listens on bind=0.0.0.0:5066. setup-cisco takes the blank row
// as "not a port": every PJSIP line's phone becomes a bad row (exit 1 on
// every run, its SIP<MAC>.cnf never written or updated) though the port is
// known. Right: 5066, exit 0.
func TestBreaker15IssabelBlankPJSIPBindport(t *testing.T) {
	schema, err := os.ReadFile(filepath.Join("testdata", "b14", "issabel.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, string(schema), "", "")
	s.mustCLI("phone", "add", "00112233BB01", "300", "--model", "7960")
	s.db.MustExec(t, "UPDATE pjsipsettings SET data = '' WHERE keyword = 'bindport'")
	code, out := s.run()
	port := regexp.MustCompile(`(?m)^proxy1_port: "(\d+)"$`)
	m := port.FindStringSubmatch(s.file("SIP00112233BB01.cnf"))
	if code != 0 || m == nil || m[1] != "5066" {
		t.Errorf("pjsipsettings bindport '' (the page's recommended blank; Issabel writes bind=0.0.0.0:5066): exit %d, proxy1_port %v, want exit 0 and 5066; output %q", code, m, out)
	}
	// phone add refuses a PJSIP extension on such a site the same way.
	if code, out := s.cli("phone", "add", "00112233BB03", "300", "--model", "7940"); code != 0 {
		t.Errorf("phone add with pjsipsettings bindport '': exit %d %q", code, out)
	}
}
