package phonecfg

import (
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// Build from plain values, no database: each case one inventory phone
// against the same FreePBX extensions.
func TestBuildTable(t *testing.T) {
	pbx := freepbx.Data{
		Ports: freepbx.Ports{ChanSIP: 5060, PJSIP: 5160},
		Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{
			"1001": {ID: "1001", Tech: "sip", Name: "Alice Smith", Secret: "pw1001"},
			"1002": {ID: "1002", Tech: "pjsip", Name: "", Secret: "pw1002"},
			"1003": {ID: "1003", Tech: "sip", Name: "Carol", Secret: ""},
			"1004": {ID: "1004", Tech: "sip", Name: "Dave", MD5Cred: true},
			"1005": {ID: "1005", Tech: "sip", Name: "Eve", Secret: "ab#cd"},
			"1006": {ID: "1006", Tech: "sip", Name: "Frank \"the\" Tank; x", Secret: "pw1006"},
		}),
	}
	cases := []struct {
		name  string
		phone inventory.Phone
		// want: "" for a good phone, else a piece of the one problem.
		problem string
		check   func(t *testing.T, p Phone)
	}{
		{name: "chan_sip line, label from line 1", phone: inventory.Phone{MAC: "0000000000A1", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
			check: func(t *testing.T, p Phone) {
				l := p.Lines[0]
				if l.Name != "1001" || l.Password != "pw1001" || l.Port != 5060 || l.Tech != "sip" || l.Proxy != "192.0.2.10" {
					t.Errorf("line %+v", l)
				}
				if l.ShortName != "Alice" || p.Label != "1001 Alice" {
					t.Errorf("short name %q, label %q", l.ShortName, p.Label)
				}
			}},
		{name: "pjsip port, display name from the extension", phone: inventory.Phone{MAC: "0000000000A2", Model: "7940", Lines: []inventory.Line{{N: 1, Ext: "1002", Label: "Desk"}}},
			check: func(t *testing.T, p Phone) {
				if l := p.Lines[0]; l.Port != 5160 || l.DisplayName != "1002" || l.ShortName != "Desk" {
					t.Errorf("line %+v", l)
				}
			}},
		{name: "text made safe for the config syntax", phone: inventory.Phone{MAC: "0000000000A6", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1006"}}},
			check: func(t *testing.T, p Phone) {
				if d := p.Lines[0].DisplayName; strings.ContainsAny(d, "\";#") {
					t.Errorf("display name %q", d)
				}
			}},
		{name: "unknown extension", phone: inventory.Phone{MAC: "0000000000B1", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "9999"}}}, problem: "unknown extension"},
		{name: "empty secret", phone: inventory.Phone{MAC: "0000000000B2", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1003"}}}, problem: "empty secret"},
		{name: "md5_cred only", phone: inventory.Phone{MAC: "0000000000B3", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1004"}}}, problem: "md5_cred"},
		{name: "secret the file cannot hold", phone: inventory.Phone{MAC: "0000000000B4", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1005"}}}, problem: "'#'"},
		{name: "bad image pin", phone: inventory.Phone{MAC: "0000000000B5", Model: "7960", Image: "P0S3 8", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}, problem: "image pin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Build(Input{Site: siteconf.Defaults(), Proxy: "192.0.2.10", FreePBX: pbx,
				Inventory: inventory.Inventory{Phones: []inventory.Phone{tc.phone}}})
			if tc.problem == "" {
				if len(c.Problems) != 0 || len(c.Phones) != 1 {
					t.Fatalf("problems %v, %d phones", c.Problems, len(c.Phones))
				}
				tc.check(t, c.Phones[0])
				return
			}
			if len(c.Phones) != 0 || len(c.Problems) != 1 || len(c.Bad) != 1 || c.Bad[0] != tc.phone.MAC {
				t.Fatalf("phones %v, problems %v, bad %v", c.Phones, c.Problems, c.Bad)
			}
			if msg := c.Problems[0].Error(); !strings.Contains(msg, tc.problem) || !strings.Contains(msg, string(tc.phone.MAC)) {
				t.Errorf("problem %q does not say %q and the MAC", msg, tc.problem)
			}
		})
	}
}

// Ports: the config file wins over the database, which wins over 5060.
func TestPortsTable(t *testing.T) {
	cases := []struct {
		site, db, want freepbx.Ports
	}{
		{freepbx.Ports{}, freepbx.Ports{}, freepbx.Ports{ChanSIP: DefaultPort, PJSIP: DefaultPort}},
		{freepbx.Ports{}, freepbx.Ports{ChanSIP: 5061, PJSIP: 5160}, freepbx.Ports{ChanSIP: 5061, PJSIP: 5160}},
		{freepbx.Ports{ChanSIP: 6060}, freepbx.Ports{ChanSIP: 5061, PJSIP: 5160}, freepbx.Ports{ChanSIP: 6060, PJSIP: 5160}},
	}
	for _, tc := range cases {
		s := siteconf.Defaults()
		s.SIPPort, s.PJSIPPort = tc.site.ChanSIP, tc.site.PJSIP
		c := Build(Input{Site: s, FreePBX: freepbx.Data{Ports: tc.db}})
		if !reflect.DeepEqual(c.Ports, tc.want) || len(c.PortNotes) != 2 {
			t.Errorf("site %v, db %v: got %v (%v), want %v", tc.site, tc.db, c.Ports, c.PortNotes, tc.want)
		}
	}
}

// A shared extension and what the Asterisk configuration read said are
// warnings; both phones are built; a port from sip_general_custom.conf is
// used and its file:line named for -v.
func TestBuildWarnings(t *testing.T) {
	pbx := freepbx.Data{
		Ports: freepbx.Ports{ChanSIP: 5066, ChanSIPFrom: "/etc/asterisk/sip_general_custom.conf:2", PJSIP: 5060},
		Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{
			"1001": {ID: "1001", Tech: "sip", Secret: "pw1001"},
			"1002": {ID: "1002", Tech: "pjsip", Secret: "pw1002", MaxContacts: 2},
		}),
		Warnings: []string{"/etc/asterisk/sip_general_custom.conf:3: bindport=x is not a port (1-65535)"},
	}
	phones := []inventory.Phone{
		{MAC: "0000000000B1", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 2, Ext: "1002"}}},
		{MAC: "0000000000B2", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 2, Ext: "1002"}}},
	}
	c := Build(Input{Site: siteconf.Site{ProxyAddress: "192.0.2.10"}, Proxy: "192.0.2.10", Inventory: inventory.Inventory{Phones: phones}, FreePBX: pbx})
	if len(c.Phones) != 2 || len(c.Problems) != 0 {
		t.Fatalf("phones %d, problems %v", len(c.Phones), c.Problems)
	}
	if len(c.Warnings) != 2 || !strings.Contains(c.Warnings[0], "bindport=x") ||
		!strings.Contains(c.Warnings[1], "extension 1001 is on 2 phones (0000000000B1 line 1, 0000000000B2 line 1)") {
		t.Errorf("warnings %q", c.Warnings)
	}
	if l := c.Phones[0].Lines[0]; l.Port != 5066 {
		t.Errorf("chan_sip line port %d, want 5066", l.Port)
	}
	if !strings.Contains(strings.Join(c.PortNotes, "\n"), "chan_sip port 5066 (/etc/asterisk/sip_general_custom.conf:2)") {
		t.Errorf("notes %q", c.PortNotes)
	}
}

// Phones handed over in another order than by MAC (inventory.Stored: the
// Endpoint Manager's by id) give the phones' problems by MAC all the same,
// each phone's in its order, after the inventory's own.
func TestBuildEachProblemsByMAC(t *testing.T) {
	pbx := freepbx.Data{Ports: freepbx.Ports{ChanSIP: 5060}, Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{
		"1001": {ID: "1001", Tech: "sip", Name: "A", Secret: "pw"},
	})}
	var phones []inventory.Phone
	for _, m := range []string{"0000000000A1", "0000000000A2", "0000000000A3", "0000000000A4"} {
		phones = append(phones, inventory.Phone{MAC: macaddr.MAC(m), Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 2, Ext: "9" + m[10:]}, {N: 3, Ext: "8" + m[10:]}}})
	}
	inv := inventory.Inventory{Phones: phones, Problems: []inventory.Problem{{MAC: "FFFF", Msg: "the inventory's"}}}
	want := Build(Input{Site: siteconf.Defaults(), Proxy: "192.0.2.10", Inventory: inv, FreePBX: pbx})
	if len(want.Problems) != 9 {
		t.Fatalf("%d problems: %+v", len(want.Problems), want.Problems)
	}
	reversed := func(f func(inventory.Phone) error) error {
		for i := len(phones) - 1; i >= 0; i-- {
			if err := f(phones[i]); err != nil {
				return err
			}
		}
		return nil
	}
	got, err := BuildEach(Input{Site: siteconf.Defaults(), Proxy: "192.0.2.10", Inventory: inventory.Inventory{Problems: inv.Problems}, Each: reversed, FreePBX: pbx}, func(Phone) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Problems, want.Problems) || !reflect.DeepEqual(got.Bad, want.Bad) {
		t.Errorf("problems\n%+v\nwant\n%+v", got.Problems, want.Problems)
	}
}
