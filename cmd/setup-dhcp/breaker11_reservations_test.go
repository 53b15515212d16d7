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

// Breaker round 11. A common dhcpd.conf layout keeps reserved hosts out of
// the dynamic pool with "deny known-clients" (a host declaration makes a
// client "known", dhcpd.conf(5) "allow and deny within pool declarations"):
// a real site's file has its subnet's only pool as "pool { deny
// known-clients; range 192.105.22.100 192.105.22.200; }" (code index id
// 71124208647), and a teaching checker for dhcpd.conf exercises (code
// index id 70474100529) warns when a pool lacks "deny known-clients" next
// to reservations.
//
// --reservations writes a host entry for every phone in the inventory,
// also for one with no fixed address (no "phone set MAC --ip"): a host
// with only "hardware ethernet". That phone becomes a known client, the
// pool refuses it, and it gets no address at all. Checked with the real
// dhcpd 4.4.3 in a network namespace and busybox udhcpc with the phone's
// MAC and a 7960's option 60: before, a lease 10.77.0.100 (with option 150
// after --merge); after --merge --reservations (exit 0, "wrote"): "no
// lease, failing". Nothing is said.
//
// Right outcome: a phone without a fixed address gets no host entry where
// its subnet's pools deny known clients (or the run names the pool's
// file:line and the phone and changes nothing).
func TestBreaker11ReservationWithoutAddressDeniedByPool(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001BD4123456", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	orig := `authoritative;
default-lease-time 3600;
max-lease-time 7200;

subnet 10.77.0.0 netmask 255.255.255.0 {
    option subnet-mask 255.255.255.0;
    option routers 10.77.0.254;
    option domain-name-servers 10.77.0.254;
    pool {
        deny known-clients;
        range 10.77.0.100 10.77.0.200;
    }
}

host printer {
    hardware ethernet 00:11:22:33:44:55;
    fixed-address 10.77.0.9;
}
`
	if err := os.WriteFile(conf, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"--merge", "--out", conf, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	got, _ := os.ReadFile(conf)
	if strings.Contains(string(got), "hardware ethernet 00:1b:d4:12:34:56;") && !strings.Contains(errb.String(), "known-clients") {
		t.Errorf("exit %d: host entry without a fixed address written for a phone whose only pool denies known clients (%s:10), and nothing said:\n%s\nstderr:\n%s", code, conf, got, errb.String())
	}
}

// Breaker round 11. dhcpd reads a MAC octet written with one hex digit
// ("hardware ethernet 0:0:c0:5d:bd:95;" is the host passacaglia of ISC's
// own dhcpd.conf example, /usr/share/doc/isc-dhcp-server/examples), and
// the admin's existing host for a phone may be written so. setup-dhcp
// skips a reservation whose MAC already has a host entry ("already has a
// host entry; not adding one") but parses the file's MACs with Go's
// net.ParseMAC, which wants two digits per octet: "0:1b:d4:12:34:56" is not
// recognised, a second host for the same MAC is added with the inventory's
// fixed address, exit 0. With the real dhcpd 4.4.3 in a network namespace
// and busybox udhcpc with the phone's MAC, the phone got the admin's
// 10.77.0.50, not the 10.77.0.161 that "setup-cisco phone set --ip" gave
// it: one of two host entries for one MAC silently loses. Written as
// 00:1b:d4:12:34:56, the same file gets the note and no second entry.
//
// Right outcome: the same note for either spelling, no second host entry.
func TestBreaker11ReservationSingleDigitOctetMAC(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001BD4123456", Model: "7960", IP: "10.77.0.161", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	orig := `authoritative;
subnet 10.77.0.0 netmask 255.255.255.0 {
    option routers 10.77.0.254;
    range 10.77.0.100 10.77.0.140;
}
host deskphone {
    hardware ethernet 0:1b:d4:12:34:56;
    fixed-address 10.77.0.50;
}
`
	if err := os.WriteFile(conf, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"--merge", "--out", conf, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	got, _ := os.ReadFile(conf)
	if n := strings.Count(strings.ToLower(string(got)), "1b:d4:12:34:56;"); n != 1 {
		t.Errorf("exit %d: %d host entries for 00:1b:d4:12:34:56:\n%s\nstderr:\n%s", code, n, got, errb.String())
	}
	if !strings.Contains(errb.String(), conf+":7: 00:1b:d4:12:34:56 already has a host entry") {
		t.Errorf("no note about the existing host entry at %s:7:\n%s", conf, errb.String())
	}
}
