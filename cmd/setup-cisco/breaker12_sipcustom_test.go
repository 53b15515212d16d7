package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB12ChanSIPPortFromSipGeneralCustom: FreePBX's sip.conf (core
// etc/sip.conf, release/16.0) includes sip_general_additional.conf (what
// Settings > Asterisk SIP Settings writes from the sipsettings table) and
// then sip_general_custom.conf, "the proper file location for placing any
// sip general options"; chan_sip takes the last bindport it reads. Moving
// chan_sip off 5060 with "bindport=5066" in sip_general_custom.conf is the
// classic FreePBX 2.x/trixbox recipe (before the GUI had the field) and
// still works on every generation. Today setup-cisco, given that directory
// with --asterisk-conf, sends chan_sip lines to the sipsettings port (5160
// here), exit 0, without a word: the phones register to a port chan_sip does
// not listen on. Right: the chan_sip line gets 5066, or the run warns (no
// -v needed) naming sip_general_custom.conf and its bindport.
func TestB12ChanSIPPortFromSipGeneralCustom(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	ast := filepath.Join(t.TempDir(), "asterisk")
	os.MkdirAll(ast, 0o755)
	os.WriteFile(filepath.Join(ast, "sip_general_custom.conf"), []byte("; moved off 5060 (SIP scanners)\nbindport=5066\n"), 0o644)
	s.mustCLI("phone", "add", "00112233AA08", "1601", "--model", "7940")
	code, out := s.run("--asterisk-conf", ast)
	cnf := s.file("SIP00112233AA08.cnf")
	if regexp.MustCompile(`(?m)^proxy1_port: "5066"$`).MatchString(cnf) {
		return
	}
	if !strings.Contains(out, "sip_general_custom.conf") {
		t.Errorf("exit %d: chan_sip line 1601 given %q while sip_general_custom.conf sets bindport=5066; output %q",
			code, regexp.MustCompile(`(?m)^proxy1_port: .*$`).FindString(cnf), out)
	}
}
