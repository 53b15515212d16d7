package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// Breaker round 11. The dnsmasq drop-in is checked alone ("dnsmasq --test
// --conf-file=DROP-IN"), never with the configuration dnsmasq reads it
// with. dnsmasq refuses a configuration in which two dhcp-host lines give
// the same address ("dnsmasq: duplicate dhcp-host IP address 10.77.0.161
// at line 6 of .../setup-dhcp.conf", exit 1; dnsmasq 2.90), so a phone
// whose inventory address (setup-cisco phone set MAC --ip) is already
// reserved in dnsmasq's own files for another device (a printer that got
// the address first, a renumbered phone) makes the whole dnsmasq refuse to
// start at its next restart: on a Pi-hole or router that is DNS and DHCP
// for the whole site, not only the phones.
//
// What happens: setup-dhcp --format dnsmasq --reservations writes the
// drop-in, exit 0 ("wrote d/setup-dhcp.conf"), warning only that the
// address lies in the range; "dnsmasq --test --conf-file=dnsmasq.conf"
// then fails. (Checked by hand the same way; the range warning's "dhcpd may
// lease it to another client" is itself not true of dnsmasq, which with
// the real daemon in a network namespace did not lease a dhcp-host address
// to another client.)
//
// Right outcome: the result is checked as dnsmasq reads it (main file, its
// conf-dir with the candidate drop-in), or the duplicate address is found
// by reading dnsmasq's dhcp-host lines (as its dhcp-range lines are read):
// either way exit non-zero naming dnsmasq.conf:4, nothing written.
func TestBreaker11DnsmasqDropInDuplicateHostAddress(t *testing.T) {
	dnsmasq, err := dhcpconf.FindTool("dnsmasq")
	if err != nil {
		t.Skip(err)
	}
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001BD4123456", Model: "7960", IP: "10.77.0.161", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	drop := filepath.Join(dir, "d")
	if err := os.Mkdir(drop, 0o755); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "dnsmasq.conf")
	conf := "domain-needed\nbogus-priv\ndhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-host=00:11:22:33:44:55,10.77.0.161,printer\nconf-dir=" + drop + ",*.conf\n"
	if err := os.WriteFile(main, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(dnsmasq, "--test", "--conf-file="+main).CombinedOutput(); err != nil {
		t.Fatalf("the site's own dnsmasq.conf is refused before setup-dhcp ran: %s", out)
	}
	var out, errb bytes.Buffer
	code := run([]string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", filepath.Join(drop, "setup-dhcp.conf"),
		"--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	res, err := exec.Command(dnsmasq, "--test", "--conf-file="+main).CombinedOutput()
	if err != nil {
		t.Errorf("setup-dhcp exit %d (%s%s); dnsmasq now refuses its configuration: %s", code, out.String(), errb.String(), strings.TrimSpace(string(res)))
	}
	if code != 0 && !strings.Contains(errb.String(), main+":4") {
		t.Errorf("exit %d without naming %s:4: %s", code, main, errb.String())
	}
}
