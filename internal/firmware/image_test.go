package firmware

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in             string
		name           string
		proto          Protocol
		major, minor   int
		label          string
		signed, eight  bool
		compact, uload bool
		family         Family
	}{
		{"P003AM30", "P003AM30", SCCP, 0, 0, "AM30", false, true, false, false, Family3},
		{"p003am30.bin", "P003AM30", SCCP, 0, 0, "AM30", false, true, false, false, Family3},
		{"P0S30202", "P0S30202", SIP, 2, 2, "2.2", false, true, true, false, Family3},
		{"P0S30203.bin", "P0S30203", SIP, 2, 3, "2.3", false, true, true, false, Family3},
		{"P0030301", "P0030301", SCCP, 3, 1, "3.1", false, true, false, false, Family3},
		{"P0S3-03-1-00", "P0S3-03-1-00", SIP, 3, 1, "3.1", false, false, true, false, Family3},
		{"P0S3-04-4-00", "P0S3-04-4-00", SIP, 4, 4, "4.4", false, false, true, false, Family4},
		{"P0S3-04-4-00.BIN", "P0S3-04-4-00", SIP, 4, 4, "4.4", false, false, true, false, Family4},
		{"P0S3-05-1-00.sbn", "P0S3-05-1-00", SIP, 5, 1, "5.1", true, false, false, false, FamilySigned},
		{"P0S3-06-3-00", "P0S3-06-3-00", SIP, 6, 3, "6.3", true, false, false, false, FamilySigned},
		{"P0S3-07-5-00.loads", "P0S3-07-5-00", SIP, 7, 5, "7.5", true, false, false, true, FamilySigned},
		{"P0S3-08-2-00.sb2", "P0S3-08-2-00", SIP, 8, 2, "8.2", true, false, false, true, Family8},
		{"P0S3-08-6-00", "P0S3-08-6-00", SIP, 8, 6, "8.6", true, false, false, true, Family8},
		{"p0s3-08-11-00.loads", "P0S3-08-11-00", SIP, 8, 11, "8.11", true, false, false, true, Family8},
		{"P0S3-8-12-00", "P0S3-8-12-00", SIP, 8, 12, "8.12", true, false, false, true, Family8},
		{" P0S3-08-12-00 ", "P0S3-8-12-00", SIP, 8, 12, "8.12", true, false, false, true, Family8},
		{"P00303030300", "P00303030300", SCCP, 3, 3, "3.3(3)", false, false, false, false, Family3},
		{"P00303020214.bin", "P00303020214", SCCP, 3, 2, "3.2(2.14)", false, false, false, false, Family3},
		{"P00305000200", "P00305000200", SCCP, 5, 0, "5.0(2)", true, false, false, false, FamilySigned},
		{"P00308010200.loads", "P00308010200", SCCP, 8, 1, "8.1(2)", true, false, false, true, Family8},
		{"P00308001000", "P00308001000", SCCP, 8, 0, "8.0(10)", true, false, false, true, Family8},
		// Service releases and engineering specials: letters for the
		// maintenance version (P003xxyyzzww, CME-INST); CUCM's default
		// 7940/7960 load P0030801SR02 is "8.1(SR.2)" on the phone.
		{"P0030801SR02", "P0030801SR02", SCCP, 8, 1, "8.1(SR.2)", true, false, false, true, Family8},
		{"p0030801sr01.sbn", "P0030801SR01", SCCP, 8, 1, "8.1(SR.1)", true, false, false, true, Family8},
		{"P0030702ES03.loads", "P0030702ES03", SCCP, 7, 2, "7.2(ES.3)", true, false, false, true, FamilySigned},
		{"P0030500SR01", "P0030500SR01", SCCP, 5, 0, "5.0(SR.1)", true, false, false, false, FamilySigned},
		{"P003-08-12-00.sbn", "P003-8-12-00", Loader, 8, 12, "8.12", true, false, false, true, Family8},
		{"P003-8-12-00", "P003-8-12-00", Loader, 8, 12, "8.12", true, false, false, true, Family8},
		{"P003-07-5-00.bin", "P003-07-5-00", Loader, 7, 5, "7.5", true, false, false, true, FamilySigned},
		{"P0M3-07-1-00", "P0M3-07-1-00", MGCP, 7, 1, "7.1", true, false, false, false, FamilySigned},
	}
	for _, tt := range tests {
		img, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		got := struct {
			name           string
			proto          Protocol
			major, minor   int
			label          string
			signed, eight  bool
			compact, uload bool
			family         Family
		}{img.Name, img.Protocol, img.Major, img.Minor, img.Label(), img.Signed(), img.EightDotThree(),
			img.Compact(), img.UniversalLoader(), img.Family()}
		want := struct {
			name           string
			proto          Protocol
			major, minor   int
			label          string
			signed, eight  bool
			compact, uload bool
			family         Family
		}{tt.name, tt.proto, tt.major, tt.minor, tt.label, tt.signed, tt.eight, tt.compact, tt.uload, tt.family}
		if got != want {
			t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.in, got, want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"", "P0S3", "OS79XX.TXT", "SIPDefault.cnf", "SEP001122334455.cnf.xml", "XMLDefault.cnf.xml",
		"P0S3-8-12", "P0S3-8-12-0", "P0X3-08-2-00", "P0S3-00-1-00", "P0S3-108-2-00", "P0S3-08-2-00.txt",
		"P003AM3", "P0S302030", "P0S3-08-2-00.zip", "P00308010200X", "cmterm-7940-7960-sip.8-12-00.zip",
		"SIP70.8-0-3S", "../P0S3-08-2-00", "P0030801XX02", "P0030801SR2", "P0S30801SR02",
	} {
		if img, err := Parse(in); !errors.Is(err, ErrUnknownName) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrUnknownName", in, img, err)
		}
	}
}

func TestCompareAndBundle(t *testing.T) {
	order := []string{"P003AM30", "P0S30202", "P0S30203", "P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00",
		"P0S3-07-5-00", "P0S3-08-2-00", "P0S3-08-6-00", "P0S3-08-11-00", "P0S3-8-12-00"}
	sccp := []string{"P00308000900", "P00308001000", "P00308010200", "P0030801SR01", "P0030801SR02", "P00308020100"}
	for i := 0; i+1 < len(sccp); i++ {
		if a, b := MustParse(sccp[i]), MustParse(sccp[i+1]); a.Compare(b) >= 0 || b.Compare(a) <= 0 {
			t.Errorf("%s should sort before %s", a, b)
		}
	}
	for i := 0; i+1 < len(order); i++ {
		a, b := MustParse(order[i]), MustParse(order[i+1])
		if a.Compare(b) >= 0 || b.Compare(a) <= 0 {
			t.Errorf("%s should sort before %s", a, b)
		}
	}
	if c := MustParse("P0S3-08-12-00").Compare(MustParse("P0S3-8-12-00")); c != 0 {
		t.Errorf("padded and unpadded 8.12 compare %d", c)
	}
	for in, want := range map[string]string{
		"P003-8-12-00": "P0S3-8-12-00", "P003-07-5-00": "P0S3-07-5-00", "P0S3-08-2-00": "P0S3-08-2-00",
	} {
		if got := MustParse(in).Bundle().Name; got != want {
			t.Errorf("Bundle(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"P0S3-8-12-00": "P003-8-12-00", "P0S3-07-4-00": "P003-07-4-00", "P0S3-06-3-00": "", "P00308010200": "",
	} {
		if got := MustParse(in).LoaderName(); got != want {
			t.Errorf("LoaderName(%s) = %q, want %q", in, got, want)
		}
	}
}
