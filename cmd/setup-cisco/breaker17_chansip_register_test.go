package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB17ChanSIPPeerRefusesRegister: chan_sip extensions whose FreePBX
// Transport is 'TLS Only' (1711) or whose Host is a fixed address (1712);
// testdata/b17/sip-transport-host.sql says why chan_sip answers each
// REGISTER from a 7940/7960 (UDP) with 403 Forbidden. The phone's lines
// never register (proxy_register is 1), yet phone add accepts them and
// the run writes the files, exit 0, silent. Right, as for the other lines
// that can never register (a driver Asterisk does not load, a dial string
// that does not ring the device): a bad row naming the Transport or Host
// setting of the extension and the fix in FreePBX.
func TestB17ChanSIPPeerRefusesRegister(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b17", "sip-transport-host.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra), "")
	for _, c := range []struct{ mac, ext, word string }{
		{"00112233AD11", "1711", "transport"},
		{"00112233AD12", "1712", "dynamic"},
	} {
		// Added while the setting was still the default, then changed.
		s.db.MustExec(t, "UPDATE sip SET data = CASE keyword WHEN 'host' THEN 'dynamic' ELSE 'udp,tcp,tls' END WHERE id = ? AND keyword IN ('host', 'transport')", c.ext)
		s.mustCLI("phone", "add", c.mac, c.ext, "--model", "7940")
	}
	s.db.MustExec(t, "UPDATE sip SET data = 'tls' WHERE id = '1711' AND keyword = 'transport'")
	s.db.MustExec(t, "UPDATE sip SET data = '192.0.2.77' WHERE id = '1712' AND keyword = 'host'")
	code, out := s.run()
	if code != 1 {
		t.Errorf("run: exit %d, want 1 (bad rows: chan_sip refuses both lines' REGISTER with 403): %q", code, out)
	}
	for _, c := range []struct{ ext, word string }{{"1711", "transport"}, {"1712", "dynamic"}} {
		if !strings.Contains(out, c.ext) || !strings.Contains(strings.ToLower(out), c.word) {
			t.Errorf("run names nothing about extension %s's %s: %q", c.ext, c.word, out)
		}
	}
	if code, out := s.cli("phone", "add", "00112233AD13", "1711", "--model", "7940"); code == 0 {
		t.Errorf("phone add of the TLS-only extension 1711: exit 0: %q", out)
	}
}
