package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestDoctorFixesWorkAsWritten provokes the faults doctor can find without
// a daemon to start (a directory the TFTP daemon cannot search, a file it
// cannot read, a symlink out of the TFTP root, no SIPDefault.cnf, a phone
// without its file, the site load's images missing), runs every fix doctor
// prescribes exactly as printed (BUNDLE replaced by the bundle's path: it
// is where the admin names Cisco's zip) and re-runs doctor until it has
// nothing left to prescribe. A fix whose problem comes back failed. Fixes
// that start a service (systemctl, service) or install a package are not
// run here: this machine's services are not the test's (issue 15.6).
func TestDoctorFixesWorkAsWritten(t *testing.T) {
	base := testdb.BaseDSN(t)
	db, cleanup, err := testdb.Create(base)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if _, err := db.Exec(testdb.Sample); err != nil {
		t.Fatal(err)
	}

	top := t.TempDir()
	dir := filepath.Join(top, "srv")
	root := filepath.Join(dir, "tftp")
	bundle := filepath.Join(top, "bundle")
	bin := filepath.Join(top, "bin")
	for _, d := range []string{root, bundle, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path, text string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(top, "site.conf")
	write(conf, "proxy_address = 192.0.2.10\nntp_server = 192.0.2.10\n", 0o644)
	dhcpd := filepath.Join(top, "dhcpd.conf")
	write(dhcpd, "option cisco-tftp code 150 = ip-address;\nsubnet 192.0.2.0 netmask 255.255.255.0 {\n  option cisco-tftp 192.0.2.10;\n  range 192.0.2.100 192.0.2.199;\n}\n", 0o644)
	for _, f := range firmware.RequiredFiles(firmware.MustParse("P0S3-8-12-00")) {
		write(filepath.Join(bundle, f), "image "+f+"\n", 0o644)
	}
	// The faults.
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(root, "notes.txt"), "the admin's notes\n", 0o600)
	if err := os.Symlink("/etc/hostname", filepath.Join(root, "leak")); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(bin, "setup-cisco"), "#!/bin/sh\nSETUP_CISCO_RUN_MAIN=1 exec "+exe+" \"$@\"\n", 0o755)
	var out bytes.Buffer
	if code := Main([]string{"--db-dsn", db.DSN, "phone", "add", "001122AABBCC", "1001", "--model", "7960"}, &out, &out); code != 0 {
		t.Fatalf("phone add: %d %s", code, out.String())
	}

	doctorArgs := []string{"-c", conf, "-r", root, "--db-dsn", db.DSN, "doctor", "--dhcpd-conf", dhcpd, "--tftp-server", "192.0.2.10"}
	ran := map[string]bool{} // fixes run, by the problem they fixed
	kinds := map[string]bool{}
	for round := 1; ; round++ {
		var stdout bytes.Buffer
		Main(doctorArgs, &stdout, &stdout)
		report := stdout.String()
		var todo []string
		for _, line := range strings.Split(report, "\n") {
			finding, fix, ok := strings.Cut(line, "; fix: ")
			if !ok || !strings.HasPrefix(finding, "problem: ") {
				continue
			}
			switch strings.Fields(fix)[0] {
			case "chmod", "mv", "rm", "setup-cisco":
			default:
				t.Logf("not run here: %s", line)
				continue
			}
			if ran[finding] {
				t.Errorf("round %d: the fix did not work as written: %s", round, line)
				continue
			}
			ran[finding] = true
			todo = append(todo, fix)
		}
		if len(todo) == 0 {
			t.Logf("round %d, nothing left to run:\n%s", round, report)
			break
		}
		if round > 4 {
			t.Fatalf("doctor still prescribes fixes after 4 rounds:\n%s", report)
		}
		for _, fix := range todo {
			for _, c := range strings.Split(fix, "; ") {
				c, _, _ = strings.Cut(c, " (") // a parenthesis explains, it is not typed
				c = strings.ReplaceAll(c, "BUNDLE", bundle)
				cmd := exec.Command("sh", "-c", c)
				cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("fix %q: %v\n%s", c, err, b)
				}
				f := strings.Fields(c)
				kind := f[0]
				if kind == "setup-cisco" && strings.Contains(c, " firmware import ") {
					kind = "firmware import"
				}
				kinds[kind] = true
			}
		}
	}
	for _, k := range []string{"chmod", "rm", "setup-cisco", "firmware import"} {
		if !kinds[k] {
			t.Errorf("no %q fix was provoked and run (ran: %v)", k, kinds)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "SIP001122AABBCC.cnf")); err != nil {
		t.Errorf("the phone's file: %v", err)
	}
}
