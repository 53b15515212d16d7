package phonecfg_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/render"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/tzrule"
)

// config is two phones: a 7960 with lines 1 and 3 (line 2 left blank, as
// `--lines 1001,,1003` stores it) and a 7940 pinned to 4.4 with one line.
func config(t *testing.T) *phonecfg.Config {
	t.Helper()
	s := siteconf.Defaults()
	z, err := tzrule.Lookup("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	s.Clock = siteconf.Clock{Zone: z}
	c := phonecfg.Build(phonecfg.Input{Site: s, Proxy: "192.0.2.10"})
	c.Phones = []phonecfg.Phone{
		{MAC: "001122AABB60", Model: "7960", Label: "1001 Alice", Sync: "7", Lines: []phonecfg.Line{
			{N: 1, Name: "1001", Password: "pw1", DisplayName: "Alice", ShortName: "Alice", Proxy: "192.0.2.10", Port: 5060},
			{N: 3, Name: "1003", Password: "pw3", DisplayName: "Carol", ShortName: "Carol", Proxy: "192.0.2.10", Port: 5160},
		}},
		{MAC: "001122AABB40", Model: "7940", Image: "P0S3-04-4-00", Sync: "7", Lines: []phonecfg.Line{
			{N: 1, Name: "2001", Password: "pw2", DisplayName: "Bob", ShortName: "Bob", Proxy: "192.0.2.10", Port: 5060},
		}},
	}
	return &c
}

func render1(t *testing.T, c *phonecfg.Config) map[string]string {
	t.Helper()
	set, err := render.Load("")
	if err != nil {
		t.Fatal(err)
	}
	files, err := set.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		out[f.Name] = string(f.Data)
	}
	return out
}

func parse(t *testing.T, name, data string) map[string]string {
	t.Helper()
	kv := map[string]string{}
	for i, l := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		k, v, ok := strings.Cut(l, ": ")
		if !ok {
			t.Errorf("%s:%d: not `key: value`: %q", name, i+1, l)
			continue
		}
		if _, dup := kv[k]; dup {
			t.Errorf("%s:%d: %s twice", name, i+1, k)
		}
		kv[k] = strings.Trim(v, `"`)
	}
	return kv
}

// Every key of the table is in every file of its kind, with a value or its
// reset value, and nothing else is: flash retention (issue 10.1, 10.3, 10.8).
func TestEveryManagedKeyInEveryFile(t *testing.T) {
	c := config(t)
	files := render1(t, c)
	def := parse(t, "SIPDefault.cnf", files["SIPDefault.cnf"])
	want := map[string]bool{}
	for _, k := range phonecfg.Keys {
		if k.File == phonecfg.DefaultFile {
			want[k.Name] = true
			if _, ok := def[k.Name]; !ok {
				t.Errorf("SIPDefault.cnf lacks %s", k.Name)
			}
		}
	}
	for k := range def {
		if !want[k] {
			t.Errorf("SIPDefault.cnf has %s, which is not in the key table", k)
		}
	}
	if !strings.HasPrefix(files["SIPDefault.cnf"], `image_version: "P0S3-8-12-00"`+"\n") {
		t.Errorf("image_version is not the first line:\n%s", files["SIPDefault.cnf"])
	}
	for _, p := range c.Phones {
		name := "SIP" + string(p.MAC) + ".cnf"
		kv := parse(t, name, files[name])
		n := phonecfg.LineKeys(p.Model)
		for _, k := range phonecfg.Keys {
			if k.File != phonecfg.PhoneFile || k.Name == "image_version" {
				continue
			}
			for i := 1; i <= n; i++ {
				key := strings.Replace(k.Name, "N_", fmt.Sprint(i)+"_", 1)
				if _, ok := kv[key]; !ok {
					t.Errorf("%s lacks %s", name, key)
				}
			}
		}
		if _, ok := kv[fmt.Sprintf("line%d_name", n+1)]; ok {
			t.Errorf("%s: line keys beyond the %s's %d", name, p.Model, n)
		}
		// phone-specific keys live in the phone's file (issue 10.3).
		if kv["phone_password"] != "cisco" {
			t.Errorf("%s: phone_password %q, want the reset value cisco", name, kv["phone_password"])
		}
		if _, pinned := kv["image_version"]; pinned != (p.Image != "") {
			t.Errorf("%s: image_version written %v, pinned %q", name, pinned, p.Image)
		}
	}
	if _, ok := def["phone_password"]; ok {
		t.Error("phone_password in SIPDefault.cnf: it is phone-specific")
	}
}

// A line left blank (--lines 1001,,1003) and the lines a 7960 does not use
// are written empty, so the phone clears whatever flash held.
func TestBlankLineCleared(t *testing.T) {
	kv := parse(t, "SIP001122AABB60.cnf", render1(t, config(t))["SIP001122AABB60.cnf"])
	for _, n := range []int{2, 4, 5, 6} {
		for _, f := range []string{"line%d_name", "line%d_authname", "line%d_password", "line%d_displayname", "line%d_shortname", "proxy%d_address"} {
			if v, ok := kv[fmt.Sprintf(f, n)]; !ok || v != "" {
				t.Errorf(f+" = %q (present %v), want empty", n, v, ok)
			}
		}
		if kv[fmt.Sprintf("proxy%d_port", n)] != "5060" {
			t.Errorf("proxy%d_port = %q, want 5060", n, kv[fmt.Sprintf("proxy%d_port", n)])
		}
	}
	if kv["line3_name"] != "1003" || kv["proxy3_port"] != "5160" || kv["line1_password"] != "pw1" {
		t.Errorf("lines 1 and 3: %v", kv)
	}
}

// Settings removed from setup-cisco.conf go back to their reset values.
func TestRemovedSettingsReset(t *testing.T) {
	c := config(t)
	c.Site.NATEnable, c.Site.NATAddress, c.Site.NTPServer, c.Site.PhonePassword = true, "203.0.113.1", "192.0.2.1", "s3cret"
	files := render1(t, c)
	def := parse(t, "SIPDefault.cnf", files["SIPDefault.cnf"])
	if def["nat_address"] != "203.0.113.1" || def["sntp_server"] != "192.0.2.1" || def["sntp_mode"] != "unicast" {
		t.Errorf("set: %v", def)
	}
	if parse(t, "p", files["SIP001122AABB60.cnf"])["phone_password"] != "s3cret" {
		t.Error("phone_password not in the phone's file")
	}
	c = config(t)
	def = parse(t, "SIPDefault.cnf", render1(t, c)["SIPDefault.cnf"])
	for k, want := range map[string]string{"nat_enable": "0", "nat_address": "", "sntp_server": "", "sntp_mode": "directedbroadcast"} {
		if v, ok := def[k]; !ok || v != want {
			t.Errorf("removed: %s = %q (present %v), want %q", k, v, ok, want)
		}
	}
}

// No file is padded: what a 3.x/4.x image reads is what every phone gets
// (issue 10.4); a 4.x pin gets the compact file.
func TestNoPadding(t *testing.T) {
	for name, data := range render1(t, config(t)) {
		if !strings.HasSuffix(name, ".cnf") {
			continue
		}
		if got := string(render.Compact([]byte(data))); got != data {
			t.Errorf("%s is not compact:\n%s", name, data)
		}
	}
}

// The clock: Europe/Berlin's rule from the tz database.
func TestClockKeys(t *testing.T) {
	def := parse(t, "SIPDefault.cnf", render1(t, config(t))["SIPDefault.cnf"])
	want := map[string]string{"time_zone": "CET", "dst_offset": "1", "dst_start_month": "3", "dst_start_week_of_month": "8",
		"dst_start_day_of_week": "1", "dst_start_day": "0", "dst_start_time": "02:00", "dst_stop_month": "10",
		"dst_stop_week_of_month": "8", "dst_stop_time": "03:00", "dst_auto_adjust": "1"}
	for k, v := range want {
		if def[k] != v {
			t.Errorf("%s = %q, want %q", k, def[k], v)
		}
	}
	c := config(t)
	c.Site.Clock.Zone, _ = tzrule.Lookup("Asia/Tokyo")
	def = parse(t, "SIPDefault.cnf", render1(t, c)["SIPDefault.cnf"])
	if def["time_zone"] != "JST" || def["dst_auto_adjust"] != "0" || def["dst_start_month"] != "4" {
		t.Errorf("Tokyo: %v", def)
	}
}

// OS79XX.TXT in a run follows the same rule as upgrade-path (issue 10.7).
func TestOS79XXOneRule(t *testing.T) {
	c := config(t)
	c.Site.ImageVersion = "P0S3-07-5-00"
	*c = phonecfg.Build(phonecfg.Input{Site: c.Site})
	got := render1(t, c)["OS79XX.TXT"]
	steps, err := firmware.Plan(firmware.MustParse("P0S3-06-3-00"), firmware.MustParse("P0S3-07-5-00"))
	if err != nil {
		t.Fatal(err)
	}
	if got != steps[len(steps)-1].OS79XX || got != "P0S3-07-5-00" {
		t.Errorf("run writes %q, upgrade-path says %q", got, steps[len(steps)-1].OS79XX)
	}
}
