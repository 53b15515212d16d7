package phonecfg

import (
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// TestB19LabelWithoutName: an extension with no usable name (Bulk Handler
// CSV with an empty "name" column, a device whose users row is gone, or a
// name in a script cnftext drops) gets the extension as its display name,
// which is right; but phone_label is then made of "EXT FIRSTWORD" with the
// display name's first word being the extension again: the 7960's top
// line reads "1931 1931". Right: the extension once ("1931").
func TestB19LabelWithoutName(t *testing.T) {
	pbx := freepbx.Data{
		Ports: freepbx.Ports{ChanSIP: 5060},
		Extensions: freepbx.ExtensionsOf(map[string]freepbx.Extension{
			"1931": {ID: "1931", Tech: "sip", Name: "", Secret: "pw1931"},
		}),
	}
	c := Build(Input{Site: siteconf.Defaults(), Proxy: "192.0.2.10", FreePBX: pbx,
		Inventory: inventory.Inventory{Phones: []inventory.Phone{{MAC: "0000000019B1", Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1931"}}}}}})
	if len(c.Phones) != 1 {
		t.Fatalf("phones %v, problems %v", c.Phones, c.Problems)
	}
	if got := c.Phones[0].Label; got != "1931" {
		t.Errorf("phone_label %q, want the extension once: %q", got, "1931")
	}
}
