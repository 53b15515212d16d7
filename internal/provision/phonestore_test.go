package provision

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/spill"
)

// fillEvery sets every field of v (a struct, recursively through slices of
// structs) to a value of its own, distinct from the zero value and from
// the other fields'; it fails on a kind it does not know, so a new field
// of Phone or Line is either carried by the store or seen here.
func fillEvery(t *testing.T, v reflect.Value, seed *int) {
	for i := range v.NumField() {
		f := v.Field(i)
		*seed++
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("v%d\x00é", *seed))
		case reflect.Int, reflect.Int64, reflect.Int32:
			f.SetInt(int64(*seed) * -1000003)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 2, 2)
			for j := range 2 {
				fillEvery(t, s.Index(j), seed)
			}
			f.Set(s)
		default:
			t.Fatalf("%s.%s: a %s field the phone store does not carry", v.Type(), v.Type().Field(i).Name, f.Kind())
		}
	}
}

func TestPhoneStoreRoundTrip(t *testing.T) {
	for _, where := range []string{"file", "memory"} {
		t.Run(where, func(t *testing.T) {
			s := newPhoneStore(t.TempDir())
			if where == "memory" {
				s.s = spill.InMemory() // as where no file can be made
			}
			defer s.close()
			seed := 0
			var want []phonecfg.Phone
			for i := range 300 {
				var p phonecfg.Phone
				if i%3 != 0 {
					fillEvery(t, reflect.ValueOf(&p).Elem(), &seed)
				}
				p.MAC = macaddr.MAC(fmt.Sprintf("0011223344%02X", i%256))
				want = append(want, p)
				if err := s.add(&p); err != nil {
					t.Fatal(err)
				}
			}
			next, err := s.reader()
			if err != nil {
				t.Fatal(err)
			}
			var got []phonecfg.Phone
			for {
				b, err := next(64)
				if err != nil {
					t.Fatal(err)
				}
				if len(b) == 0 {
					break
				}
				got = append(got, b...)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("read back differs: first got %+v, want %+v", got[1], want[1])
			}
		})
	}
}

// Bytes that are not a phone's encoding are an error, never a phone made up
// of the wrong bytes.
func TestPhoneStoreDamaged(t *testing.T) {
	p := phonecfg.Phone{MAC: "001122334455", Lines: []phonecfg.Line{{N: 1, Name: "100", Password: "secret"}}}
	whole := string(appendPhone(nil, &p))
	var got phonecfg.Phone
	if err := decodePhone(whole, &got); err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("whole: %+v, %v", got, err)
	}
	for cut := range len(whole) {
		if err := decodePhone(whole[:cut], &got); err == nil {
			t.Errorf("cut to %d bytes: read %+v, no error", cut, got)
		}
	}
	if err := decodePhone(whole+"x", &got); err == nil {
		t.Errorf("a byte more: read %+v, no error", got)
	}
}
