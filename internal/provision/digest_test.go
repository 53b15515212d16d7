package provision

import (
	"reflect"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
)

// Every field of a phone and of its lines, except the sync value, moves
// the phone's inputs digest: a field the hasher missed would leave the
// phone's files as an older run wrote them.
func TestPhoneDigestCoversEveryField(t *testing.T) {
	base := phonecfg.Phone{MAC: "001122AABB01", Model: "7960", Label: "l", Image: "i", Sync: "3",
		Lines: []phonecfg.Line{{N: 1, Name: "n", Password: "p", DisplayName: "d", ShortName: "s", Proxy: "x", Port: 5060, Tech: "sip"}}}
	ph := newPhoneHasher()
	var shared [16]byte
	want, _ := ph.digest(shared, base)
	if again, _ := ph.digest(shared, base); again != want {
		t.Fatal("digest not repeatable")
	}
	shared[0] = 1
	if d, _ := ph.digest(shared, base); d == want {
		t.Error("shared inputs not hashed")
	}
	shared[0] = 0
	// change sets field f of v (a struct) to another value.
	change := func(t *testing.T, v reflect.Value, i int) {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
		case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint16:
			if f.CanInt() {
				f.SetInt(f.Int() + 1)
			} else {
				f.SetUint(f.Uint() + 1)
			}
		case reflect.Bool:
			f.SetBool(!f.Bool())
		default:
			t.Fatalf("%s.%s: a %s field the test (and the hasher) do not know", v.Type(), v.Type().Field(i).Name, f.Kind())
		}
	}
	pt := reflect.TypeOf(base)
	for i := range pt.NumField() {
		name := pt.Field(i).Name
		if name == "Lines" {
			continue
		}
		p := base
		p.Lines = append([]phonecfg.Line(nil), base.Lines...)
		change(t, reflect.ValueOf(&p).Elem(), i)
		d, _ := ph.digest(shared, p)
		if name == "Sync" {
			if d != want {
				t.Error("the sync value moves the digest")
			}
			continue
		}
		if d == want {
			t.Errorf("Phone.%s not hashed", name)
		}
	}
	lt := reflect.TypeOf(base.Lines[0])
	for i := range lt.NumField() {
		p := base
		p.Lines = append([]phonecfg.Line(nil), base.Lines...)
		change(t, reflect.ValueOf(&p.Lines[0]).Elem(), i)
		if d, _ := ph.digest(shared, p); d == want {
			t.Errorf("Line.%s not hashed", lt.Field(i).Name)
		}
	}
	// A second line, and field boundaries: "ab"+"" is not "a"+"b".
	p := base
	p.Lines = append(append([]phonecfg.Line(nil), base.Lines...), base.Lines[0])
	if d, _ := ph.digest(shared, p); d == want {
		t.Error("a second line not hashed")
	}
	a, b := base, base
	a.Model, a.Label = "7960l", ""
	b.Model, b.Label = "7960", "l"
	if da, _ := ph.digest(shared, a); da == func() [16]byte { d, _ := ph.digest(shared, b); return d }() {
		t.Error("fields run together")
	}
}
