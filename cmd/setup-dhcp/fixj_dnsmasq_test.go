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

// A static (known hosts only) dnsmasq range with --reservations: a phone
// without an address gets a dhcp-host line but no address from dnsmasq
// (dnsmasq 2.90 in a network namespace: "no address available"), so the
// run names the range's line and how to give the phone one; a phone with
// an address is served. A proxy-DHCP range for another net beside it is no
// reason to refuse.
func TestDnsmasqStaticRangeReservationWithoutAddress(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	for _, p := range []inventory.Phone{
		{MAC: "001BD4123456", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
		{MAC: "001BD4123457", Model: "7940", IP: "10.77.0.31", Lines: []inventory.Line{{N: 1, Ext: "1002"}}},
	} {
		if err := inventory.Add(ctx, db.DB, p); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "dnsmasq.conf")
	if err := os.WriteFile(main, []byte("dhcp-range=10.77.0.0,static,255.255.255.0,12h\ndhcp-range=10.78.0.0,proxy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	drop := filepath.Join(dir, "phones.conf")
	var out, errb bytes.Buffer
	code := run([]string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", drop, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	e := errb.String()
	if !strings.Contains(e, main+":1:") || !strings.Contains(e, "setup-cisco phone set 001BD4123456 --ip") || strings.Contains(e, "001BD4123457 --ip") {
		t.Errorf("stderr: %s", e)
	}
	b, err := os.ReadFile(drop)
	if err != nil || !strings.Contains(string(b), "dhcp-host=00:1b:d4:12:34:57,10.77.0.31,") {
		t.Errorf("drop-in (%v):\n%s", err, b)
	}
}
