package phonecheck

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
)

var pbx = freepbx.Data{
	Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{
		"1001": {ID: "1001", Tech: "sip", Secret: "s3cret"},
		"1002": {ID: "1002", Tech: "pjsip", MD5Cred: true},
		"1003": {ID: "1003", Tech: "sip"},
		"1004": {ID: "1004", Tech: "sip", Secret: `ab"c`},
	}),
	Others: map[string]string{"2200": "iax2", "2300": "dahdi"},
}

func TestLine(t *testing.T) {
	for ext, want := range map[string]string{
		"1001": "",
		"1002": "authenticates by md5_cred only",
		"1003": "empty secret",
		"1004": `secret contains '"'`,
		"2200": "2200 is an IAX2 device in FreePBX, not SIP or PJSIP",
		"2300": "2300 is a DAHDI device",
		"9999": "unknown extension: no SIP or PJSIP device",
	} {
		ck, msg := Line(inventory.Line{N: 1, Ext: ext}, pbx)
		if want == "" && (msg != "" || ck.Name != "1001" || ck.Password != "s3cret") {
			t.Errorf("%s: %+v %q", ext, ck, msg)
		}
		if want != "" && !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want %q", ext, msg, want)
		}
	}
}

// Inventory moves phones with a bad line to Bad, keeps the others, and
// keeps the problems it was given (dropped lines included).
func TestInventory(t *testing.T) {
	in := inventory.Inventory{
		Phones: []inventory.Phone{
			{MAC: "0000000000A1", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
			{MAC: "0000000000A2", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 2, Ext: "2200"}}},
			{MAC: "0000000000A3", Model: "7960", Image: "P0S3 8", Lines: []inventory.Line{{N: 1, Ext: "1001"}}},
		},
		Problems: []inventory.Problem{{MAC: "0000000000A1", Line: 3, Ext: "1003", Msg: "x", Dropped: true}},
	}
	out := Inventory(in, pbx)
	if len(out.Phones) != 1 || out.Phones[0].MAC != "0000000000A1" {
		t.Errorf("phones %+v", out.Phones)
	}
	if len(out.Bad) != 2 || len(out.Problems) != 3 || !out.Problems[0].Dropped {
		t.Errorf("bad %v problems %+v", out.Bad, out.Problems)
	}
	if len(in.Phones) != 3 || len(in.Problems) != 1 {
		t.Error("the input was changed")
	}
}

func TestEntry(t *testing.T) {
	for _, c := range []struct {
		p    inventory.Phone
		want string
	}{
		{inventory.Phone{Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}, ""},
		{inventory.Phone{Model: "7940", Lines: []inventory.Line{{N: 1, Ext: "1001"}, {N: 3, Ext: "1001"}}}, "line 3 (extension 1001): a 7940 has 2 lines"},
		{inventory.Phone{Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "2200"}}}, "line 1: extension 2200 is not a SIP or PJSIP extension in FreePBX (it is an IAX2 device)"},
		{inventory.Phone{Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1003"}}}, "line 1 (extension 1003): empty secret"},
		{inventory.Phone{Model: "7970", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}, `--model "7970": want 7940 or 7960`},
		{inventory.Phone{Model: "7960", Image: "SIP41.8-0-3S", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}, "--image"},
		{inventory.Phone{Model: "7960", IP: "300.1.1.1", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}, `--ip "300.1.1.1": not an IPv4 address`},
	} {
		c.p.MAC = "001122334455"
		err := Entry(c.p, pbx)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.p, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v, want %q", c.p, err, c.want)
		}
	}
}

// FreePBX's SIP Channel Driver setting loads one driver only: a chan_sip
// device on a chan_pjsip-only FreePBX (its installer's default) has nothing
// to register to. Before, its phone got the chan_sip port and exit 0.
func TestLineChannelDriverNotLoaded(t *testing.T) {
	d := pbx
	d.Extensions = freepbx.ExtensionsOf(map[string]freepbx.Extension{
		"1001": {ID: "1001", Tech: "sip", Secret: "s3cret"},
		"1005": {ID: "1005", Tech: "pjsip", Secret: "p4ss"},
	})
	for _, c := range []struct{ driver, ext, want string }{
		{"chan_pjsip", "1001", "a chan_sip device, but FreePBX's SIP Channel Driver (Settings > Advanced Settings, ASTSIPDRIVER) is chan_pjsip"},
		{"chan_pjsip", "1005", ""},
		{"chan_sip", "1005", "a chan_pjsip device, but FreePBX's SIP Channel Driver (Settings > Advanced Settings, ASTSIPDRIVER) is chan_sip"},
		{"chan_sip", "1001", ""},
		{"both", "1001", ""},
		{"both", "1005", ""},
		{"", "1001", ""},
	} {
		d.SIPDriver = c.driver
		_, msg := Line(inventory.Line{N: 1, Ext: c.ext}, d)
		if c.want == "" && msg != "" || c.want != "" && !strings.Contains(msg, c.want) {
			t.Errorf("driver %q, ext %s: %q, want %q", c.driver, c.ext, msg, c.want)
		}
	}
}

// The device FreePBX generates must take a REGISTER over UDP from the
// phone's number (freepbx.Register): every way its sip rows can refuse it.
func TestLineRegisters(t *testing.T) {
	sip := func(r freepbx.Register) freepbx.Extension {
		return freepbx.Extension{ID: "1701", Tech: "sip", Secret: "s3cret", Register: r}
	}
	for _, c := range []struct {
		name     string
		e        freepbx.Extension
		tcp, tls bool
		want     string // part of the message, "" when the line is good
	}{
		{"FreePBX's defaults (udp,tcp,tls, tcp and tls off)", sip(freepbx.RegUDP | freepbx.RegTCP | freepbx.RegTLS), false, false, ""},
		{"TLS Only, chan_sip TLS off: FreePBX writes transport= and chan_sip takes UDP", sip(freepbx.RegTLS), false, false, ""},
		{"TLS Only, chan_sip TLS on", sip(freepbx.RegTLS), false, true, "allows TLS only"},
		{"TCP Only, tcpenable on", sip(freepbx.RegTCP), true, false, "allows TCP only"},
		{"WS Only: chan_sip takes ws whatever the settings", sip(freepbx.RegWS), false, false, "allows WS/WSS only"},
		{"WS and WSS, TLS on too", sip(freepbx.RegWS | freepbx.RegTLS), false, true, "allows TLS and WS/WSS only"},
		{"All - WS Primary", sip(freepbx.RegWS | freepbx.RegUDP | freepbx.RegTCP | freepbx.RegTLS), true, true, ""},
		{"fixed host", sip(freepbx.RegHostFixed | freepbx.RegUDP), false, false, "not dynamic"},
		{"type user", sip(freepbx.RegTypeUser), false, false, "Connection Type (sip 'type') is user"},
		{"no account row (chan_sip)", sip(freepbx.RegNoAccount), false, false, "no 'account' row"},
		{"account row naming another", sip(freepbx.RegOtherAccount), false, false, "'account' row in the sip table is not 1701"},
		{"no account row (PJSIP)", freepbx.Extension{ID: "1701", Tech: "pjsip", Secret: "s3cret", Register: freepbx.RegNoAccount}, false, false, "FreePBX names the PJSIP endpoint and aor it generates"},
		{"PJSIP: chan_sip's host and transport are not its", freepbx.Extension{ID: "1701", Tech: "pjsip", Secret: "s3cret", Register: freepbx.RegHostFixed | freepbx.RegWS}, false, false, ""},
	} {
		d := freepbx.Data{Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{"1701": c.e}), ChanSIPTCP: c.tcp, ChanSIPTLS: c.tls}
		_, msg := Line(inventory.Line{N: 1, Ext: "1701"}, d)
		if (c.want == "") != (msg == "") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q, want %q", c.name, msg, c.want)
		}
	}
}
