package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// An Endpoint Manager 2.2.x site (testdata/cases/b6-epm-2.2-mac-list-ext.sql:
// the tables as that version's installer creates them, one line per phone
// in endpointman_mac_list.ext, no endpointman_line_list). Today the whole
// Endpoint Manager is skipped because line_list is missing: the run writes
// no SIP0011223344B2.cnf, exits 0 and says nothing; phone list does not
// show the phone. Right outcome: the phone's one line (2001) is read from
// mac_list.ext and its file written, or the run says plainly that this
// Endpoint Manager's phones are not read (and does not exit 0 as if all
// phones were provisioned).
func TestB6EPM22MacListExt(t *testing.T) {
	s := newCaseSite(t, "b6-epm-2.2-mac-list-ext.sql")
	code, stdout, stderr := s.cli()
	t.Logf("run: exit %d\n%s%s", code, stdout, stderr)
	_, err := os.Stat(filepath.Join(s.root, "SIP0011223344B2.cnf"))
	if err != nil && code == exitOK && !regexp.MustCompile(`(?i)endpoint ?man|0011223344B2`).MatchString(stderr) {
		t.Errorf("the Endpoint Manager's 7960 0011223344B2 (ext 2001) got no file, and the run exited 0 saying nothing of it")
	}
	if err == nil {
		match(t, "cnf", `(?m)^line1_name: "2001"$`, s.file("SIP0011223344B2.cnf"))
	}
	code, stdout, stderr = s.cli("phone", "list")
	t.Logf("phone list: exit %d\n%s%s", code, stdout, stderr)
	match(t, "phone list", `0011223344B2`, stdout+stderr)
}

// A 7940 in Sangoma's commercial Endpoint Manager (the "endpoint" module of
// FreePBX Distro; testdata/cases/b6-commercial-epm-7940.sql, tables and the
// Cisco CP7940 model from its installer). Today setup-cisco reads only the
// OSS Endpoint Manager's endpointman_* tables: the run writes no
// SIP0011223344C3.cnf, exits 0 and says nothing of it; phone list is empty.
// Right outcome: the phone is read (model CP7940, line 1 = 2001) and its
// file written, or the run and phone list say that the commercial Endpoint
// Manager's phones are not read (and how to add them: phone add).
func TestB6CommercialEPM7940(t *testing.T) {
	s := newCaseSite(t, "b6-commercial-epm-7940.sql")
	code, stdout, stderr := s.cli()
	t.Logf("run: exit %d\n%s%s", code, stdout, stderr)
	_, err := os.Stat(filepath.Join(s.root, "SIP0011223344C3.cnf"))
	if err != nil && !regexp.MustCompile(`(?i)endpoint|0011223344C3`).MatchString(stderr) {
		t.Errorf("the commercial Endpoint Manager's 7940 0011223344C3 (ext 2001) got no file, and the run (exit %d) said nothing of it", code)
	}
	code, stdout, stderr = s.cli("phone", "list")
	t.Logf("phone list: exit %d\n%s%s", code, stdout, stderr)
	match(t, "phone list", `0011223344C3|(?i)endpoint`, stdout+stderr)
}
