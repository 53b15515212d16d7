package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB12ExtensionOnTwoPhones: the same extension on the line keys of two
// phones (a receptionist's 7960 and a backup 7940: a "shared line" as an
// admin used to a key system asks for it). chan_sip keeps one contact per
// peer (a REGISTER from the second phone replaces the first's address), and
// FreePBX writes a PJSIP device with its default max_contacts 1 as an aor
// with max_contacts=1 and remove_existing=yes (core release/16.0
// PJSip.class.php genConfig): each phone's re-REGISTER evicts the other.
// Both phones show the line registered; only the last one to register
// rings, and which one flips every registration period. Today: phone add
// says nothing, and the run exits 0 without a word (also with -n). Right:
// the run (and phone add) name the extension and both phones, and say
// why (chan_sip: one contact per peer; PJSIP: max_contacts 1). A PJSIP
// extension with max_contacts 3 (1603 here) is a working shared line and
// needs no word.
func TestB12ExtensionOnTwoPhones(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b12", "shared-extension.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra), "")
	s.mustCLI("phone", "add", "00112233AA01", "1601,1602,1603", "--model", "7960")
	added := s.mustCLI("phone", "add", "00112233AA02", "1601,1602,1603", "--model", "7960")
	code, out := s.run()
	if _, err := os.Stat(filepath.Join(s.root, "SIP00112233AA02.cnf")); err != nil {
		t.Fatalf("exit %d, second phone not written: %s", code, out)
	}
	for _, ext := range []string{"1601", "1602"} {
		said := false
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, ext) && strings.Contains(l, "00112233AA01") && strings.Contains(l, "00112233AA02") {
				said = true
			}
		}
		if !said {
			t.Errorf("extension %s is on two phones and can be registered by only one at a time; exit %d and no line names it with both MACs:\nphone add said %q\nrun said %q", ext, code, added, out)
		}
	}
	// phone add, phone list and doctor say it in the same words (one rule:
	// phonecheck.Shared).
	if !strings.Contains(added, "extension 1601 is on 2 phones (00112233AA01 line 1, 00112233AA02 line 1)") {
		t.Errorf("phone add: %q", added)
	}
	if code, list := s.cli("phone", "list"); code != 0 || !strings.Contains(list, "warning: extension 1602 is on 2 phones") {
		t.Errorf("phone list: exit %d: %q", code, list)
	}
	if _, doc := s.cli("doctor", "-r", s.root, "-c", s.conf); !strings.Contains(doc, "problem: phones: extension 1601 is on 2 phones") {
		t.Errorf("doctor: %q", doc)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "1603") && strings.Contains(l, "00112233AA02") {
			t.Errorf("1603 allows 3 contacts (max_contacts 3) yet is named: %q", l)
		}
	}
}
