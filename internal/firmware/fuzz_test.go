package firmware

import (
	"path"
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzParse: a firmware name parses to an image whose canonical name
// parses back to the same image (with any extension, in any case), or it
// is an error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"P0S3-8-12-00", "P0S3-08-6-00.loads", "p0s3-08-6-00.SB2", "P003-8-12-00.sbn",
		"P003-08-12-00.bin", "P0S30203.bin", "P0S3-04-4-00", "P00307020300.bin", "P00303020214", "P003AM30",
		"P0M3-04-5-00", "P0S3-07-5-00", "P0S3-0-0-00", "OS79XX.TXT", "SIPDefault.cnf", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var img Image
		var err error
		fuzzcheck.Within(t, func() { img, err = Parse(s) })
		if err != nil {
			return
		}
		if img.Name == "" || img.Name != strings.ToUpper(img.Name) {
			t.Fatalf("Parse(%q).Name = %q", s, img.Name)
		}
		for _, sp := range []string{img.Name, strings.ToLower(img.Name), img.Name + ".loads", img.Name + ".SBN"} {
			back, err := Parse(sp)
			if err != nil || !reflect.DeepEqual(back, img) {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v (from %q)", sp, back, err, img, s)
			}
		}
		if _, canon, ok := fileImage(s); ok {
			if _, err := Parse(canon); err != nil {
				t.Fatalf("fileImage(%q) canonical name %q does not parse: %v", s, canon, err)
			}
		}
	})
}

// FuzzTarMembers: a firmware TAR (from a ZIP or given directly, plain or
// compressed, or an archive inside it) is read or refused; no entry name
// that leaves the archive gets through.
func FuzzTarMembers(f *testing.F) {
	f.Add(string(buildTar(f, []archFile{{"P0S3-8-12-00/P0S3-8-12-00.loads", "loads"}, {"OS79XX.TXT", "x"}})))
	f.Add(string(buildTar(f, []archFile{{"../P0S3-8-12-00.loads", "loads"}})))
	f.Fuzz(func(t *testing.T, data string) {
		var ms []member
		var err error
		fuzzcheck.Within(t, func() { ms, err = streamMembers("fuzz.tar", strings.NewReader(data), 0) })
		if err != nil {
			return
		}
		for _, m := range ms {
			if checkName(m.name) != nil {
				t.Fatalf("unsafe name %q accepted", m.name)
			}
			if _, _, image := fileImage(path.Base(m.name)); !image || m.read == nil {
				continue // passed over unread: only images are read
			}
			if _, err := m.read(); err != nil {
				t.Fatalf("member %q: %v", m.name, err)
			}
		}
	})
}
