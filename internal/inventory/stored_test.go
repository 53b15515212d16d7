package inventory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/spill"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

func TestStoredKeepsEveryField(t *testing.T) {
	var p Phone
	seed := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		for i := range v.NumField() {
			f := v.Field(i)
			seed++
			switch f.Kind() {
			case reflect.String:
				f.SetString(fmt.Sprintf("v%d\x00é", seed))
			case reflect.Int:
				f.SetInt(int64(seed) * -1000003)
			case reflect.Slice:
				s := reflect.MakeSlice(f.Type(), 3, 3)
				for j := range 3 {
					fill(s.Index(j))
				}
				f.Set(s)
			default:
				t.Fatalf("%s.%s: a %s field the stored inventory does not carry", v.Type(), v.Type().Field(i).Name, f.Kind())
			}
		}
	}
	fill(reflect.ValueOf(&p).Elem())
	var got Phone
	if err := decodePhone(string(appendPhone(nil, &p)), &got); err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("read back %+v, %v; want %+v", got, err, p)
	}
	enc := string(appendPhone(nil, &p))
	for cut := range len(enc) {
		if err := decodePhone(enc[:cut], &got); err == nil {
			t.Fatalf("cut to %d bytes: no error", cut)
		}
	}
}

// randomSources are three sources of rows with what merging meets: MACs
// spelt several ways, in two sources, twice in one, bad models and lines.
func randomSources(r *rand.Rand, n int) [3][]raw {
	var out [3][]raw
	names := [3]string{Ours, EndpointMan, Endpoint}
	for s := range out {
		for range n {
			mac := fmt.Sprintf("0011%08X", r.IntN(n*2))
			switch r.IntN(6) {
			case 0:
				mac = mac[:2] + ":" + mac[2:4] + ":" + mac[4:6] + ":" + mac[6:8] + ":" + mac[8:10] + ":" + mac[10:]
			case 1:
				mac = "x" + mac[1:]
			}
			model := []string{"7940", "7960", "7960", "7912"}[r.IntN(4)]
			row := raw{mac: mac, model: model, label: fmt.Sprint("L", r.IntN(9)), source: names[s]}
			for l := range r.IntN(4) {
				row.lines = append(row.lines, rawLine{n: l + 1 + r.IntN(2), ext: fmt.Sprint(1000 + r.IntN(50)), label: "k"})
			}
			out[s] = append(out[s], row)
		}
	}
	return out
}

// A stored inventory is the inventory Load makes, phone for phone, problem
// for problem, whether its file holds the phones or memory does.
func TestStoredMergesAsInMemory(t *testing.T) {
	for round := range 20 {
		src := randomSources(rand.New(rand.NewPCG(uint64(round), 7)), 40+round*20)
		want := merge(src[0], src[1], src[2])
		for _, file := range []*spill.File{spill.New(t.TempDir()), spill.InMemory()} {
			m := newMerger()
			m.file = file
			for _, rows := range src {
				m.add(rows)
			}
			inv := m.done()
			st := &Stored{Inventory: inv, file: file, index: m.stored}
			var phones []Phone
			if err := st.Each(func(p Phone) error { phones = append(phones, p); return nil }); err != nil {
				t.Fatal(err)
			}
			if st.Len() != len(want.Phones) || !reflect.DeepEqual(phones, want.Phones) {
				t.Fatalf("round %d: %d phones stored, want %d:\n%+v\n%+v", round, len(phones), len(want.Phones), phones, want.Phones)
			}
			inv.Phones = want.Phones
			if !reflect.DeepEqual(inv, want) {
				t.Fatalf("round %d: stored inventory\n%+v\nwant\n%+v", round, inv, want)
			}
			st.Close()
		}
	}
}

func TestLoadStored(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	if err := Ensure(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO " + PhoneTable + " (mac, model, label) VALUES ('001122334455', '7960', 'Front'), ('001122334456', '7940', ''), ('00112233AA57', '7940', '')",
		"INSERT INTO " + LineTable + " (mac, line, ext, label) VALUES ('001122334455', 3, '1003', ''), ('001122334455', 1, '1001', 'One'), ('001122334456', 1, '1004', '')",
	} {
		db.MustExec(t, q)
	}
	have := map[string]bool{PhoneTable: true, LineTable: true}
	want, err := Load(ctx, db.DB, have)
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadStored(ctx, db.DB, have)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var phones []Phone
	if err := st.Each(func(p Phone) error { phones = append(phones, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(phones) != 2 || !reflect.DeepEqual(phones, want.Phones) {
		t.Fatalf("stored %+v, want %+v", phones, want.Phones)
	}
	got := st.Inventory
	got.Phones = want.Phones
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
}
