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

// Every key has a value the phone would not take, and the error names the
// file and line (issue 10.6). A key added without a case fails here.
func TestBadValuePerKey(t *testing.T) {
	bad := map[string][]string{
		"tftp_root":            {""},
		"proxy_address":        {"pbx_local!", "2001:db8::1", strings.Repeat("a", 254), "127.0.0.1", "127.0.1.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "localhost"},
		"sip_port":             {"0", "65536", "x"},
		"pjsip_port":           {"0", "99999"},
		"image_version":        {"banana", "P00308010200", "P003-8-12-00"},
		"time_zone":            {"Mars/Olympus", "cet", "Asia/Kathmandu", "UTC+1"},
		"dst_auto_adjust":      {"maybe"},
		"date_format":          {"M/Y/D", "DD.MM.YYYY", "m/d/y"},
		"time_24h":             {"2"},
		"ntp_server":           {"ntp server", "::1", "127.0.0.1"},
		"dial_plan":            {"1a..:0", "9>:5", "1+:0", "\\1:3", "*:61", "*", "*:5x"},
		"phone_password":       {"has space", strings.Repeat("x", 32), "pä"},
		"messages_uri":         {"*97;x", "voice mail", strings.Repeat("9", 32)},
		"telnet_level":         {"3", "-1"},
		"register_expires":     {"0", "3932101"},
		"preferred_codec":      {"g729", "G711ULAW", "opus"},
		"nat_enable":           {"sometimes"},
		"nat_address":          {"203.0.113.1/24", "fe80::1", "0.0.0.0"},
		"sip_control_port":     {"0", "70000"},
		"outbound_proxy":       {"sbc local", "127.0.0.1", "::1"},
		"outbound_proxy_port":  {"0", "65536"},
		"proxy_backup":         {"backup.example.com", "0.0.0.0"},
		"proxy_backup_port":    {"x"},
		"proxy_emergency":      {"pbx2", "224.0.0.1"},
		"proxy_emergency_port": {"-1"},
		"services_url":         {"https://pbx/services", "http://localhost/s"},
		"directory_url":        {"ftp://pbx/dir", "http://127.0.0.1/dir"},
		"logo_url":             {"pbx/logo.bmp", "http://127.0.0.1/logo.bmp"},
		"media_ports":          {"16385-20000", "20000-16384", "80-100", "16384"},
		"templates":            {""},
		"dial_timeout":         {"0", "61", "5s"},
		"directory_web_root":   {"www/cisco", ""},
		"directory_web_url":    {"https://pbx/cisco", "pbx/cisco", "http://", "http://pbx/a b", "http://127.0.0.1/cisco", "http://localhost:8080/cisco", "http://pbx:0/cisco", "http://[::1]/cisco"},
	}
	for _, k := range Keys() {
		vals, ok := bad[k]
		if !ok {
			t.Errorf("%s: no bad-value case", k)
			continue
		}
		for _, v := range vals {
			s := Defaults()
			err := Parse(&s, "site.conf", []byte("# first\n"+k+" = "+v+"\n"))
			if err == nil || !strings.HasPrefix(err.Error(), "site.conf:2: "+k+": ") {
				t.Errorf("%s = %q: %v, want an error naming site.conf:2 and the key", k, v, err)
			}
		}
	}
}

func TestGoodValues(t *testing.T) {
	s := Defaults()
	in := "date_format = YY-M-D\ndial_plan = 9,1..........:0, \\*67*:3 *#:0 *:5\nmessages_uri = *97\n" +
		"image_version = p0s3-08-12-00.loads\ntime_zone = America/New_York\nntp_server = 192.0.2.1\n"
	if err := Parse(&s, "f", []byte(in)); err != nil {
		t.Fatal(err)
	}
	want := []DialRule{{"9,1..........", 0}, {"\\*67*", 3}, {"*#", 0}, {"*", 5}}
	if !reflect.DeepEqual(s.DialPlan, want) {
		t.Errorf("dial plan %v", s.DialPlan)
	}
	if s.ImageVersion != "P0S3-8-12-00" || s.DateFormat != "YY-M-D" {
		t.Errorf("image %q date %q", s.ImageVersion, s.DateFormat)
	}
	if z := s.Clock.Zone; z.Code != "EST" || z.DST == nil || z.DST.Start.Month != 3 || z.DST.Start.Week != 2 || z.DST.Stop.Month != 11 || s.Clock.Direct {
		t.Errorf("New York: %+v %+v", s.Clock, z.DST)
	}
	s = Defaults()
	if err := Parse(&s, "f", []byte("time_zone = EST\n")); err != nil || s.Clock.Zone.Code != "EST" || !s.Clock.Direct {
		t.Errorf("Cisco code: %+v %v", s.Clock, err)
	}
}

// Without time_zone the host's zone counts, as the C library picks it.
func TestHostZoneDefault(t *testing.T) {
	t.Setenv("TZ", "Asia/Tokyo")
	s, err := Load(filepath.Join(t.TempDir(), "none.conf"), true)
	if err != nil || s.Clock.Zone.Code != "JST" || s.Clock.Zone.DST != nil {
		t.Errorf("TZ=Asia/Tokyo: %+v %v", s.Clock, err)
	}
	s = Defaults()
	if err := Parse(&s, "f", []byte("time_24h = yes\n")); err != nil || s.Clock.Zone.Name != "Asia/Tokyo" {
		t.Errorf("no time_zone line: %+v %v", s.Clock, err)
	}
	t.Setenv("TZ", "Asia/Kathmandu")
	s = Defaults()
	if err := Parse(&s, "f", nil); err == nil || !strings.Contains(err.Error(), "set time_zone") {
		t.Errorf("host zone the phone cannot show: %v", err)
	}
}

// The directory needs both keys; the keys the file set are recorded, so a
// value read from FreePBX never overrides them.
func TestDirectoryKeysAndSet(t *testing.T) {
	s := Defaults()
	err := Parse(&s, "site.conf", []byte("time_zone = GMT\ndirectory_web_root = /var/www/html/cisco/\n"))
	if err == nil || !strings.Contains(err.Error(), "directory_web_url") {
		t.Errorf("root without URL: %v", err)
	}
	s = Defaults()
	err = Parse(&s, "site.conf", []byte("time_zone = GMT\nmessages_uri = *98\ndirectory_web_root = /var/www/html/cisco/\ndirectory_web_url = http://pbx.example/cisco/\n"))
	if err != nil || s.DirectoryRoot != "/var/www/html/cisco" || s.DirectoryBase != "http://pbx.example/cisco" || s.Set["messages_uri"] != 2 || s.Set["dial_plan"] != 0 {
		t.Errorf("%+v %v", s, err)
	}
}

// A settings file saved with a UTF-8 byte order mark (Notepad) reads like
// one without; good directory URLs with a port or a host name pass.
func TestParseBOMAndDirectoryURL(t *testing.T) {
	s := Defaults()
	if err := Parse(&s, "site.conf", []byte("\ufefftime_zone = GMT\ndirectory_web_root = /var/www/html/cisco\ndirectory_web_url = http://pbx.example:8080/cisco\n")); err != nil {
		t.Fatalf("BOM: %v", err)
	}
	if s.TimeZone != "GMT" || s.DirectoryBase != "http://pbx.example:8080/cisco" {
		t.Errorf("got time_zone %q, directory %q", s.TimeZone, s.DirectoryBase)
	}
}

// directory_url names another server's directory; with setup-cisco's own
// (directory_web_root and _url) it is refused, naming its line.
func TestDirectoryURLOrOwn(t *testing.T) {
	s := Defaults()
	if err := Parse(&s, "site.conf", []byte("directory_url = http://192.0.2.140/directory.php\n")); err != nil || s.DirectoryURL != "http://192.0.2.140/directory.php" {
		t.Errorf("%v, %q", err, s.DirectoryURL)
	}
	s = Defaults()
	err := Parse(&s, "site.conf", []byte("directory_web_root = /var/www/html/cisco\ndirectory_web_url = http://192.0.2.10/cisco\ndirectory_url = http://192.0.2.140/d.php\n"))
	if err == nil || !strings.Contains(err.Error(), "site.conf:3: directory_url: set it or directory_web_root") {
		t.Errorf("both: %v", err)
	}
}
