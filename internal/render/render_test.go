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
			all, err := s.Render(c)
			if err != nil {
				t.Fatal(err)
			}
			shared, err := s.RenderShared(c)
			if err != nil {
				t.Fatal(err)
			}
			parts := append([]File{}, shared...)
			for _, p := range c.Phones {
				files, err := s.RenderPhone(c, p)
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
	cases := []struct {
		name      string
		overrides map[string]string
		file      string
		want      func(string) bool
		why       string
	}{
		{"OS79XX.TXT is one name, no newline", map[string]string{"OS79XX.TXT.tmpl": "  P0S3-8-12-00 \r\n\n"}, "OS79XX.TXT",
			func(s string) bool { return s == "P0S3-8-12-00" }, "trimmed (CSCdv19260)"},
		{"4.x pin: comments and blanks dropped", map[string]string{"SIPMAC.cnf.tmpl": "# comment\n\n  {{range .PhoneSettings .Phone}}{{.}}   \n{{end}}\n"}, "SIP001122AABB02.cnf",
			func(s string) bool {
				return strings.HasPrefix(s, "image_version: \"P0S3-04-4-00\"\nphone_label: ") && compact([]byte(s))
			}, "compact"},
		// A 4.x phone may read any file: every .cnf is compact, whatever
		// the image (b0cdc50).
		{"8.12 site: comments and blanks dropped too", map[string]string{"SIPDefault.cnf.tmpl": "{{range .DefaultSettings}}{{.}}\n\n{{end -}}\n# end of site defaults\n"}, "SIPDefault.cnf",
			func(s string) bool {
				return strings.HasPrefix(s, "image_version: \"P0S3-8-12-00\"\n") && compact([]byte(s))
			}, "compact"},
		{"header comment dropped: image_version first", map[string]string{"SIPDefault.cnf.tmpl": "# Acme\n{{range .DefaultSettings}}{{.}}\n{{end -}}"}, "SIPDefault.cnf",
			func(s string) bool { return strings.HasPrefix(s, "image_version: \"P0S3-8-12-00\"\n") }, "compact"},
		{"white space only: no file", map[string]string{"dialplan.xml.tmpl": " \n\t\n"}, "dialplan.xml",
			func(s string) bool { return s == "" }, "absent"},
		{"alias of XMLDefault", nil, "xmlDefault.CNF.XML",
			func(s string) bool { return strings.Contains(s, "<") }, "same as XMLDefault.cnf.xml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, tc.overrides)
			files, err := s.Render(model("P0S3-8-12-00"))
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

// An override's .cnf files must keep what the built-in ones keep by
// construction: SIPDefault.cnf begins with the site's image_version, and
// every file sets every key setup-cisco manages (a phone keeps in flash
// what no file sets). Otherwise rendering fails naming the template and
// what is wrong (33333bf, 1fa3858).
func TestOverrideCnfRules(t *testing.T) {
	for _, tc := range []struct {
		name, tmpl, body, err string
	}{
		{"first line another key", "SIPDefault.cnf.tmpl", "proxy_register: 1\n{{range .DefaultSettings}}{{.}}\n{{end -}}",
			`SIPDefault.cnf: the first line must be image_version: "P0S3-8-12-00"`},
		{"another image", "SIPDefault.cnf.tmpl", "image_version: \"P0S3-07-5-00\"\n{{range .DefaultSettings}}{{.}}\n{{end -}}",
			`not "image_version: \"P0S3-07-5-00\""`},
		{"site key left out", "SIPDefault.cnf.tmpl", "{{range .DefaultSettings}}{{if ne .Value \"\"}}{{.}}\n{{end}}{{end -}}",
			"SIPDefault.cnf leaves out nat_address"},
		{"line keys left out", "SIPMAC.cnf.tmpl", "{{range .PhoneSettings .Phone}}{{if ne .Value \"\"}}{{.}}\n{{end}}{{end -}}",
			"phone 001122AABB01: template SIPMAC.cnf.tmpl"},
		{"a key commented out", "SIPMAC.cnf.tmpl", "{{range .PhoneSettings .Phone}}{{if eq .Key \"line2_name\"}}# {{end}}{{.}}\n{{end -}}",
			"SIP001122AABB01.cnf leaves out line2_name:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, map[string]string{tc.tmpl: tc.body})
			_, err := s.Render(model("P0S3-8-12-00"))
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), tc.tmpl) {
				t.Fatalf("err = %v, want %q naming %s", err, tc.err, tc.tmpl)
			}
		})
	}
	// Keys in another order, extra keys, other values: fine.
	s := load(t, map[string]string{
		"SIPMAC.cnf.tmpl":     "{{range .PhoneSettings .Phone}}{{if ne .Key \"image_version\"}}{{.}}\n{{end}}{{end}}{{with .Phone.Image}}image_version: \"{{.}}\"\n{{end}}x_local: 1\n",
		"SIPDefault.cnf.tmpl": "{{range .DefaultSettings}}{{if eq .Key \"telnet_level\"}}telnet_level: 2{{else}}{{.}}{{end}}\n{{end -}}",
	})
	if _, err := s.Render(model("P0S3-8-12-00")); err != nil {
		t.Fatal(err)
	}
}
