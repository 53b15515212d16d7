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

// Breaker round 17, the dnsmasq member of
// TestBreaker17ReservationHostIgnoresPhone: dnsmasq.conf keeps
// "dhcp-host=00:1b:d4:12:34:56,ignore" from when the phone was shut out
// (dnsmasq(8) --dhcp-host: "ignore" tells dnsmasq to never offer a lease
// to that machine), and the phone is back in FreePBX. Checked with the
// real dnsmasq 2.90 in a network namespace: busybox udhcpc -O 150 -V
// "Cisco Systems, Inc. IP Phone CP-7960G" from that MAC gets no answer
// ("DHCPDISCOVER(...) 00:1b:d4:12:34:56 ignored").
//
// What happens: the run says only "dnsmasq.conf:2: 00:1b:d4:12:34:56
// already has a dhcp-host entry; not adding one", writes the drop-in and
// exits 0.
//
// Right outcome: setup-dhcp --format dnsmasq --reservations names
// dnsmasq.conf:2 (the phone's dhcp-host line ignores it) and does not exit
// 0 as if that phone were served.
func TestBreaker17DnsmasqHostIgnoresPhone(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001BD4123456", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "dnsmasq.conf")
	if err := os.WriteFile(main, []byte("dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-host=00:1b:d4:12:34:56,ignore\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "d", "setup-dhcp.conf")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, errb bytes.Buffer
	code := run([]string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", out, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}, &stdout, &errb)
	if code == 0 || !strings.Contains(errb.String(), main+":2") {
		t.Errorf("exit %d: phone 00:1b:d4:12:34:56's dhcp-host line says 'ignore' (%s:2), and the run does not name it:\nstdout:\n%s\nstderr:\n%s", code, main, stdout.String(), errb.String())
	}
}
