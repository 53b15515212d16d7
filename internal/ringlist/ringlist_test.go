package ringlist

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseFieldCase(t *testing.T) {
	data, err := os.ReadFile("testdata/RINGLIST-pcm.DAT")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data)
	want := []Entry{{"Old Style", "ringer1.pcm"}, {"Synth Low", "ringer2.pcm"}, {"ctu", "CTU.pcm"}, {"ctu24", "CTU24.pcm"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestParse(t *testing.T) {
	got, err := Parse([]byte("\r\nChirp 1\tChirp1.raw\r\n  \nBell   bell.raw\n"))
	if err != nil || !reflect.DeepEqual(got, []Entry{{"Chirp 1", "Chirp1.raw"}, {"Bell", "bell.raw"}}) {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := Parse([]byte("ok\tok.raw\nlonely\n")); err == nil || !strings.Contains(err.Error(), "RINGLIST.DAT:2") {
		t.Errorf("err = %v", err)
	}
}

func label(f string) string { return strings.TrimSuffix(f, ".raw") }

func TestMerge(t *testing.T) {
	admin := []Entry{{"Old Style", "ringer1.pcm"}, {"Synth Low", "ringer2.pcm"}, {"ctu", "CTU.pcm"}, {"ctu24", "CTU24.pcm"}}
	for _, c := range []struct {
		name          string
		existing      []Entry
		names, raw    []string
		want, dropped []Entry
	}{
		{"field case: one .raw appears", admin,
			[]string{"ringer1.pcm", "ringer2.pcm", "CTU.pcm", "CTU24.pcm", "Chirp.raw", "SIPDefault.cnf"}, []string{"Chirp.raw"},
			append(append([]Entry(nil), admin...), Entry{"Chirp", "Chirp.raw"}), nil},
		{"an entry whose file is gone is dropped and named", admin,
			[]string{"ringer1.pcm", "ringer2.pcm", "CTU.pcm", "Chirp.raw"}, []string{"Chirp.raw"},
			append(append([]Entry(nil), admin[:3]...), Entry{"Chirp", "Chirp.raw"}), admin[3:]},
		{"the last run's list: stable, new .raw appended in order", []Entry{{"Zed", "Zed.raw"}, {"My Label", "A.raw"}},
			[]string{"A.raw", "B.raw", "Zed.raw"}, []string{"A.raw", "B.raw", "Zed.raw"},
			[]Entry{{"Zed", "Zed.raw"}, {"My Label", "A.raw"}, {"B", "B.raw"}}, nil},
		{"duplicate entries listed once", []Entry{{"a", "x.pcm"}, {"b", "x.pcm"}},
			[]string{"x.pcm", "y.raw"}, []string{"y.raw"}, []Entry{{"a", "x.pcm"}, {"y", "y.raw"}}, nil},
		{"no list yet", nil, []string{"b.raw", "a.raw"}, []string{"b.raw", "a.raw"}, []Entry{{"a", "a.raw"}, {"b", "b.raw"}}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, dropped := Merge(c.existing, func(f string) bool { return slices.Contains(c.names, f) }, c.raw, label)
			if !reflect.DeepEqual(got, c.want) || !reflect.DeepEqual(dropped, c.dropped) {
				t.Errorf("got %q dropped %q\nwant %q dropped %q", got, dropped, c.want, c.dropped)
			}
		})
	}
}

// Cisco's ring rules at and beyond each edge.
func TestPlayable(t *testing.T) {
	for _, c := range []struct {
		name string
		size int64
		bad  string // part of the reason, "" when playable
	}{
		{"Chirp1.raw", 240, ""},
		{"Chirp1.raw", 16080, ""},
		{"Chirp1.raw", 4800, ""},
		{"Abcdefghijklmnopqrstu.raw", 4800, ""}, // 25 characters
		{"Abcdefghijklmnopqrstuv.raw", 4800, "26 characters"},
		{"Glöckchen-läutet-leise.raw", 4800, "26 characters"}, // counted in characters, not bytes
		{"Empty.raw", 0, "empty"},
		{"Click.raw", 120, "at least 240"},
		{"Long.raw", 16320, "at most 16080"},
		{"Long.raw", 48000, "at most 16080"},
		{"Odd.raw", 4801, "trim or pad it to 4800 or 5040"},
	} {
		got := Playable(c.name, c.size)
		if (c.bad == "") != (got == "") || !strings.Contains(got, c.bad) {
			t.Errorf("Playable(%q, %d) = %q, want %q", c.name, c.size, got, c.bad)
		}
	}
}
