package inventory

import (
	"context"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// Our inventory is read in one query, phones with their lines; each phone
// gets the lines of exactly its MAC as stored, in line order, and a phone
// without lines is named.
func TestLoadOursOneQuery(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	if err := Ensure(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO " + PhoneTable + " (mac, model, label) VALUES ('001122334455', '7960', 'Front'), ('001122334456', '7940', ''), ('00112233AA57', '7940', '')",
		"INSERT INTO " + LineTable + " (mac, line, ext, label) VALUES ('001122334455', 3, '1003', ''), ('001122334455', 1, '1001', 'One'), ('001122334456', 1, '1004', '')",
		// Not the phone's MAC as stored (the table compares without case):
		// not its line, as when lines were read by a query of their own.
		"INSERT INTO " + LineTable + " (mac, line, ext) VALUES ('00112233aa57', 1, '1005'), ('999999999999', 1, '1006')",
	} {
		db.MustExec(t, q)
	}
	inv, err := Load(ctx, db.DB, map[string]bool{PhoneTable: true, LineTable: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Phones) != 2 {
		t.Fatalf("phones: %+v", inv.Phones)
	}
	p := inv.Phones[0]
	if p.MAC != "001122334455" || p.Label != "Front" || len(p.Lines) != 2 || p.Lines[0].Ext != "1001" || p.Lines[0].Label != "One" || p.Lines[1].N != 3 {
		t.Errorf("first phone: %+v", p)
	}
	if p := inv.Phones[1]; p.MAC != "001122334456" || len(p.Lines) != 1 || p.Lines[0].Ext != "1004" {
		t.Errorf("second phone: %+v", p)
	}
	if len(inv.Bad) != 1 || inv.Bad[0] != "00112233AA57" || len(inv.Problems) != 1 || !strings.Contains(inv.Problems[0].Msg, "no lines") {
		t.Errorf("bad %v, problems %v", inv.Bad, inv.Problems)
	}
}
