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

// TestB17FirstRunPhoneFileInCfgDir: a hand-made root laid out as Cisco's
// sample SIPDefault.cnf suggests, tftp_cfg_dir: "./sip_phone/" (HUGO-sample;
// the phone prepends it to SIP<MAC>.cnf, TEO), with the phone's own file in
// sip_phone/SIP<MAC>.cnf holding hand settings (phone_label, telnet_level
// 2, date_format D/M/Y). The first run writes tftp_cfg_dir "" and the
// phone's new SIP<MAC>.cnf in the root, so the phone now reads that one:
// its label, telnet level and date format go back to setup-cisco's values.
// The run names only SIPDefault.cnf's tftp_cfg_dir (as "no longer set",
// though it is now set to "") and never the phone file it stops serving,
// exit 0; README: the first run names, for each phone's own SIP<MAC>.cnf,
// every hand setting that changes. Right: sip_phone/SIP<MAC>.cnf is
// compared as the phone's own file and each changed setting named.
func TestB17FirstRunPhoneFileInCfgDir(t *testing.T) {
	s := newB12Site(t, testdb.Generation("freepbx16"), "", "")
	mac := "00112233AC02"
	s.mustCLI("phone", "add", mac, "1601", "--model", "7960")
	os.MkdirAll(filepath.Join(s.root, "sip_phone"), 0o755)
	os.WriteFile(filepath.Join(s.root, "SIPDefault.cnf"), []byte("image_version: \"P0S3-8-12-00\"\ntftp_cfg_dir: \"./sip_phone/\"\nproxy1_address: \"192.0.2.10\"\n"), 0o644)
	os.WriteFile(filepath.Join(s.root, "sip_phone", "SIP"+mac+".cnf"), []byte("phone_label: \"Front Desk\"\ntelnet_level: 2\ndate_format: \"D/M/Y\"\nline1_name: \"1601\"\nline1_password: \"c16Secret01\"\n"), 0o644)
	code, out := s.run()
	if !strings.Contains(out, "sip_phone/SIP"+mac+".cnf") || !strings.Contains(out, "telnet_level") || !strings.Contains(out, "date_format") {
		t.Errorf("first run over a root with tftp_cfg_dir ./sip_phone/: exit %d; the phone's own file sip_phone/SIP%s.cnf (telnet_level 2, date_format D/M/Y, phone_label) is no longer what the phone reads, and none of its settings is named:\n%s", code, mac, out)
	}
}
