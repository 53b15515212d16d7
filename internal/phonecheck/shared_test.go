package phonecheck

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

func TestShared(t *testing.T) {
	d := freepbx.Data{Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{
		"10": {ID: "10", Tech: "sip", Secret: "x"},
		"20": {ID: "20", Tech: "pjsip", Secret: "x"},                   // max_contacts unset: 1
		"30": {ID: "30", Tech: "pjsip", Secret: "x", MaxContacts: 2},   // two phones fit
		"40": {ID: "40", Tech: "pjsip", Secret: "x", MaxContacts: 1},   // FreePBX's default, stored
		"50": {ID: "50", Tech: "sip", Secret: "x", MaxContacts: 5},     // chan_sip: max_contacts means nothing
		"60": {ID: "60", Tech: "pjsip", Secret: "x", MaxContacts: 200}, // capped at 100 by FreePBX
	})}
	ph := func(mac string, exts ...string) inventory.Phone {
		p := inventory.Phone{MAC: macaddr.MAC(mac), Model: "7960"}
		for i, e := range exts {
			p.Lines = append(p.Lines, inventory.Line{N: i + 1, Ext: e})
		}
		return p
	}
	phones := []inventory.Phone{
		ph("0000000000A1", "10", "20", "30", "40", "50"),
		ph("0000000000A2", "20", "10", "30", "50", "99"),
		ph("0000000000A3", "30", "40", "10", "60"),
		ph("0000000000A4", "60", "60"), // one phone, two keys: one registration
	}
	got := Shared(phones, d)
	want := map[string][]macaddr.MAC{
		"10": {"0000000000A1", "0000000000A2", "0000000000A3"},
		"20": {"0000000000A1", "0000000000A2"},
		"30": {"0000000000A1", "0000000000A2", "0000000000A3"}, // 3 phones, max_contacts 2
		"40": {"0000000000A1", "0000000000A3"},
		"50": {"0000000000A1", "0000000000A2"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d shared extensions, want %d: %+v", len(got), len(want), got)
	}
	for _, s := range got {
		w, ok := want[s.Ext]
		if !ok || strings.Join(macStrings(s.Phones), ",") != strings.Join(macStrings(w), ",") {
			t.Errorf("%s: phones %v, want %v", s.Ext, s.Phones, w)
		}
		for _, m := range s.Phones {
			if !strings.Contains(s.Msg, string(m)) || !strings.Contains(s.Msg, "extension "+s.Ext) {
				t.Errorf("%s: message does not name %s: %q", s.Ext, m, s.Msg)
			}
		}
	}
	if m := got[0].Msg; !strings.Contains(m, "chan_sip keeps one") || !strings.Contains(m, "0000000000A1 line 1") || !strings.Contains(m, "0000000000A2 line 2") {
		t.Errorf("10: %q", m)
	}
	if m := got[1].Msg; !strings.Contains(m, "max_contacts 1") || !strings.Contains(m, "Max Contacts to 2") {
		t.Errorf("20: %q", m)
	}
	if m := got[2].Msg; !strings.Contains(m, "max_contacts 2") || !strings.Contains(m, "Max Contacts to 3") {
		t.Errorf("30: %q", m)
	}

	// phone add of A5 with 30: only its shared extensions are said.
	w := SharedWith(ph("0000000000A5", "60", "30"), phones, d)
	if len(w) != 1 || w[0].Ext != "30" || len(w[0].Phones) != 4 {
		t.Errorf("SharedWith: %+v", w)
	}
	// phone set of A1 dropping 10: A2 and A3 still share it, but that is
	// not A1's to hear.
	for _, s := range SharedWith(ph("0000000000A1", "20"), phones, d) {
		if s.Ext != "20" {
			t.Errorf("SharedWith after set: %+v", s)
		}
	}
}

func macStrings(ms []macaddr.MAC) []string {
	var out []string
	for _, m := range ms {
		out = append(out, string(m))
	}
	return out
}

func TestDriverAndDial(t *testing.T) {
	d := freepbx.Data{
		Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{
			"1": {ID: "1", Tech: "pjsip", Secret: "x", Driver: freepbx.DriverSIP},
			"2": {ID: "2", Tech: "sip", Secret: "x", Driver: freepbx.DriverPJSIP},
			"3": {ID: "3", Tech: "pjsip", Secret: "x", Driver: freepbx.DriverOther},
			"4": {ID: "4", Tech: "pjsip", Secret: "x", Driver: freepbx.DriverPJSIP},
			"5": {ID: "5", Tech: "sip", Secret: "x"}, // no sipdriver row: 2.x
			"6": {ID: "6", Tech: "sip", Secret: "x", Driver: freepbx.DriverSIP},
		}),
		Dials: map[string]string{"4": "SIP/4", "6": "PJSIP/6"},
	}
	for ext, want := range map[string]string{
		"1": "devices.tech is pjsip but the device's sipdriver (sip table) is chan_sip",
		"2": "devices.tech is sip but the device's sipdriver (sip table) is chan_pjsip",
		"3": "is neither chan_pjsip nor chan_sip",
		"4": "dial string (devices.dial) is SIP/4: FreePBX rings that, not PJSIP/4",
		"5": "",
		"6": "dial string (devices.dial) is PJSIP/6: FreePBX rings that, not SIP/6",
	} {
		_, msg := Line(inventory.Line{N: 1, Ext: ext}, d)
		if want == "" && msg != "" || !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want %q", ext, msg, want)
		}
	}
}

// SharedEach, which holds a hash a line, finds what Shared finds: on the
// phones above and on many random ones (extensions on one phone or more,
// twice on a phone, unknown to FreePBX).
func TestSharedEach(t *testing.T) {
	exts := map[string]freepbx.Extension{}
	for i := range 60 {
		id := fmt.Sprint(100 + i)
		exts[id] = freepbx.Extension{ID: id, Tech: []string{"sip", "pjsip"}[i%2], MaxContacts: uint8(i % 4)}
	}
	d := freepbx.Data{Extensions: freepbx.ExtensionsOf(exts)}
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 30 {
		var phones []inventory.Phone
		for k := range 20 + round*10 {
			p := inventory.Phone{MAC: macaddr.MAC(fmt.Sprintf("0000%08X", k)), Model: "7960"}
			for n := range 1 + r.IntN(4) {
				p.Lines = append(p.Lines, inventory.Line{N: n + 1, Ext: fmt.Sprint(100 + r.IntN(70+round*20))})
			}
			phones = append(phones, p)
		}
		each := func(f func(inventory.Phone) error) error {
			for _, p := range phones {
				if err := f(p); err != nil {
					return err
				}
			}
			return nil
		}
		got, err := SharedEach(each, d)
		if err != nil {
			t.Fatal(err)
		}
		if want := Shared(phones, d); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: SharedEach %+v\nShared %+v", round, got, want)
		}
	}
	stop := errors.New("stop")
	if _, err := SharedEach(func(func(inventory.Phone) error) error { return stop }, d); err != stop {
		t.Errorf("the phones' error: %v", err)
	}
}
