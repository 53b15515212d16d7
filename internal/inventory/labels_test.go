package inventory

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

func TestCheckLabel(t *testing.T) {
	for _, c := range []struct {
		label string
		max   int
		bad   string
	}{
		{"", PhoneLabelMax, ""},
		{"Reception 1", PhoneLabelMax, ""},
		{"Reception 12", PhoneLabelMax, "12 characters"},
		{"Empfang Süd", PhoneLabelMax, ""},                  // 11 once transliterated
		{"Straße Nord", PhoneLabelMax, "12 characters"},     // ß is sent as ss
		{"  Front   desk  ", LineLabelMax, ""},              // spaces folded: "Front desk"
		{`"#;`, LineLabelMax, "nothing the phone can show"}, // all dropped
		{strings.Repeat("#", 45) + "A", LineLabelMax, "stores at most 40"},
	} {
		err := CheckLabel(c.label, c.max)
		if c.bad == "" && err != nil || c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)) {
			t.Errorf("CheckLabel(%q, %d) = %v, want %q", c.label, c.max, err, c.bad)
		}
	}
}

// TestSetLabelBackstop: Add and Set refuse a label the phone cannot show
// (ErrInvalid, nothing stored), whatever the caller checked; a label
// stored earlier and not changed by this Set does not block it.
func TestSetLabelBackstop(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	long := "Reception desk - front lobby"
	p := Phone{MAC: "001122334466", Model: "7960", Lines: []Line{{N: 1, Ext: "1001"}, {N: 2, Ext: "1002"}}}
	if err := Add(ctx, db.DB, Phone{MAC: p.MAC, Model: p.Model, Label: long, Lines: p.Lines}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Add with a %d-character label: %v", len(long), err)
	}
	if err := Add(ctx, db.DB, p); err != nil {
		t.Fatal(err)
	}
	if err := Set(ctx, db.DB, p.MAC, Change{Label: &long}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "phone_label") {
		t.Errorf("Set label: %v", err)
	}
	// A long line label from before this rule, kept as it is.
	db.MustExec(t, "UPDATE "+LineTable+" SET label = ? WHERE mac = ? AND line = 1", long, string(p.MAC))
	lines := []Line{{N: 1, Ext: "1001", Label: long}, {N: 2, Ext: "1002", Label: "Sales"}}
	if err := Set(ctx, db.DB, p.MAC, Change{Lines: lines}); err != nil {
		t.Errorf("Set with line 1's stored label unchanged: %v", err)
	}
	lines[1].Label = long
	if err := Set(ctx, db.DB, p.MAC, Change{Lines: lines}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "line2_shortname") {
		t.Errorf("Set line 2 label: %v", err)
	}
	got, err := Get(ctx, db.DB, map[string]bool{PhoneTable: true}, p.MAC)
	if err != nil || got.Label != "" || got.Lines[1].Label != "Sales" {
		t.Errorf("after the refusals: %+v, %v", got, err)
	}
}
