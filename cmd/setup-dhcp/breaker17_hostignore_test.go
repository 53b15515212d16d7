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

// Breaker round 17. A phone the admin once shut out of DHCP and has now put
// back in FreePBX: dhcpd.conf still has "host old-7960 { hardware ethernet
// 00:1b:d4:12:34:56; ignore booting; }" (dhcpd.conf(5): the booting flag,
// meaningful in a host declaration, makes dhcpd not answer that client).
// Checked with the real dhcpd 4.4.3-P1 in a network namespace, this file
// with option 150 added: busybox udhcpc -O 150 -V "Cisco Systems, Inc. IP
// Phone CP-7960G" from MAC 00:1b:d4:12:34:56 gets no answer; from another
// MAC it is bound with opt150=0a4d0001.
//
// What happens: setup-dhcp --merge --reservations, which reads the phones
// from the database, says only "dhcpd.conf:6: 00:1b:d4:12:34:56 already
// has a host entry; not adding one", adds option 150 and exits 0; the
// phone stays without an address.
//
// Right outcome: the run names dhcpd.conf:7 (the phone's own host entry
// ignores it) and does not exit 0 as if that phone were served.
func TestBreaker17ReservationHostIgnoresPhone(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	p := inventory.Phone{MAC: "001BD4123456", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}
	if err := inventory.Add(context.Background(), db.DB, p); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	orig := `authoritative;
subnet 10.77.0.0 netmask 255.255.255.0 {
  range 10.77.0.100 10.77.0.200;
}
host old-7960 {
  hardware ethernet 00:1b:d4:12:34:56;
  ignore booting;
}
`
	if err := os.WriteFile(conf, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"--merge", "--out", conf, "--tftp-server", "10.77.0.1", "--reservations", "--db-dsn", db.DSN}, &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), conf+":7") {
		t.Errorf("exit %d: phone 00:1b:d4:12:34:56's own host entry says 'ignore booting' (%s:7), and the run does not name it:\nstdout:\n%s\nstderr:\n%s", code, conf, out.String(), errb.String())
	}
}
