package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// Breaker round 14: c7ffaef reads dnsmasq's dhcp-host lines and
// dhcp-hostsfile entries so that a phone's reserved address another device
// already has is refused. dnsmasq has a third source of the same entries,
// --dhcp-hostsdir=DIR (dnsmasq(8): "Read DHCP host information from the
// given directory ... each file contains one dhcp-host per line", read at
// start and re-read when files appear, as tools that manage reservations
// use it), which setup-dhcp does not read. A phone given the printer's
// address then gets a dhcp-host line for it, exit 0, no word. Checked with
// the real dnsmasq 2.90 in a network namespace with the drop-in's line:
// it logs "duplicate dhcp-host IP address 10.77.0.161 at line 1 of
// .../hosts.d/printers" and drops the printer's reservation: the printer
// moves to a dynamic address (print queues pointing at .161 break).
//
// Right outcome: as for a dhcp-hostsfile entry: refused naming the file
// and line in the hosts directory, nothing written.
func TestBreaker14DnsmasqHostsDirDuplicate(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	if err := inventory.Add(context.Background(), db.DB, inventory.Phone{MAC: "001BD4123456", Model: "7960", IP: "10.77.0.161",
		Lines: []inventory.Line{{N: 1, Ext: "1001"}}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "dnsmasq.conf")
	hostsdir := filepath.Join(dir, "hosts.d")
	if err := os.Mkdir(hostsdir, 0o755); err != nil {
		t.Fatal(err)
	}
	printer := filepath.Join(hostsdir, "printers")
	for name, s := range map[string]string{
		main:    "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-hostsdir=" + hostsdir + "\n",
		printer: "00:11:22:33:44:55,10.77.0.161,printer\n",
	} {
		if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	drop := filepath.Join(dir, "phones.conf")
	args := []string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", drop, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), printer+":1") {
		t.Errorf("exit %d, stderr: %s", code, errb.String())
	}
	if b, err := os.ReadFile(drop); err == nil {
		t.Errorf("drop-in written:\n%s", b)
	}
}
