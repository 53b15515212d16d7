package dhcpsetup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// A phone of --reservations that a dhcp-host line tells dnsmasq to
// ignore (dnsmasq(8) --dhcp-host "ignore": never offered a lease), by its
// MAC or a wildcard pattern, gets nothing: refused naming the line. With
// tag: filters the line ignores it only sometimes: a note.
func TestDnsmasqHostIgnoresPhone(t *testing.T) {
	mac, err := dhcpconf.ParseMAC("00:1b:d4:12:34:56")
	if err != nil {
		t.Fatal(err)
	}
	rs := []dhcpconf.Reservation{{MAC: mac}}
	for _, c := range []struct {
		conf      string
		err, note bool
	}{
		{"dhcp-host=00:1B:D4:12:34:56,ignore\n", true, false},
		{"dhcp-host=00:1b:d4:*:*:*,ignore\n", true, false},
		{"dhcp-host=00:1b:d4:*:*:*,tag:lab,ignore\n", false, true},
		{"dhcp-host=00:11:22:*:*:*,ignore\n", false, false},
		{"dhcp-host=00:1b:d4:12:34:56,10.77.0.5\n", false, true}, // already has an entry
	} {
		p := filepath.Join(t.TempDir(), "dnsmasq.conf")
		if err := os.WriteFile(p, []byte(c.conf), 0o644); err != nil {
			t.Fatal(err)
		}
		site, err := dhcpconf.InspectDnsmasq(p, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		var notes []string
		_, err = dnsmasqHosts(rs, site, &notes)
		if (err != nil) != c.err || (len(notes) > 0) != c.note {
			t.Errorf("%q: err %v, notes %q", c.conf, err, notes)
		}
		if err != nil && !strings.Contains(err.Error(), p+":1:") {
			t.Errorf("%q: the error does not name the line: %v", c.conf, err)
		}
	}
}
