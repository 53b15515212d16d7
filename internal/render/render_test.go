package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// model is a site with two phones, built without a database.
func model(image string) *phonecfg.Config {
	s := siteconf.Defaults()
	s.ImageVersion = image
	c := phonecfg.Build(phonecfg.Input{Site: s, Proxy: "192.0.2.10", RingFiles: []string{"Chime.raw"}})
	c.Phones = []phonecfg.Phone{
		{MAC: "001122AABB01", Model: "7960", Label: "1001 Alice", Sync: "2", Lines: []phonecfg.Line{
			{N: 1, Name: "1001", Password: "pw1", DisplayName: "Alice", ShortName: "Alice", Proxy: "192.0.2.10", Port: 5060, Tech: "sip"}}},
		{MAC: "001122AABB02", Model: "7940", Image: "P0S3-04-4-00", Sync: "3", Lines: []phonecfg.Line{
			{N: 1, Name: "1002", Password: "pw2", DisplayName: "Bob", ShortName: "Bob", Proxy: "192.0.2.10", Port: 5160, Tech: "pjsip"}}},
	}
	return &c
}

func load(t *testing.T, overrides map[string]string) *Set {
	t.Helper()
	dir := ""
	if overrides != nil {
		dir = t.TempDir()
		for n, body := range overrides {
			os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644)
		}
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func byName(files []File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		out[f.Name] = string(f.Data)
	}
	return out
}

// The write path renders the shared files once and each phone on its own;
// together they are exactly Render's output, in the names the plan expects
// without rendering.
func TestSharedPlusPhonesIsRender(t *testing.T) {
	for _, image := range []string{"P0S3-8-12-00", "P0S3-04-4-00"} {
		t.Run(image, func(t *testing.T) {
			c := model(image)
			s := load(t, nil)
			all, err := s.Render(c, Options{})
			if err != nil {
				t.Fatal(err)
			}
			shared, err := s.RenderShared(c, Options{})
			if err != nil {
				t.Fatal(err)
			}
			parts := append([]File{}, shared...)
			for _, p := range c.Phones {
				files, err := s.RenderPhone(c, p, Options{})
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, f := range files {
					names = append(names, f.Name)
				}
				if got, want := strings.Join(names, " "), strings.Join(s.PhoneNames(string(p.MAC)), " "); got != want {
					t.Errorf("phone %s: rendered %s, PhoneNames says %s", p.MAC, got, want)
				}
				parts = append(parts, files...)
			}
			if len(parts) != len(all) {
				t.Fatalf("%d files in parts, %d from Render", len(parts), len(all))
			}
			a, b := byName(all), byName(parts)
			for n, data := range a {
				if b[n] != data {
					t.Errorf("%s differs", n)
				}
			}
			var names []string
			for _, f := range shared {
				names = append(names, f.Name)
			}
			if got, want := strings.Join(names, " "), strings.Join(s.SharedNames(), " "); got != want {
				t.Errorf("shared: rendered %s, SharedNames says %s", got, want)
			}
		})
	}
}

// Output rules that do not depend on template text, table-driven.
func TestOutputRules(t *testing.T) {
	compact := func(image string) bool { return strings.HasPrefix(image, "P0S3-04") }
	cases := []struct {
		name      string
		overrides map[string]string
		file      string
		want      func(string) bool
		why       string
	}{
		{"OS79XX.TXT is one name, no newline", map[string]string{"OS79XX.TXT.tmpl": "  P0S3-8-12-00 \r\n\n"}, "OS79XX.TXT",
			func(s string) bool { return s == "P0S3-8-12-00" }, "trimmed (CSCdv19260)"},
		{"compact image: comments and blanks dropped", map[string]string{"SIPMAC.cnf.tmpl": "# comment\n\n  line1_name: \"{{(index .Phone.Lines 0).Name}}\"   \n"}, "SIP001122AABB02.cnf",
			func(s string) bool { return s == "line1_name: \"1002\"\n" }, "compact for 4.x"},
		{"modern image keeps comments", map[string]string{"SIPMAC.cnf.tmpl": "# comment\nline1_name: \"{{(index .Phone.Lines 0).Name}}\"\n"}, "SIP001122AABB01.cnf",
			func(s string) bool { return strings.HasPrefix(s, "# comment\n") }, "not compact"},
		{"white space only: no file", map[string]string{"dialplan.xml.tmpl": " \n\t\n"}, "dialplan.xml",
			func(s string) bool { return s == "" }, "absent"},
		{"alias of XMLDefault", nil, "xmlDefault.CNF.XML",
			func(s string) bool { return strings.Contains(s, "<") }, "same as XMLDefault.cnf.xml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, tc.overrides)
			files, err := s.Render(model("P0S3-8-12-00"), Options{Compact: compact})
			if err != nil {
				t.Fatal(err)
			}
			if got := byName(files)[tc.file]; !tc.want(got) {
				t.Errorf("%s: want %s, got %q", tc.file, tc.why, got)
			}
		})
	}
}

// Loading fails loudly on what an admin gets wrong; the fingerprint and
// ReadsPhoneList follow the templates in use.
func TestLoadAndFingerprint(t *testing.T) {
	builtin := load(t, nil)
	cases := []struct {
		name      string
		overrides map[string]string
		err       string
		phones    bool
	}{
		{"misspelt override", map[string]string{"SIPDefaults.cnf.tmpl": "x"}, "no built-in template of that name", false},
		{"syntax error", map[string]string{"dialplan.xml.tmpl": "{{"}, "template dialplan.xml.tmpl", false},
		{"override", map[string]string{"dialplan.xml.tmpl": "<DIALTEMPLATE/>\n"}, "", false},
		{"reads the phone list", map[string]string{"XMLDefault.cnf.xml.tmpl": "{{range .Phones}}{{.MAC}}{{end}}"}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, body := range tc.overrides {
				os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644)
			}
			s, err := Load(dir)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Fingerprint() == builtin.Fingerprint() {
				t.Error("an override did not change the fingerprint")
			}
			if s.ReadsPhoneList() != tc.phones {
				t.Errorf("ReadsPhoneList = %v", s.ReadsPhoneList())
			}
		})
	}
	if builtin.ReadsPhoneList() {
		t.Error("a built-in template reads the whole phone list: every phone change would rewrite every phone")
	}
	if load(t, nil).Fingerprint() != builtin.Fingerprint() {
		t.Error("fingerprint not stable")
	}
}
