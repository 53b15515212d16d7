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

// reserveAt runs setup-dhcp --merge --reservations over conf with phone
// 001122AABBCC at ip in the inventory.
func reserveAt(t *testing.T, ip, conf string) (int, string, string) {
	t.Helper()
	return mergeReserving(t, ip, "10.1.0.5,10.1.0.6", conf)
}

// mergeReserving runs setup-dhcp --merge --reservations --tftp-server tftp
// over conf with one phone in setup-cisco's inventory, 001122AABBCC at ip,
// and returns the exit code, stderr and the file written.
func mergeReserving(t *testing.T, ip, tftp, conf string) (int, string, string) {
	t.Helper()
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001122AABBCC", Model: "7960", IP: ip, Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dhcpd.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"--merge", "--out", path, "--tftp-server", tftp, "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	got, _ := os.ReadFile(path)
	return code, errb.String(), string(got)
}

const sharedNet = "shared-network lan {\n  subnet 10.1.0.0 netmask 255.255.255.0 {\n    option routers 10.1.0.1;\n    pool {\n      range 10.1.0.100 10.1.0.150;\n    }\n  }\n  subnet 10.2.0.0 netmask 255.255.254.0 {\n    pool {\n      option routers 10.2.1.254;\n      range 10.2.0.100 10.2.0.150;\n    }\n  }\n}\n"

// Every address dhcpd cannot give the phone, or must not, is refused and
// the file is left as it was; an address of any declared subnet (one in a
// shared-network, a /23) is written.
func TestReservationAddressClass(t *testing.T) {
	for ip, want := range map[string]string{
		"10.2.1.20":  "",
		"10.1.0.0":   "network address of subnet 10.1.0.0/24",
		"10.2.1.255": "broadcast address of subnet 10.2.0.0/23",
		"10.2.1.254": "router (option routers) of subnet 10.2.0.0/23",
		"10.1.0.6":   "this TFTP server's",
		"10.3.0.7":   "in no subnet of",
	} {
		t.Run(ip, func(t *testing.T) {
			code, stderr, got := reserveAt(t, ip, sharedNet)
			if want == "" {
				if code != 0 || !strings.Contains(got, "fixed-address "+ip+";") {
					t.Fatalf("exit %d, not written:\n%s\n%s", code, stderr, got)
				}
				return
			}
			if code == 0 || got != sharedNet || !strings.Contains(stderr, want) || !strings.Contains(stderr, ip) {
				t.Fatalf("exit %d, want %q naming %s:\n%s\n%s", code, want, ip, stderr, got)
			}
		})
	}
}

// A kept host entry for the phone without a fixed-address: the phone gets
// a dynamic lease, not the inventory's address; the note says so. A host
// of the phone's name without any hardware ethernet: warned, the phone
// gets no entry.
func TestReservationKeptEntryOthers(t *testing.T) {
	code, stderr, _ := reserveAt(t, "10.1.0.20", sharedNet+"host phone1 {\n  hardware ethernet 0:11:22:aa:bb:cc;\n}\n")
	if code != 0 || !strings.Contains(stderr, "has no fixed-address") || strings.Contains(stderr, "inside the dynamic range") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
	code, stderr, got := reserveAt(t, "10.1.0.20", sharedNet+"host SEP001122AABBCC {\n  fixed-address 10.1.0.30;\n}\n")
	if code != 0 || !strings.Contains(stderr, "no hardware ethernet") || !strings.Contains(stderr, "gets no host entry") || strings.Contains(got, "10.1.0.20") {
		t.Errorf("exit %d:\n%s\n%s", code, stderr, got)
	}
}

// dnsmasq: a range whose line gives its netmask tells its network: a
// phone address off it is refused, one on it (outside the range) written;
// a static range ("NET,static,MASK") counts too.
func TestDnsmasqReservationNetwork(t *testing.T) {
	for _, c := range []struct{ ip, conf, want string }{
		{"192.168.0.161", "dhcp-range=10.9.0.100,10.9.0.120,255.255.255.0,12h\n", "on no network of dnsmasq's dhcp-ranges (10.9.0.0/24)"},
		{"10.9.0.30", "dhcp-range=10.9.0.100,10.9.0.120,255.255.255.0,12h\n", ""},
		{"10.9.1.30", "dhcp-range=10.9.0.0,static,255.255.254.0\n", ""},
		{"10.9.2.30", "dhcp-range=10.9.0.0,static,255.255.254.0\n", "10.9.0.0/23"},
	} {
		t.Run(c.ip, func(t *testing.T) {
			db := testdb.New(t)
			db.MustExec(t, testdb.Sample)
			p := inventory.Phone{MAC: "001122AABBCC", Model: "7960", IP: c.ip, Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
			if err := inventory.Add(context.Background(), db.DB, p); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			main := filepath.Join(dir, "dnsmasq.conf")
			if err := os.WriteFile(main, []byte(c.conf), 0o644); err != nil {
				t.Fatal(err)
			}
			drop := filepath.Join(dir, "setup-dhcp.conf")
			var out, errb bytes.Buffer
			code := run([]string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", drop, "--tftp-server", "10.9.0.5", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
			got, _ := os.ReadFile(drop)
			if c.want == "" {
				if code != 0 || !strings.Contains(string(got), c.ip) {
					t.Fatalf("exit %d, not written:\n%s\n%s", code, errb.String(), got)
				}
				return
			}
			if code == 0 || len(got) != 0 || !strings.Contains(errb.String(), c.want) {
				t.Fatalf("exit %d, want %q:\n%s\n%s", code, c.want, errb.String(), got)
			}
		})
	}
}
