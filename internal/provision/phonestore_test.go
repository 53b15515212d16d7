package provision

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
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
			s := newPhoneStore("")
			if where == "memory" {
				s.close() // no file: as where none can be made
			} else if s.f == nil {
				t.Fatal("no temporary file made in", os.TempDir())
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

// A store whose bytes are cut short or corrupted says so; it never hands
// the plan a phone made up of the wrong bytes.
func TestPhoneStoreDamaged(t *testing.T) {
	s := newPhoneStore("")
	s.close()
	p := phonecfg.Phone{MAC: "001122334455", Lines: []phonecfg.Line{{N: 1, Name: "100", Password: "secret"}}}
	s.add(&p)
	whole := append([]byte(nil), s.mem...)
	for cut := range len(whole) - 1 {
		s.mem = whole[:cut+1]
		next, _ := s.reader()
		if b, err := next(64); err == nil {
			t.Errorf("cut to %d bytes: read %+v, no error", cut+1, b)
		}
	}
	s.mem = append(append([]byte(nil), whole...), 0)
	s.mem[0]++ // the length one more: the phone's encoding has a byte left over
	next, _ := s.reader()
	if b, err := next(64); err == nil {
		t.Errorf("length off by one: read %+v, no error", b)
	}
}

// A temporary directory that stops taking the phones (full, say) midway
// fails nothing: what the file holds and the rest are kept in memory, in
// order, and the run says so.
func TestPhoneStoreFileFails(t *testing.T) {
	s := newPhoneStore(t.TempDir())
	defer s.close()
	if s.f == nil {
		t.Fatal("no temporary file made")
	}
	var want []phonecfg.Phone
	add := func(i int) {
		p := phonecfg.Phone{MAC: macaddr.MAC(fmt.Sprintf("%012X", i)), Model: "7960",
			Lines: []phonecfg.Line{{N: 1, Name: fmt.Sprint(1000 + i), Password: strings.Repeat("s", 32), DisplayName: "Some One"}}}
		want = append(want, p)
		if err := s.add(&p); err != nil {
			t.Fatal(err)
		}
	}
	i := 0
	for ; s.off == 0; i++ {
		add(i)
	}
	// The same file, now read-only: the next write fails.
	ro, err := os.Open(fmt.Sprintf("/proc/self/fd/%d", s.f.Fd()))
	if err != nil {
		t.Skip("cannot reopen the temporary file:", err)
	}
	s.f.Close()
	s.f = ro
	for end := i + 2000; i < end; i++ {
		add(i)
	}
	if s.f != nil || s.note == "" {
		t.Fatalf("file %v, note %q: want the phones moved to memory, and said", s.f, s.note)
	}
	next, err := s.reader()
	if err != nil {
		t.Fatal(err)
	}
	got, err := next(len(want) + 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %d phones, want %d as added", len(got), len(want))
	}
}
