package tzrule

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestZones(t *testing.T) {
	cases := []struct {
		name, code string
		dst        *DST
	}{
		// EU: last Sunday of March 01:00 UTC (02:00 CET) to last Sunday of
		// October 01:00 UTC (03:00 CEST).
		{"Europe/Berlin", "CET", &DST{1, Change{3, 8, 1, 2, 0}, Change{10, 8, 1, 3, 0}}},
		// US: second Sunday of March to first Sunday of November, 02:00 local.
		{"America/New_York", "EST", &DST{1, Change{3, 2, 1, 2, 0}, Change{11, 1, 1, 2, 0}}},
		{"Asia/Tokyo", "JST", nil},
		{"Europe/London", "GMT", &DST{1, Change{3, 8, 1, 1, 0}, Change{10, 8, 1, 2, 0}}},
		{"Asia/Kolkata", "IST", nil},
		{"Australia/Sydney", "EAST", &DST{1, Change{10, 1, 1, 2, 0}, Change{4, 1, 1, 3, 0}}},
		{"Pacific/Honolulu", "AHST", nil},
		{"Etc/UTC", "GMT", nil},
	}
	for _, c := range cases {
		z, err := Lookup(c.name)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if z.Code != c.code {
			t.Errorf("%s: code %s, want %s", c.name, z.Code, c.code)
		}
		switch {
		case c.dst == nil && z.DST != nil:
			t.Errorf("%s: DST %+v, want none", c.name, *z.DST)
		case c.dst != nil && (z.DST == nil || *z.DST != *c.dst):
			t.Errorf("%s: DST %+v, want %+v (from %s)", c.name, z.DST, *c.dst, z.POSIX)
		}
		checkAgainstGo(t, c.name, z)
	}
}

// checkAgainstGo checks the rule against Go's own reading of the same
// database: the offset in mid-January and mid-July, for this year.
func checkAgainstGo(t *testing.T, name string, z Zone) {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	y := time.Now().Year()
	_, jan := time.Date(y, 1, 15, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(y, 7, 15, 12, 0, 0, 0, loc).Zone()
	std, summer := jan, jul
	if jul < jan { // southern hemisphere
		std, summer = jul, jan
	}
	if std != z.Offset {
		t.Errorf("%s: standard offset %d, Go says %d", name, z.Offset, std)
	}
	if (summer != std) != (z.DST != nil) || z.DST != nil && z.DST.Offset*3600 != summer-std {
		t.Errorf("%s: DST %+v, Go says %d then %d", name, z.DST, std, summer)
	}
	if z.DST == nil {
		return
	}
	// The start change: the first instant of the year at the summer offset.
	for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.Add(time.Hour) {
		_, off := d.In(loc).Zone()
		_, prev := d.Add(-time.Hour).In(loc).Zone()
		if off == prev {
			continue
		}
		local := d.Add(time.Duration(prev) * time.Second) // wall clock before the change
		c := z.DST.Stop
		if off == summer {
			c = z.DST.Start
		}
		if int(local.Month()) != c.Month || int(local.Weekday())+1 != c.Weekday || local.Hour() != c.Hour {
			t.Errorf("%s: change at %s local, rule says month %d weekday %d %s", name, local, c.Month, c.Weekday, c.Time())
		}
		week := (local.Day()-1)/7 + 1
		if c.Week == 8 {
			if local.AddDate(0, 0, 7).Month() == local.Month() {
				t.Errorf("%s: change on %s is not in the last week", name, local)
			}
		} else if week != c.Week {
			t.Errorf("%s: change on %s is in week %d, rule says %d", name, local, week, c.Week)
		}
	}
}

func TestUnrepresentable(t *testing.T) {
	for _, name := range []string{"Asia/Kathmandu", "Australia/Lord_Howe", "Asia/Jerusalem"} {
		if _, err := Lookup(name); !errors.Is(err, ErrUnrepresentable) {
			t.Errorf("%s: %v, want ErrUnrepresentable", name, err)
		}
	}
	for _, name := range []string{"Europe/Nowhere", "../etc/passwd", "/etc/localtime", "CET-1CEST"} {
		if _, err := Lookup(name); !errors.Is(err, ErrUnknown) {
			t.Errorf("%s: %v, want ErrUnknown", name, err)
		}
	}
}

func TestHost(t *testing.T) {
	t.Setenv("TZ", "Asia/Tokyo")
	if z, err := Host(); err != nil || z.Code != "JST" || z.Name != "Asia/Tokyo" {
		t.Errorf("TZ=Asia/Tokyo: %+v %v", z, err)
	}
	t.Setenv("TZ", ":America/New_York")
	if z, err := Host(); err != nil || z.Code != "EST" || z.DST == nil {
		t.Errorf("TZ=:America/New_York: %+v %v", z, err)
	}
	t.Setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
	if z, err := Host(); err != nil || z.Code != "CET" || z.DST == nil || z.DST.Stop.Hour != 3 {
		t.Errorf("TZ as a POSIX string: %+v %v", z, err)
	}
	t.Setenv("TZ", "")
	if z, err := Host(); err != nil || z.Code != "GMT" || z.DST != nil {
		t.Errorf("TZ empty: %+v %v", z, err)
	}
	// Unset: /etc/localtime, whose footer must give the same rule as the
	// zone it names.
	os.Unsetenv("TZ")
	z, err := Host()
	if err != nil {
		t.Skipf("host zone not representable here: %v", err)
	}
	if z.From != "/etc/localtime" {
		t.Errorf("host zone from %q", z.From)
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil && strings.Contains(target, "zoneinfo/") {
		name := target[strings.Index(target, "zoneinfo/")+len("zoneinfo/"):]
		want, err := Lookup(name)
		if err != nil || want.Code != z.Code || want.POSIX != z.POSIX || z.Name != name {
			t.Errorf("host %+v, its zone %s: %+v %v", z, name, want, err)
		}
	}
}
