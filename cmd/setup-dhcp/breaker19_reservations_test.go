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

// b19Reserve runs setup-dhcp --merge --reservations over conf with one
// phone in setup-cisco's inventory, 001122AABBCC at 192.168.0.161, and
// returns the exit code, stderr and the file written.
func b19Reserve(t *testing.T, conf string) (int, string, string) {
	t.Helper()
	return mergeReserving(t, "192.168.0.161", "192.168.0.130", conf)
}

// A site that reserved its phones by hand before (the usual
// "host SEP<MAC> { hardware ethernet ...; fixed-address ...; }" of the
// Cisco how-tos) at 192.168.0.50, while setup-cisco's inventory says
// 192.168.0.161, inside the dynamic range 150-175.
//
// What happens: setup-dhcp keeps the hand-written entry ("already has a
// host entry; not adding one": right) but also warns that "fixed address
// 192.168.0.161 of SEP001122AABBCC ... is inside the dynamic range ...
// give the phone an address outside the range (setup-cisco phone set
// 001122AABBCC --ip ADDRESS) or shrink the range". 192.168.0.161 is written
// nowhere: dhcpd gives the phone 192.168.0.50 from the admin's entry, which
// is outside the range. The admin is told to renumber a phone or shrink a
// range for an entry that does not exist, and is not told that the file
// and the inventory disagree (.50 against .161).
//
// Right outcome: no range warning for an address not written; a note that
// the phone's own entry (file:line) gives 192.168.0.50, not the
// inventory's 192.168.0.161.
func TestB19ReservationKeptEntryWarnsUnwrittenAddress(t *testing.T) {
	code, stderr, got := b19Reserve(t, "subnet 192.168.0.0 netmask 255.255.255.0 {\n  range 192.168.0.150 192.168.0.175;\n  option routers 192.168.0.1;\n}\nhost SEP001122AABBCC {\n  hardware ethernet 00:11:22:AA:BB:CC;\n  fixed-address 192.168.0.50;\n}\n")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(got, "192.168.0.161") {
		t.Fatalf("a second entry was written:\n%s", got)
	}
	if strings.Contains(stderr, "inside the dynamic range") {
		t.Errorf("warns about 192.168.0.161 inside the range, an address no entry gives:\n%s", stderr)
	}
	if !strings.Contains(stderr, "192.168.0.50") {
		t.Errorf("does not say the phone's own entry gives 192.168.0.50, not the inventory's 192.168.0.161:\n%s", stderr)
	}
}

// The name SEP001122AABBCC is already taken by a host entry for another
// MAC (00:11:22:33:44:55: the phone that was swapped out, or a typo),
// holding the inventory's address 192.168.0.161.
//
// What happens: "dhcpd.conf:5: host SEP001122AABBCC already exists; not
// adding one", exit 0. The phone 00:11:22:aa:bb:cc gets no reservation
// (dhcpd gives it a dynamic lease and 192.168.0.161 stays fixed to the
// other MAC), and the message reads as if the phone were already reserved:
// it names neither the other MAC nor that this phone has no entry.
//
// Right outcome: the run says the entry of that name is for
// 00:11:22:33:44:55, not this phone, so 001122AABBCC got no reservation
// (and fails, or writes the phone's entry under a free name).
func TestB19ReservationNameTakenByOtherMAC(t *testing.T) {
	code, stderr, got := b19Reserve(t, "subnet 192.168.0.0 netmask 255.255.255.0 {\n  range 192.168.0.150 192.168.0.175;\n  option routers 192.168.0.1;\n}\nhost SEP001122AABBCC {\n  hardware ethernet 00:11:22:33:44:55;\n  fixed-address 192.168.0.161;\n}\n")
	written := strings.Contains(strings.ToLower(got), "00:11:22:aa:bb:cc")
	if !written && !strings.Contains(stderr, "00:11:22:33:44:55") {
		t.Errorf("exit %d; phone 00:11:22:aa:bb:cc got no reservation and stderr does not name the other MAC that holds the name:\n%s", code, stderr)
	}
}

// The inventory's address 192.168.0.161 lies in no subnet the file
// declares (the site serves 10.9.0.0/24: renumbered since the phones were
// added, or the phones' VLAN is another server's).
//
// What happens: setup-dhcp writes "host SEP001122AABBCC { ... fixed-address
// 192.168.0.161; }", exit 0, not a word. Checked with the real dhcpd
// 4.4.3-P1 in a network namespace serving 10.9.0.0/24 with this file: a
// client 00:11:22:aa:bb:cc (udhcpc -V "Cisco Systems, Inc. IP Phone
// CP-7960G") gets the dynamic 10.9.0.100 ("DHCPOFFER on 10.9.0.100"):
// dhcpd never hands out a fixed-address outside the client's subnet, so
// the reservation asked for never takes effect. The in-range check of the
// same run only looks at the file's own subnets.
//
// Right outcome: the run names the phone and says 192.168.0.161 is in no
// subnet of dhcpd.conf, so dhcpd will not give it (warning at least, as
// for an address inside the dynamic range).
func TestB19ReservationOutsideEverySubnet(t *testing.T) {
	code, stderr, got := b19Reserve(t, "subnet 10.9.0.0 netmask 255.255.255.0 {\n  range 10.9.0.100 10.9.0.120;\n}\n")
	if !strings.Contains(got, "fixed-address 192.168.0.161;") {
		if code == 0 {
			t.Fatalf("exit 0 and no entry written:\n%s\n%s", stderr, got)
		}
		return
	}
	if !strings.Contains(stderr, "192.168.0.161") {
		t.Errorf("exit %d, wrote fixed-address 192.168.0.161 for a file whose only subnet is 10.9.0.0/24, and said nothing:\n%q", code, stderr)
	}
}

// A phone whose inventory address is the subnet's router (192.168.0.1,
// "option routers 192.168.0.1" in the same subnet), this TFTP server
// (192.168.0.130) or the subnet's broadcast address (192.168.0.255): a
// typo in "setup-cisco phone set --ip", or a renumbered router.
//
// What happens: setup-dhcp --merge --reservations writes "fixed-address
// 192.168.0.1;" (and .130, .255), exit 0, not a word; dhcpd -t accepts
// each. Checked with the real dhcpd 4.4.3-P1 in a network namespace: the
// phone 00:11:22:aa:bb:cc gets "DHCPACK on 192.168.0.1", the gateway's own
// address, so the phone and the router fight over it. generate refuses the
// broadcast address ("192.168.0.255 is not in subnet 192.168.0.0/24") but
// writes the router's and the TFTP server's addresses too.
//
// Right outcome: a reservation of the subnet's router, this TFTP server,
// or the network or broadcast address is refused (or at least warned
// about), naming the phone and the address.
func TestB19ReservationTakesRouterAddress(t *testing.T) {
	for _, ip := range []string{"192.168.0.1", "192.168.0.130", "192.168.0.255"} {
		t.Run(ip, func(t *testing.T) {
			db := testdb.New(t)
			db.MustExec(t, testdb.Sample)
			p := inventory.Phone{MAC: "001122AABBCC", Model: "7960", IP: ip, Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
			if err := inventory.Add(context.Background(), db.DB, p); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "dhcpd.conf")
			if err := os.WriteFile(path, []byte("subnet 192.168.0.0 netmask 255.255.255.0 {\n  range 192.168.0.100 192.168.0.120;\n  option routers 192.168.0.1;\n}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			code := run([]string{"--merge", "--out", path, "--tftp-server", "192.168.0.130", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
			got, _ := os.ReadFile(path)
			if strings.Contains(string(got), "fixed-address "+ip+";") && !strings.Contains(errb.String(), ip) {
				t.Errorf("exit %d, wrote fixed-address %s for the phone and said nothing", code, ip)
			}
		})
	}
}

// The dnsmasq member of TestB19ReservationOutsideEverySubnet: dnsmasq's
// only range is 10.9.0.100-10.9.0.120 and the inventory says 192.168.0.161.
//
// What happens: the drop-in gets "dhcp-host=00:11:22:aa:bb:cc,
// 192.168.0.161,SEP001122AABBCC", exit 0, and the only message is that
// dnsmasq already hands out addresses. Checked with the real dnsmasq 2.90
// in a network namespace (10.9.0.1/24, that range and that dhcp-host): the
// client 00:11:22:aa:bb:cc is offered the dynamic 10.9.0.111 ("DHCPOFFER(vs)
// 10.9.0.111"), the reservation is ignored. generate (isc and kea) refuses
// the same phone: "192.168.0.161 is not in subnet 10.9.0.0/24".
//
// Right outcome: the run names the phone and says 192.168.0.161 is on no
// network dnsmasq serves here, so the reservation will not take effect.
func TestB19DnsmasqReservationOutsideEveryRange(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001122AABBCC", Model: "7960", IP: "192.168.0.161", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "dnsmasq.conf")
	if err := os.WriteFile(main, []byte("dhcp-range=10.9.0.100,10.9.0.120,12h\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	drop := filepath.Join(dir, "setup-dhcp.conf")
	var out, errb bytes.Buffer
	code := run([]string{"--format", "dnsmasq", "--dnsmasq-conf", main, "--out", drop, "--tftp-server", "10.9.0.5", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	got, _ := os.ReadFile(drop)
	if strings.Contains(string(got), "192.168.0.161") && !strings.Contains(errb.String(), "192.168.0.161") {
		t.Errorf("exit %d, wrote dhcp-host with 192.168.0.161 though dnsmasq serves only 10.9.0.100-10.9.0.120, and did not say so:\n%s", code, errb.String())
	}
}
