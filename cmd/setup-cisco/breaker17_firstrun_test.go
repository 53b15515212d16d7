package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB17FirstRunPrintsLinePassword: a one-phone site kept its line in
// SIPDefault.cnf (line1_name/authname/password beside image_version, as
// hand-written files for a single phone do; public examples put
// line1_password: "passwort" in the shared file). The first run names every
// setting of the replaced SIPDefault.cnf that changes, and prints
// 'line1_password: "hunter2secret" (line 5) is no longer set' on stderr, and
// to syslog with --syslog (cron's way): the extension's SIP secret, still
// valid in FreePBX, in clear. 6e07f8b leaves line keys out of the
// SIP<MAC>.cnf comparison because they hold line passwords, and --diff
// never shows a secret (README, Security); the SIPDefault.cnf comparison
// prints them. Right: a password key is named without its value (or as
// --diff's fingerprint).
func TestB17FirstRunPrintsLinePassword(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	s.mustCLI("phone", "add", "00112233AC01", "1601", "--model", "7940")
	hand := "image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\nline1_name: \"1601\"\nline1_authname: \"1601\"\nline1_password: \"hunter2secret\"\npreferred_codec: \"g729a\"\n"
	if err := os.WriteFile(filepath.Join(s.root, "SIPDefault.cnf"), []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := s.run()
	if !strings.Contains(out, "preferred_codec") {
		t.Fatalf("setup: the first run did not compare SIPDefault.cnf (exit %d): %q", code, out)
	}
	if strings.Contains(out, "hunter2secret") {
		t.Errorf("the first run printed the line password of the replaced SIPDefault.cnf in clear (exit %d):\n%s", code, out)
	}
}
