package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB17SecretWithBlanksAsteriskStrips: a secret stored with a blank at
// its end or start (pasted into FreePBX's Secret field;
// testdata/b17/secret-blank.sql says why Asterisk registers the phone with
// the secret without the blanks). Today phone add refuses the line and a
// run makes both phones bad rows ("secret has a character the phone's
// config file cannot hold (space, control or non-ASCII)"), exit 1, no
// SIP<MAC>.cnf: phones that would register never get a file. Right: the
// phone gets the secret Asterisk checks, blanks stripped as Asterisk's
// config reader strips them, and the run exits 0.
func TestB17SecretWithBlanksAsteriskStrips(t *testing.T) {
	extra, err := os.ReadFile(filepath.Join("testdata", "b17", "secret-blank.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s := newB12Site(t, testdb.Generation("freepbx16"), string(extra), "")
	if code, out := s.cli("phone", "add", "00112233AA17", "1701", "--model", "7940"); code != 0 {
		t.Errorf("phone add 1701 (secret 'Pa55word17 '): exit %d: %q", code, out)
	}
	if code, out := s.cli("phone", "add", "00112233AA18", "1702", "--model", "7940"); code != 0 {
		t.Errorf("phone add 1702 (secret ' Secret1702<TAB>'): exit %d: %q", code, out)
	}
	// Whatever phone add said, put the phones in the inventory as an
	// earlier, working secret would have.
	s.db.MustExec(t, "UPDATE sip SET data = 'Pa55word17' WHERE id = '1701' AND keyword = 'secret'")
	s.db.MustExec(t, "UPDATE sip SET data = 'Secret1702' WHERE id = '1702' AND keyword = 'secret'")
	s.cli("phone", "add", "00112233AA17", "1701", "--model", "7940")
	s.cli("phone", "add", "00112233AA18", "1702", "--model", "7940")
	s.db.MustExec(t, "UPDATE sip SET data = 'Pa55word17 ' WHERE id = '1701' AND keyword = 'secret'")
	s.db.MustExec(t, "UPDATE sip SET data = ' Secret1702\t' WHERE id = '1702' AND keyword = 'secret'")
	code, out := s.run()
	if code != 0 {
		t.Errorf("run: exit %d, want 0: Asterisk registers these lines with the secret stripped: %q", code, out)
	}
	for mac, want := range map[string]string{"00112233AA17": "Pa55word17", "00112233AA18": "Secret1702"} {
		f := s.file("SIP" + mac + ".cnf")
		if !strings.Contains(f, `line1_password: "`+want+`"`+"\n") {
			t.Errorf("SIP%s.cnf: want line1_password %q (what Asterisk checks), got:\n%s", mac, want, f)
		}
	}
}
