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
		!strings.Contains(d.Warnings[1], "#include more.conf is not followed") {
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
