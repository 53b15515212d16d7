package freepbx

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
			b.add(e)
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
			b.set(at, e)
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
