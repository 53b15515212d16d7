package inventory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
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
			// In the file's order; the same every time.
			var again []Phone
			st.Each(func(p Phone) error { again = append(again, p); return nil })
			if !reflect.DeepEqual(phones, again) {
				t.Fatalf("round %d: another order the second time", round)
			}
			slices.SortFunc(phones, func(a, b Phone) int { return strings.Compare(string(a.MAC), string(b.MAC)) })
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

// The Endpoint Manager's phones are read in id order and their lines by
// mac_id (loadEPM): whatever the ids, each phone gets exactly its lines,
// phones without lines and other brands' lines are as before, and the
// problems come in MAC order, as when the rows came sorted by MAC.
func TestLoadEPMInIDOrder(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	for _, q := range []string{
		"INSERT INTO endpointman_brand_list (id, name, directory, installed) VALUES ('7', 'Cisco/Linksys', 'cisco', 1), ('2', 'Polycom', 'polycom', 1)",
		"INSERT INTO endpointman_model_list (id, brand, model, max_lines, product_id, enabled) VALUES ('712', 7, '7960', 6, '71', 1), ('711', 7, '7940', 2, '71', 1), ('201', 2, 'SPIP650', 6, '21', 1)",
		// ids against MAC order; 5 is a Polycom with lines; 6 has none.
		"INSERT INTO endpointman_mac_list (id, mac, model) VALUES (1, '0011223344ff', '712'), (2, '0011223344aa', '711'), (3, '0011223344cc', '712'), (5, '0011223344bb', '201'), (6, '0011223344dd', '712'), (7, '0011223344ee', '711')",
		"INSERT INTO endpointman_line_list (mac_id, line, ext, description) VALUES (7, 1, '1007', ''), (5, 1, '1005', ''), (3, 2, '1032', 'Two'), (1, 1, '1001', 'F'), (3, 1, '1031', 'One'), (2, 3, '1023', ''), (2, 1, '1021', ''), (9, 1, '1009', ''), (1, 9, '1019', '')",
	} {
		db.MustExec(t, q)
	}
	have := map[string]bool{"endpointman_mac_list": true, "endpointman_model_list": true, "endpointman_brand_list": true, "endpointman_line_list": true}
	inv, err := Load(ctx, db.DB, have)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range inv.Phones {
		s := string(p.MAC) + " " + p.Model + ":"
		for _, l := range p.Lines {
			s += fmt.Sprintf(" %d=%s/%s", l.N, l.Ext, l.Label)
		}
		got = append(got, s)
	}
	want := []string{"0011223344AA 7940: 1=1021/", "0011223344CC 7960: 1=1031/One 2=1032/Two", "0011223344EE 7940: 1=1007/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("phones:\n%v\nwant\n%v", got, want)
	}
	var probs []string
	for _, p := range inv.Problems {
		probs = append(probs, fmt.Sprintf("%s %d %v", p.MAC, p.Line, p.Dropped))
	}
	// aa's line 3 (beyond a 7940's 2, within the Endpoint Manager's 4) is
	// dropped; dd has no lines; ff's line 9 is beyond every 7960.
	if w := []string{"0011223344AA 3 true", "0011223344DD 0 false", "0011223344FF 9 false"}; !reflect.DeepEqual(probs, w) {
		t.Errorf("problems %v, want %v", probs, w)
	}
	if w := []macaddr.MAC{"0011223344DD", "0011223344FF"}; !reflect.DeepEqual(inv.Bad, w) {
		t.Errorf("bad %v, want %v", inv.Bad, w)
	}
}
