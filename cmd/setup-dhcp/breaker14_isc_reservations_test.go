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

// Breaker round 14: c7ffaef refuses a dnsmasq phone reservation whose
// address another device's dhcp-host already has; the ISC merge has no
// such check. A phone set to 10.77.0.61 (setup-cisco phone set --ip) on a
// site whose dhcpd.conf already reserves 10.77.0.61 for the printer:
// --merge --reservations adds "host SEP001BD4123456 { hardware ethernet
// 00:1b:d4:12:34:56; fixed-address 10.77.0.61; }", exit 0, silent;
// dhcpd -t accepts it. Checked with the real dhcpd 4.4.3 on that file in a
// network namespace (busybox udhcpc with each MAC): the printer gets
// 10.77.0.61 and so does the phone: two devices on one address, the
// printer or the phone drops off the network.
//
// Right outcome: as for dnsmasq: refused naming the printer's host
// (file:line) and the phone, file unchanged.
func TestBreaker14ISCReservationTakesAnotherHostsAddress(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	if err := inventory.Add(context.Background(), db.DB, inventory.Phone{MAC: "001BD4123456", Model: "7960", IP: "10.77.0.61",
		Lines: []inventory.Line{{N: 1, Ext: "1001"}}}); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	orig := "subnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n" +
		"host printer { hardware ethernet 00:11:22:33:44:55; fixed-address 10.77.0.61; }\n"
	if err := os.WriteFile(conf, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"--merge", "--out", conf, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	got, _ := os.ReadFile(conf)
	if code == 0 || !strings.Contains(errb.String(), conf+":2") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if string(got) != orig {
		t.Errorf("file changed:\n%s", got)
	}
}
