package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// --reservations reads the real inventory from the database: ours (with a
// fixed address) and the Endpoint Manager's, merged into a hand-written
// dhcpd.conf that the real dhcpd accepts.
func TestReservationsFromDatabase(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	for _, p := range []inventory.Phone{
		{MAC: "001122AABBCC", Model: "7960", IP: "192.168.0.161", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
		{MAC: "001122AABBCD", Model: "7940", Lines: []inventory.Line{{N: 1, Ext: "2001"}}},
	} {
		if err := inventory.Add(ctx, db.DB, p); err != nil {
			t.Fatal(err)
		}
	}
	db.MustExec(t, `INSERT INTO endpointman_mac_list (id, mac, model) VALUES (1, '00aabbccddee', '712');
		INSERT INTO endpointman_line_list (mac_id, line, ext) VALUES (1, 1, '1004')`)

	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	orig := "ddns-update-style none;\n\nsubnet 192.168.0.0 netmask 255.255.255.0 {\n  range 192.168.0.150 192.168.0.175;\n  option routers 192.168.0.1;\n}\n"
	os.WriteFile(conf, []byte(orig), 0o644)
	var out, errb bytes.Buffer
	args := []string{"--merge", "--out", conf, "--tftp-server", "192.168.0.130", "--reservations", "--db-dsn", db.DSN}
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got, _ := os.ReadFile(conf)
	s := string(got)
	if !strings.HasPrefix(s, orig) && !strings.Contains(s, orig) {
		t.Errorf("hand-written lines changed:\n%s", s)
	}
	for _, mac := range []macaddr.MAC{"001122AABBCC", "001122AABBCD", "00AABBCCDDEE"} {
		if !strings.Contains(s, "hardware ethernet "+strings.ToLower(mac.Colon())+";") && !strings.Contains(s, "hardware ethernet "+mac.Colon()+";") {
			t.Errorf("no host entry for %s:\n%s", mac, s)
		}
	}
	if !strings.Contains(s, "fixed-address 192.168.0.161;") {
		t.Errorf("fixed address missing:\n%s", s)
	}
	if err := dhcpconf.Check(ctx, dhcpconf.ISC, conf); err != nil {
		if os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") == "1" || !strings.Contains(err.Error(), "not installed") {
			t.Fatalf("dhcpd -t: %v", err)
		}
	}
	// Same inventory again: nothing changes.
	before, _ := os.Stat(conf)
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("rerun exit %d: %s", code, errb.String())
	}
	after, _ := os.Stat(conf)
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("rerun rewrote the file")
	}
}

// A phone's fixed address inside a dynamic range: merge (the admin's range)
// writes the entry and warns, naming the phone, the address, the range and
// its file:line, even without -v; generate (setup-dhcp picks the range)
// refuses and changes nothing; a dnsmasq drop-in warns like merge.
func TestReservationInsideRange(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	p := inventory.Phone{MAC: "001122AABBCC", Model: "7960", IP: "192.168.0.161", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(ctx, db.DB, p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	os.WriteFile(conf, []byte("subnet 192.168.0.0 netmask 255.255.255.0 {\n  range 192.168.0.150 192.168.0.175;\n}\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{"--merge", "--out", conf, "--tftp-server", "192.168.0.130", "--reservations", "--db-dsn", db.DSN}, &out, &errb); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errb.String())
	}
	want := conf + ":2: fixed address 192.168.0.161 of SEP001122AABBCC (Cisco 7960 ext 1001) is inside the dynamic range 192.168.0.150-192.168.0.175: dhcpd may lease it to another client"
	if !strings.Contains(errb.String(), want) {
		t.Errorf("merge: no warning %q in\n%s", want, errb.String())
	}

	gen := filepath.Join(dir, "gen.conf")
	errb.Reset()
	code := run([]string{"--out", gen, "--tftp-server", "192.168.0.130", "--subnet", "192.168.0.0/24", "--router", "192.168.0.1", "--range", "192.168.0.150-192.168.0.175", "--dns", "192.168.0.1", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	if code != exitBad || !strings.Contains(errb.String(), "192.168.0.161 is inside the dynamic range 192.168.0.150-192.168.0.175") {
		t.Errorf("generate: exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(gen); err == nil {
		t.Error("generate wrote a file although it refused")
	}

	main := filepath.Join(dir, "dnsmasq.conf")
	os.WriteFile(main, []byte("dhcp-range=192.168.0.150,192.168.0.175,12h\n"), 0o644)
	errb.Reset()
	if code := run([]string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", filepath.Join(dir, "phones.conf"), "--tftp-server", "192.168.0.130", "--reservations", "--db-dsn", db.DSN}, &out, &errb); code != 0 {
		t.Fatalf("dnsmasq: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), main+":1: fixed address 192.168.0.161 of SEP001122AABBCC") {
		t.Errorf("dnsmasq: no warning in\n%s", errb.String())
	}
}

// A phone whose line FreePBX rejects (here an extension FreePBX does not
// have) keeps its host entry: a run leaves that phone's files as they were,
// and dropping its reservation would move it to a dynamic address.
func TestReservationKeptForBadLine(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001122AABBCE", Model: "7940", IP: "192.168.0.162", Lines: []inventory.Line{{N: 1, Ext: "9999"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	os.WriteFile(conf, []byte("subnet 192.168.0.0 netmask 255.255.255.0 {\n  range 192.168.0.150 192.168.0.160;\n}\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{"--merge", "--out", conf, "--tftp-server", "192.168.0.130", "--reservations", "--db-dsn", db.DSN}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got, _ := os.ReadFile(conf)
	if !strings.Contains(string(got), "fixed-address 192.168.0.162;") {
		t.Errorf("the phone with a bad line lost its host entry:\n%s\nstderr: %s", got, errb.String())
	}
}
