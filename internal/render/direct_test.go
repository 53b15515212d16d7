package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
)

// The built-in per-phone templates are written directly; the writers must
// produce byte for byte what text/template makes of the same text, for
// every kind of phone: models with 2, 6 and an unknown number of line
// keys, pinned and site images (compact and not), no line to six lines,
// both channel drivers, values with quotes, spaces and UTF-8.
func TestDirectWritersMatchTemplates(t *testing.T) {
	fast := load(t, nil)
	for name := range directWriters {
		if fast.direct[name] == nil {
			t.Errorf("built-in %s is not written directly: its text changed; update directWriters (direct.go) to match", name)
		}
	}
	slow := load(t, nil)
	slow.direct = map[string]func(*bytes.Buffer, *phonecfg.Config, *phonecfg.Phone){}

	models := []string{"7960", "7940", "7970", ""}
	images := []string{"", "P0S3-8-12-00", "P0S3-04-4-00", "P0S3-07-5-00"}
	names := []string{"Alice", `Bob "the" Builder`, "Zoë Ünïcode", "", "x y  z"}
	n := 0
	for _, site := range []string{"P0S3-8-12-00", "P0S3-04-4-00"} {
		c := model(site)
		for i := range 400 {
			p := phonecfg.Phone{
				MAC:   macaddr.MAC(fmt.Sprintf("001BD4%06X", i)),
				Model: models[i%len(models)],
				Label: names[i%len(names)],
				Image: images[(i/4)%len(images)],
				Sync:  fmt.Sprint(i % 7),
			}
			for l := 1; l <= i%7; l++ {
				p.Lines = append(p.Lines, phonecfg.Line{N: l, Name: fmt.Sprint(1000 + i*10 + l),
					Password: fmt.Sprintf("pw%d\"%d", i, l), DisplayName: names[(i+l)%len(names)],
					ShortName: names[(i+l+1)%len(names)], Proxy: "192.0.2.10", Port: 5060 + l,
					Tech: []string{"sip", "pjsip"}[l%2]})
			}
			{
				want, err := slow.RenderPhone(c, p)
				if err != nil {
					t.Fatal(err)
				}
				got, err := fast.RenderPhone(c, p)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("phone %s: %d files, text/template %d", p.MAC, len(got), len(want))
				}
				for k := range want {
					if got[k].Name != want[k].Name || !bytes.Equal(got[k].Data, want[k].Data) {
						t.Fatalf("phone %s %s:\ndirect:\n%s\ntext/template:\n%s", p.MAC, want[k].Name, got[k].Data, want[k].Data)
					}
				}
				n++
			}
		}
	}
	if n < 500 {
		t.Fatalf("only %d phones compared", n)
	}
}

// An override of a directly written template is executed as written.
func TestOverrideIsNotWrittenDirectly(t *testing.T) {
	s := load(t, map[string]string{"SIPMAC.cnf.tmpl": "{{range .PhoneSettings .Phone}}{{.}}\n{{end -}}\nx_mine: 1\n"})
	if s.direct["SIPMAC.cnf.tmpl"] != nil {
		t.Fatal("override would be written by the built-in's writer")
	}
	c := model("P0S3-8-12-00")
	files, err := s.RenderPhone(c, c.Phones[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := byName(files)["SIP001122AABB01.cnf"]; !strings.HasSuffix(got, "\nx_mine: 1\n") {
		t.Fatalf("override not executed: %q", got)
	}
}
