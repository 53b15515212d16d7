package freepbx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

// 100,000 devices hold no more than before sipdriver and max_contacts
// were read: both fit in what was padding.
func TestExtensionSize(t *testing.T) {
	if n := unsafe.Sizeof(Extension{}); n > 72 {
		t.Errorf("Extension is %d bytes, was 72", n)
	}
}

func TestDialRingsDevice(t *testing.T) {
	for _, c := range []struct {
		dial, tech, id string
		want           bool
	}{
		{"PJSIP/1601", "pjsip", "1601", true},
		{"pjsip/1601", "pjsip", "1601", true}, // Asterisk: technology without regard to case
		{"SIP/1601", "sip", "1601", true},
		{"", "pjsip", "1601", true}, // FreePBX fills TECH/id
		{"SIP/1601", "pjsip", "1601", false},
		{"PJSIP/1601", "sip", "1601", false},
		{"PJSIP/1602", "pjsip", "1601", false},
		{"PJSIP/1601&SIP/1601", "pjsip", "1601", true},
		{"Local/1601@from-internal", "pjsip", "1601", true}, // the admin's own
		{"DAHDI/1", "sip", "1601", true},
		{"PJSIP/1601/sips:1601@[2001:db8::5]:5061", "pjsip", "1601", true},
		{"PJSIP/1601/1601", "pjsip", "1601", true},                // its own AOR
		{"PJSIP/1601/1602", "pjsip", "1601", false},               // another AOR's contacts
		{"PJSIP/1602/sip:1601@192.0.2.9", "pjsip", "1601", false}, // endpoint 1602
		{"PJSIP/rcpt@1601", "pjsip", "1601", true},                // request user @ endpoint
		{"SIP/1601/555", "sip", "1601", true},                     // peer/exten
		{"SIP/555@1601", "sip", "1601", true},                     // exten@peer
		{"SIP/1601@192.0.2.9", "sip", "1601", false},              // peer is a host
		{"SIP/1601!555", "sip", "1601", true},
		{"SIP/1601/555@192.0.2.9", "sip", "1601", true}, // '@' in the extension part
		{"SIP/1601/555", "pjsip", "1601", false},
	} {
		if got := DialRingsDevice(c.dial, c.tech, c.id); got != c.want {
			t.Errorf("DialRingsDevice(%q, %s, %s) = %v", c.dial, c.tech, c.id, got)
		}
	}
}

func TestReadSIPCustom(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, SIPGeneralCustom), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := Ports{ChanSIP: 5160, PJSIP: 5060}

	d := Data{Ports: base}
	ReadSIPCustom(&d, dir, true) // no file: nothing changes
	if d.Ports.ChanSIP != 5160 || d.Ports.ChanSIPFrom != "" || len(d.Warnings) != 0 {
		t.Errorf("no file: %+v %v", d.Ports, d.Warnings)
	}

	write("; moved\nbindport = 5070 ; scanners\nbindport=5066\n")
	d = Data{Ports: base}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5066 || !strings.HasSuffix(d.Ports.ChanSIPFrom, SIPGeneralCustom+":3") || d.Ports.PJSIP != 5060 {
		t.Errorf("bindport: %+v", d.Ports)
	}

	// bindport wins over a bind address's port; the address is kept.
	write("udpbindaddr=192.0.2.7:5080\nbindport=5066\n")
	d = Data{Ports: base}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5066 || d.Ports.ChanSIPAddr != "192.0.2.7" {
		t.Errorf("udpbindaddr and bindport: %+v", d.Ports)
	}
	write("udpbindaddr=0.0.0.0:5080\n")
	d = Data{Ports: base}
	d.Ports.ChanSIPAddr = "192.0.2.9"
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5080 || d.Ports.ChanSIPAddr != "" {
		t.Errorf("udpbindaddr: %+v", d.Ports)
	}

	// FreePBX 2.x's generated file sets bindport itself: a port in the
	// custom bind address is not chan_sip's then (reload_config: bindport
	// replaces the bind address's port).
	os.WriteFile(filepath.Join(dir, SIPGeneralAdditional), []byte("bindport=5060\nbindaddr=0.0.0.0\n"), 0o644)
	d = Data{Ports: base}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5160 || d.Ports.ChanSIPFrom != "" {
		t.Errorf("generated bindport and custom udpbindaddr port: %+v", d.Ports)
	}
	// FreePBX 16's generated file: udpbindaddr only.
	os.WriteFile(filepath.Join(dir, SIPGeneralAdditional), []byte("udpbindaddr=0.0.0.0:5160\n"), 0o644)
	d = Data{Ports: base}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5080 {
		t.Errorf("generated udpbindaddr and custom udpbindaddr port: %+v", d.Ports)
	}

	// Another section's bindport is not chan_sip's [general].
	write("[authentication]\nbindport=5090\n")
	d = Data{Ports: base}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5160 {
		t.Errorf("[authentication] bindport taken: %+v", d.Ports)
	}

	write("bindport=none\n#include more.conf\n")
	d = Data{Ports: base}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5160 || len(d.Warnings) != 2 || !strings.Contains(d.Warnings[0], SIPGeneralCustom+":1: bindport=none") ||
		!strings.Contains(d.Warnings[1], ":2: #include more.conf:") || !strings.Contains(d.Warnings[1], "does not exist") {
		t.Errorf("bad lines: %+v %q", d.Ports, d.Warnings)
	}

	if os.Geteuid() != 0 {
		write("bindport=5066\n")
		os.Chmod(filepath.Join(dir, SIPGeneralCustom), 0)
		d = Data{Ports: base}
		ReadSIPCustom(&d, dir, false)
		if d.Ports.ChanSIP != 5160 || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], SIPGeneralCustom+" cannot be read") {
			t.Errorf("unreadable: %+v %q", d.Ports, d.Warnings)
		}
	}

	// A file that cannot be read (here a directory, which root cannot read
	// either) is said, naming it; the database's port stays.
	dir2 := t.TempDir()
	os.Mkdir(filepath.Join(dir2, SIPGeneralCustom), 0o755)
	d = Data{Ports: base}
	ReadSIPCustom(&d, dir2, false)
	if d.Ports.ChanSIP != 5160 || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], filepath.Join(dir2, SIPGeneralCustom)+" cannot be read") {
		t.Errorf("unreadable (directory): %+v %q", d.Ports, d.Warnings)
	}

	d = Data{Ports: base}
	ReadSIPCustom(&d, filepath.Join(dir, "nope"), true)
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "--asterisk-conf") {
		t.Errorf("named directory missing: %q", d.Warnings)
	}
	d = Data{Ports: base}
	ReadSIPCustom(&d, filepath.Join(dir, "nope"), false)
	if len(d.Warnings) != 0 {
		t.Errorf("default directory missing: %q", d.Warnings)
	}
}

// Comments as Asterisk's main/config.c reads them.
func TestStripComments(t *testing.T) {
	for _, c := range []struct {
		in       string
		open     int
		want     string
		wantOpen int
	}{
		{"bindport=5070 ; old", 0, "bindport=5070", 0},
		{"secret=a\\;b", 0, "secret=a;b", 0},
		{";-- start", 0, "", 1},
		{"bindport=5080", 1, "", 1},
		{"--;", 1, "", 0},
		{"bindport=5070 ;-- inline --; ; trailing", 0, "bindport=5070", 0},
		{"a=1 ;-- x --; b", 0, "a=1  b", 0},
		{";-- ;-- nested --;", 0, "", 1},
		{";--;", 0, "", 1},           // the opener's dashes do not close it
		{";------------;", 0, "", 0}, // FreePBX's banner: ";---" opens nothing
		{"x --; bindport=5090", 1, "bindport=5090", 0},
		{"x ;--; y", 1, "", 2}, // ";--" opens another; its dashes close nothing
	} {
		got, open := stripComments(c.in, c.open)
		if got != c.want || open != c.wantOpen {
			t.Errorf("stripComments(%q, %d) = %q, %d; want %q, %d", c.in, c.open, got, open, c.want, c.wantOpen)
		}
	}
}

// sip.conf's own includes, in order, as Asterisk follows them.
func TestReadSIPConfIncludes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"sip.conf": "[general]\n#include \"sip_general_additional.conf\"\n#include <site/*.conf>\n#tryinclude sip_absent.conf\n" +
			"[1601]\nbindport=5099\n[general]\nbindport=5098\n[general](+)\n#include loop.conf\n",
		SIPGeneralAdditional: "udpbindaddr=0.0.0.0:5160\n",
		"site/a.conf":        "bindport=5071\n",
		"site/b.conf":        ";--\nbindport=5072\n--;\nbindaddr=192.0.2.8\n",
		"loop.conf":          "#include loop.conf\nbindport=5073\n",
	}
	os.Mkdir(filepath.Join(dir, "site"), 0o755)
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := Data{Ports: Ports{ChanSIP: 5160}}
	ReadSIPCustom(&d, dir, true)
	// [1601] and the second [general] are not chan_sip's [general];
	// [general](+) is, so loop.conf's bindport is the last.
	if d.Ports.ChanSIP != 5073 || !strings.HasSuffix(d.Ports.ChanSIPFrom, "loop.conf:2") || d.Ports.ChanSIPAddr != "192.0.2.8" {
		t.Errorf("includes: %+v %q", d.Ports, d.Warnings)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "included from itself") {
		t.Errorf("warnings: %q", d.Warnings)
	}

	// No sip.conf: FreePBX's include list, sip_nat.conf after the custom file.
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, SIPGeneralCustom), []byte("bindport=5070\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sip_nat.conf"), []byte("bindaddr=192.0.2.7:5090\n"), 0o644)
	d = Data{Ports: Ports{ChanSIP: 5160}}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5070 || d.Ports.ChanSIPAddr != "192.0.2.7" {
		t.Errorf("bindport wins over a later address's port: %+v", d.Ports)
	}
	os.WriteFile(filepath.Join(dir, SIPGeneralCustom), []byte("udpbindaddr=0.0.0.0:5070\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "sip_nat.conf"), []byte("bindaddr=192.0.2.7\n"), 0o644)
	d = Data{Ports: Ports{ChanSIP: 5160}}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5060 || !strings.HasSuffix(d.Ports.ChanSIPFrom, "sip_nat.conf:1") {
		t.Errorf("a later address without a port: %+v", d.Ports)
	}
}
