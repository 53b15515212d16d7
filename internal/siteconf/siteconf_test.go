package siteconf

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestExampleUncommentedParses(t *testing.T) {
	// Every "#key = value" line of the example, uncommented, must parse and
	// every key the parser knows must appear: the example documents them all.
	var b strings.Builder
	seen := map[string]bool{}
	for _, line := range strings.Split(Example, "\n") {
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "#"), " = "); ok && !strings.Contains(k, " ") {
			seen[k] = true
			if strings.TrimSpace(v) == "" {
				continue
			}
			b.WriteString(k + " = " + v + "\n")
		}
	}
	s := Defaults()
	if err := Parse(&s, "example", []byte(b.String())); err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys() {
		if !seen[k] {
			t.Errorf("example.conf does not document %q", k)
		}
	}
	if s.SIPPort != 5160 || s.ProxyAddress != "192.168.0.130" || s.MediaPorts != [2]int{16384, 32766} {
		t.Errorf("parsed %+v", s)
	}
}

func TestParse(t *testing.T) {
	s := Defaults()
	err := Parse(&s, "f", []byte("# c\n\nimage_version = \"P0S3-08-6-00\"\ntime_24h=yes\ndial_plan = 1...:0, *:5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.ImageVersion != "P0S3-08-6-00" || !s.Time24h || !reflect.DeepEqual(s.DialPlan, []DialRule{{"1...", 0}, {"*", 5}}) {
		t.Errorf("got %+v", s)
	}
}

func TestParseErrorsNameLine(t *testing.T) {
	cases := map[string]string{
		"tftp_root = /x\nimag_version = P0S3\n": "f:2: unknown setting \"imag_version\"",
		"proxy_address = 10.0.0.1;x\n":          "f:1: proxy_address: value may not contain",
		"sip_port = 99999\n":                    "f:1: sip_port",
		"time_24h = maybe\n":                    "f:1: time_24h",
		"just text\n":                           "f:1: want KEY = VALUE",
		"sip_port = 5060\nsip_port = 5061\n":    "f:2: sip_port is already set on line 1",
		"dial_plan = 1a..:0\n":                  "f:1: dial_plan",
		"media_ports = 16385-20000\n":           "f:1: media_ports",
		"phone_password = has space\n":          "f:1: phone_password",
		"proxy_address = pbx_local!\n":          "f:1: proxy_address",
	}
	for in, want := range cases {
		s := Defaults()
		err := Parse(&s, "f", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestLoad(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.conf")
	if _, err := Load(missing, true); err != nil {
		t.Errorf("optional missing file: %v", err)
	}
	if _, err := Load(missing, false); err == nil {
		t.Error("named missing file accepted")
	}
	p := filepath.Join(t.TempDir(), "c.conf")
	os.WriteFile(p, []byte("tftp_root = /srv/tftp\n"), 0o644)
	s, err := Load(p, false)
	if err != nil || s.TFTPRoot != "/srv/tftp" || s.ImageVersion != DefaultImage {
		t.Errorf("Load = %+v, %v", s, err)
	}
}
