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

// The phone's address held by a dhcp-hostsfile entry of another device is
// refused naming that file:line; a phone whose MAC dnsmasq already has
// (any spelling case) gets no second dhcp-host, with a note (other members
// of breaker round 11's duplicate dhcp-host class).
func TestDnsmasqReservationsAgainstHosts(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	for _, p := range []inventory.Phone{
		{MAC: "001BD4123456", Model: "7960", IP: "10.77.0.161", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
		{MAC: "001BD4123457", Model: "7940", IP: "10.77.0.162", Lines: []inventory.Line{{N: 1, Ext: "1002"}}},
	} {
		if err := inventory.Add(context.Background(), db.DB, p); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "dnsmasq.conf")
	hosts := filepath.Join(dir, "hosts.txt")
	write := func(name, s string) {
		if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(main, "dhcp-range=10.77.0.100,10.77.0.200,12h\ndhcp-hostsfile="+hosts+"\ndhcp-host=00:1B:D4:12:34:57,10.77.0.50,deskphone\n")
	write(hosts, "# printers\n00:11:22:33:44:55,10.77.0.161,printer\n")
	drop := filepath.Join(dir, "phones.conf")
	args := []string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", drop, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code == 0 || !strings.Contains(errb.String(), hosts+":2: 00:11:22:33:44:55,10.77.0.161,printer already gives 10.77.0.161 to another device") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(drop); err == nil {
		t.Error("drop-in written")
	}
	write(hosts, "")
	out.Reset()
	errb.Reset()
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got, _ := os.ReadFile(drop)
	if strings.Contains(string(got), "00:1b:d4:12:34:57") || !strings.Contains(string(got), "dhcp-host=00:1b:d4:12:34:56,10.77.0.161,") {
		t.Errorf("drop-in:\n%s", got)
	}
	if !strings.Contains(errb.String(), main+":3: 00:1b:d4:12:34:57 already has a dhcp-host entry") {
		t.Errorf("no note: %s", errb.String())
	}
}
