package importsettings

import (
	"os"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A hand-made SIPDefault.cnf and dialplan.xml become a settings file that
// siteconf loads with the same values.
func TestImportRoundTrip(t *testing.T) {
	s, skipped := FromCnf("SIPDefault.cnf", read(t, "SIPDefault.cnf"))
	dp, dskipped, err := DialRules("dialplan.xml", read(t, "dialplan.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s = append(s, dp)
	ok, bad := Check(s)
	if len(bad) != 0 {
		t.Errorf("refused: %+v", bad)
	}
	text := Format("test", ok)
	site := siteconf.Defaults()
	if err := siteconf.Parse(&site, "imported.conf", text); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if site.ImageVersion != "P0S3-08-6-00" || site.Codec != "g729a" || site.DateFormat != "D/M/Y" || !site.Time24h ||
		site.NTPServer != "192.168.0.1" || site.TelnetLevel != 2 || site.MessagesURI != "*98" || site.RegisterTime != 1800 ||
		site.MediaPorts != [2]int{20000, 20100} || site.NATEnable || site.ProxyAddress != "192.168.0.130" ||
		site.Clock.Zone.Code != "CET" || !site.DSTAutoAdjust {
		t.Errorf("imported site: %+v\n%s", site, text)
	}
	if len(site.DialPlan) != 3 || site.DialPlan[0] != (siteconf.DialRule{Match: "9,1..........", Timeout: 0}) || site.DialPlan[2].Timeout != 4 {
		t.Errorf("dial plan %+v", site.DialPlan)
	}
	if !strings.Contains(string(text), "# from SIPDefault.cnf:5 (preferred_codec)\npreferred_codec = g729a\n") {
		t.Errorf("source not named:\n%s", text)
	}
	var why []string
	for _, k := range append(skipped, dskipped...) {
		why = append(why, k.From+": "+k.Why)
	}
	all := strings.Join(why, "\n")
	for _, w := range []string{"SIPDefault.cnf:4 (proxy1_port): per line", "(sntp_mode): derived from ntp_server", "(dial_template): written by setup-cisco",
		"(autocomplete): no setting", "dialplan.xml: rule 1 (User)"} {
		if !strings.Contains(all, w) {
			t.Errorf("skipped lacks %q:\n%s", w, all)
		}
	}
}

// Values setup-cisco would refuse are named, not imported.
func TestCheckRefuses(t *testing.T) {
	ok, bad := Check([]Setting{
		{Key: "preferred_codec", Value: "g722", From: "a:1"},
		{Key: "telnet_level", Value: "5", From: "a:2"},
		{Key: "date_format", Value: "Y-M-D", From: "a:3"},
		{Key: "dial_plan", Value: "9>:0", From: "dialplan.xml"},
	})
	if len(ok) != 1 || ok[0].Key != "date_format" || len(bad) != 3 {
		t.Errorf("ok %+v bad %+v", ok, bad)
	}
	if !strings.Contains(bad[0].Why, "preferred_codec = g722 is not a value setup-cisco accepts") {
		t.Errorf("why: %q", bad[0].Why)
	}
}

func TestCompare(t *testing.T) {
	orig := read(t, "SIPDefault.cnf")
	now := []byte("image_version: \"P0S3-08-6-00\"\npreferred_codec: \"g711ulaw\"\ndate_format: \"M/D/Y\"\ntime_format_24hr: \"1\"\n")
	var got []string
	for _, d := range CompareCnf(orig, now) {
		got = append(got, d.String())
	}
	all := strings.Join(got, "\n")
	for _, w := range []string{`preferred_codec: "g729a" (line 5) is now "g711ulaw"`, `date_format: "D/M/Y" (line 6) is now "M/D/Y"`, `telnet_level: "2" (line 12) is no longer set`} {
		if !strings.Contains(all, w) {
			t.Errorf("lacks %q:\n%s", w, all)
		}
	}
	if strings.Contains(all, "image_version") || strings.Contains(all, "time_format_24hr") {
		t.Errorf("unchanged settings named:\n%s", all)
	}
	if d := CompareDialPlan(read(t, "dialplan.xml"), []byte(`<DIALTEMPLATE><TEMPLATE MATCH="*" Timeout="5"/></DIALTEMPLATE>`)); len(d) != 1 {
		t.Errorf("dial plan difference: %+v", d)
	}
	if d := CompareDialPlan(read(t, "dialplan.xml"), read(t, "dialplan.xml")); d != nil {
		t.Errorf("same dial plan: %+v", d)
	}
}

// The proxies and URLs a phone keeps in flash are carried over; an empty
// value (the default, as Cisco's sample writes them) is neither imported
// nor named.
func TestImportOtherProxies(t *testing.T) {
	cnf := "outbound_proxy: \"sbc.example.com\"\noutbound_proxy_port: \"5080\"\nproxy_backup: \"192.168.0.131\"\nproxy_emergency: \"\"\nlogo_url: \"http://192.168.0.130/logo.bmp\"\nnat_address: \"\"\n"
	s, skipped := FromCnf("SIPDefault.cnf", []byte(cnf))
	ok, bad := Check(s)
	if len(bad) != 0 || len(skipped) != 0 {
		t.Errorf("refused %+v, skipped %+v", bad, skipped)
	}
	site := siteconf.Defaults()
	if err := siteconf.Parse(&site, "imported.conf", Format("test", ok)); err != nil {
		t.Fatal(err)
	}
	if site.OutboundProxy != "sbc.example.com" || site.OutboundProxyPort != 5080 || site.BackupProxy != "192.168.0.131" ||
		site.EmergencyProxy != "" || site.LogoURL != "http://192.168.0.130/logo.bmp" || site.NATAddress != "" {
		t.Errorf("imported site: %+v", site)
	}
}

// An outbound/backup proxy naming this host (one of its own addresses,
// not proxy1_address) is left out; one naming another host is kept.
func TestDropSelfProxies(t *testing.T) {
	in := []Setting{
		{Key: "proxy_address", Value: "pbx.example.com", From: "a:1"},
		{Key: "outbound_proxy", Value: "10.0.0.5", From: "a:2"},
		{Key: "outbound_proxy_port", Value: "5060", From: "a:3"},
		{Key: "proxy_backup", Value: "PBX.example.com", From: "a:4"},
		{Key: "proxy_emergency", Value: "192.0.2.99", From: "a:5"},
	}
	out, skipped := DropSelfProxies(in, []string{"10.0.0.5"})
	var keys []string
	for _, s := range out {
		keys = append(keys, s.Key)
	}
	if got := strings.Join(keys, ","); got != "proxy_address,proxy_emergency" {
		t.Errorf("kept %s, want proxy_address,proxy_emergency", got)
	}
	if len(skipped) != 3 || !strings.Contains(skipped[0].Why, "outbound_proxy 10.0.0.5 is this PBX") {
		t.Errorf("skipped %+v", skipped)
	}
}

// A phone file's hand settings are compared with what the phone now gets:
// its new file, else the new SIPDefault.cnf; line keys are left alone.
func TestComparePhoneCnf(t *testing.T) {
	orig := []byte("line1_password: \"secret\"\nphone_password: \"password\"\ntelnet_level: \"2\"\nenable_vad: \"0\"\ntime_zone: \"CET\"\n")
	now := []byte("line1_password: \"other\"\nenable_vad: \"0\"\n")
	def := []byte("phone_password: \"cisco\"\ntelnet_level: \"2\"\n")
	var got []string
	for _, d := range ComparePhoneCnf(orig, now, def) {
		got = append(got, d.String())
	}
	// phone_password is a secret: named by its fingerprint, as --diff.
	want := "phone_password: " + cnftext.Fingerprint("password") + " (line 2) is now " + cnftext.Fingerprint("cisco") + `|time_zone: "CET" (line 5) is no longer set`
	if strings.Join(got, "|") != want {
		t.Errorf("got %q\nwant %q", strings.Join(got, "|"), want)
	}
}

// No secret of a replaced file is named in clear: a hand-made
// SIPDefault.cnf of a one-phone site holds its line's password (and the
// settings menu's), changed, dropped or set empty by the new file; a key
// set to "" is named as such, not as no longer set.
func TestCompareMasksSecrets(t *testing.T) {
	orig := []byte("line1_name: \"1601\"\nline1_password: \"hunter2secret\"\nline2_password: \"Other2Pw\"\nPhone_Password: \"Adm1nPw\"\ntftp_cfg_dir: \"./sip_phone/\"\n")
	now := []byte("line1_password: \"\"\nPhone_Password: \"cisco\"\ntftp_cfg_dir: \"\"\n")
	var got []string
	for _, d := range CompareCnf(orig, now) {
		got = append(got, d.String())
	}
	all := strings.Join(got, "\n")
	for _, secret := range []string{"hunter2secret", "Other2Pw", "Adm1nPw", `"cisco"`} {
		if strings.Contains(all, secret) {
			t.Errorf("%s named in clear:\n%s", secret, all)
		}
	}
	for _, w := range []string{
		"line1_password: " + cnftext.Fingerprint("hunter2secret") + " (line 2) is now <secret empty>",
		"line2_password: " + cnftext.Fingerprint("Other2Pw") + " (line 3) is no longer set",
		`line1_name: "1601" (line 1) is no longer set`,
		`tftp_cfg_dir: "./sip_phone/" (line 5) is now ""`,
	} {
		if !strings.Contains(all, w) {
			t.Errorf("lacks %q:\n%s", w, all)
		}
	}
}

// tftp_cfg_dir is put in front of SIP<MAC>.cnf as written, from the TFTP
// root; values that are the root itself or leave it give no directory.
func TestCfgDir(t *testing.T) {
	for _, c := range []struct{ value, dir, prefix string }{
		{"./sip_phone/", "sip_phone", ""},
		{"/sip_phone/", "sip_phone", ""},
		{"sip_phone", "", "sip_phone"},
		{"./a//b/", "a/b", ""},
		{"./", "", ""},
		{"", "", ""},
		{"/", "", ""},
		{"../phones/", "", ""},
		{"./a/../../b/", "", ""},
	} {
		_, dir, prefix, ok := CfgDir([]byte("tftp_cfg_dir: \"" + c.value + "\"\n"))
		if dir != c.dir || prefix != c.prefix || ok != (c.dir != "" || c.prefix != "") {
			t.Errorf("%q: dir %q prefix %q ok %v, want %q %q", c.value, dir, prefix, ok, c.dir, c.prefix)
		}
	}
	if _, _, _, ok := CfgDir([]byte("image_version: \"P0S3-8-12-00\"\n")); ok {
		t.Error("no tftp_cfg_dir: ok")
	}
}

// The phones' files are read without following a symbolic link, the
// directory's or a file's.
func TestCfgDirPhoneFilesNoSymlinks(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	orig := []byte("tftp_cfg_dir: \"./sip_phone/\"\n")
	os.WriteFile(outside+"/SIP001122AABB01.cnf", []byte("telnet_level: 2\n"), 0o644)
	if err := os.Symlink(outside, root+"/sip_phone"); err != nil {
		t.Fatal(err)
	}
	if _, files, err := CfgDirPhoneFiles(root, orig); err == nil || len(files) != 0 {
		t.Errorf("symlinked directory: files %v, err %v", files, err)
	}
	os.Remove(root + "/sip_phone")
	os.Mkdir(root+"/sip_phone", 0o755)
	os.Symlink(outside+"/SIP001122AABB01.cnf", root+"/sip_phone/SIP001122AABB01.cnf")
	os.WriteFile(root+"/sip_phone/SIP001122AABB02.cnf", []byte("telnet_level: 1\n"), 0o644)
	os.WriteFile(root+"/sip_phone/SIP001122aabb03.cnf", []byte("telnet_level: 1\n"), 0o644)
	_, files, err := CfgDirPhoneFiles(root, orig)
	if err != nil || len(files) != 1 || files[0].Path != "sip_phone/SIP001122AABB02.cnf" || files[0].MAC != "001122AABB02" {
		t.Errorf("files %+v, err %v", files, err)
	}
}
