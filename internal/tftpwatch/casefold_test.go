package tftpwatch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrackerLowercasedRequest: dnsmasq with tftp-lowercase logs the
// lower-cased name as not found (lines as the real dnsmasq 2.90 wrote
// them); watch says the root has the file under the phone's name and
// names tftp-lowercase, instead of "file not found" alone.
func TestTrackerLowercasedRequest(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "SIPDefault.cnf"), []byte("image_version: P0S3-8-12-00\n"), 0o644)
	os.WriteFile(filepath.Join(root, "SIP001BD4123456.cnf"), []byte("x"), 0o644)
	tr := &Tracker{Root: root}
	p := NewParser()
	p.Root = root // as watch and doctor set it
	var got []string
	for _, l := range []string{
		"Nov 29 21:55:46 dnsmasq-tftp[4807]: file " + root + "/sipdefault.cnf not found for 127.0.0.1",
		"Nov 29 21:55:46 dnsmasq-tftp[4807]: file " + root + "/sip001bd4123456.cnf not found for 127.0.0.1",
		"Nov 29 21:55:47 dnsmasq-tftp[4807]: file " + root + "/RINGLIST.DAT not found for 127.0.0.1",
	} {
		if e, ok := p.Line(l); ok {
			got = append(got, tr.Handle(e))
		}
	}
	if len(got) != 3 || !strings.Contains(got[0], "the root has SIPDefault.cnf") || !strings.Contains(got[0], "tftp-lowercase") ||
		!strings.Contains(got[1], "the root has SIP001BD4123456.cnf") || strings.Contains(got[2], "root has") {
		t.Errorf("got %q", got)
	}
	var c CaseIndex
	if twin, ok := c.Twin(root, "SIPDefault.cnf"); ok {
		t.Errorf("the file as named is there, yet twin %q", twin)
	}
	os.Rename(filepath.Join(root, "SIPDefault.cnf"), filepath.Join(root, "SIPDEFAULT.CNF"))
	if twin, ok := c.Twin(root, "sipdefault.cnf"); !ok || twin != "SIPDEFAULT.CNF" {
		t.Errorf("after the root changed: %q %v", twin, ok)
	}
}
