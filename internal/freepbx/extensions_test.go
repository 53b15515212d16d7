package freepbx

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The packed devices are what a map of them was: every device found by
// its id with every field, a later add of an id winning, updates as the
// sip rows make them, ids that are not there not found.
func TestExtensionsAsMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 30 {
		want := map[string]Extension{}
		var b extBuilder
		for i := range 50 + round*40 {
			id := fmt.Sprint(r.IntN(60 + round*40))
			if i%17 == 0 {
				id = "tr-" + id + "é"
			}
			e := Extension{ID: id, Tech: []string{"sip", "pjsip"}[r.IntN(2)], Name: fmt.Sprint("Name ", i), Register: RegNoAccount}
			want[id] = e
			if err := b.add(e); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 300 {
			id := fmt.Sprint(r.IntN(60 + round*40))
			e, at, ok := b.get([]byte(id))
			if w, wok := want[id]; ok != wok || ok && e != w {
				t.Fatalf("round %d: get %q: %+v %v, want %+v %v", round, id, e, ok, w, wok)
			}
			if !ok {
				continue
			}
			switch i % 4 {
			case 0:
				e.Secret = fmt.Sprint("s3cr3t", i)
			case 1:
				e.MD5Cred, e.Driver, e.MaxContacts = true, DriverPJSIP, uint8(i%100)
			case 2:
				e.Register &^= RegNoAccount
				e.Name = ""
			case 3:
				e.Name = fmt.Sprint("Renamed ", i)
			}
			if err := b.set(at, e); err != nil {
				t.Fatal(err)
			}
			want[id] = e
		}
		x := b.done()
		if x.Len() != len(want) {
			t.Fatalf("round %d: %d devices, want %d", round, x.Len(), len(want))
		}
		var ids []string
		for e := range x.All() {
			ids = append(ids, e.ID)
			if g, ok := x.Get(e.ID); !ok || g != want[e.ID] || e != g {
				t.Fatalf("round %d: %q: all %+v, get %+v, want %+v", round, e.ID, e, g, want[e.ID])
			}
		}
		if !slices.IsSorted(ids) {
			t.Fatalf("round %d: not by id: %v", round, ids)
		}
		for _, id := range []string{"", "x", "-1", "99999"} {
			if _, ok := x.Get(id); ok {
				t.Fatalf("round %d: %q found", round, id)
			}
		}
		if y := ExtensionsOf(want); y.Len() != x.Len() {
			t.Fatalf("ExtensionsOf: %d devices, want %d", y.Len(), x.Len())
		}
	}
}

// A value longer than the packing holds is an error naming the device,
// not a crash: FreePBX's columns never hold one, a table changed by hand may.
func TestExtensionsTooLong(t *testing.T) {
	var b extBuilder
	if err := b.add(Extension{ID: strings.Repeat("1", 256), Tech: "sip"}); err == nil || !strings.Contains(err.Error(), "id is 256 bytes") {
		t.Errorf("long id: %v", err)
	}
	if err := b.add(Extension{ID: "1001", Tech: "sip"}); err != nil {
		t.Fatal(err)
	}
	e, at, _ := b.get([]byte("1001"))
	e.Secret = strings.Repeat("s", 65536)
	if err := b.set(at, e); err == nil || !strings.Contains(err.Error(), `device "1001": its secret is 65536 bytes`) {
		t.Errorf("long secret: %v", err)
	}
	if err := b.add(Extension{ID: "1002", Tech: "iax2"}); err == nil {
		t.Error("tech iax2: no error")
	}
}
