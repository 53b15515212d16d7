package freepbx

import (
	"os"
	"path/filepath"
	"testing"
)

// FreePBX 16's sipsettings writes sip_general_additional.conf with
// udpbindaddr=ADDR:PORT (sipsettings 16.0.27 functions.inc.php:297), for
// example 0.0.0.0:5160 when PJSIP has 5060. An admin who binds chan_sip
// to one interface in sip_general_custom.conf writes bindaddr=ADDRESS with
// no port (the usual recipe). chan_sip's reload_config (Asterisk 16
// channels/chan_sip.c:33425-33435) keeps only the last bindaddr/
// udpbindaddr, and with no bindport anywhere an address without a port
// listens on STANDARD_SIP_PORT, 5060: the generated :5160 is gone.
// setup-cisco keeps the database's 5160, so every chan_sip line is sent to
// a port chan_sip no longer listens on (exit 0, silent).
func TestBreaker14BindAddrWithoutPortResetsTo5060(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, SIPGeneralAdditional), []byte("udpbindaddr=0.0.0.0:5160\ntlsbindaddr=[::]:5161\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, SIPGeneralCustom), []byte("; bind chan_sip to the phone VLAN only\nbindaddr=192.0.2.7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := Data{Ports: Ports{ChanSIP: 5160, PJSIP: 5060}}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5060 {
		t.Errorf("custom bindaddr=192.0.2.7 (no port) after generated udpbindaddr=0.0.0.0:5160: chan_sip listens on 192.0.2.7:5060, setup-cisco sends chan_sip lines to port %d (from %q); warnings %q", d.Ports.ChanSIP, d.Ports.ChanSIPFrom, d.Warnings)
	}
}

// Asterisk's configuration parser (main/config.c, COMMENT_START ";--" and
// COMMENT_END "--;") takes ;-- ... --; as a block comment that spans
// lines: the lines inside are not read. An admin who comments out an old
// bindport that way leaves chan_sip on the database's port, but
// setup-cisco reads the commented line and sends every chan_sip line to
// the old port (exit 0, silent).
func TestBreaker14BlockCommentedBindport(t *testing.T) {
	dir := t.TempDir()
	custom := ";-- moved back to the GUI port (Settings > Asterisk SIP Settings)\nbindport=5080\n--;\n"
	if err := os.WriteFile(filepath.Join(dir, SIPGeneralCustom), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	d := Data{Ports: Ports{ChanSIP: 5160, PJSIP: 5060}}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5160 {
		t.Errorf("bindport inside a ;-- --; block comment was read: chan_sip port %d from %q, Asterisk listens on 5160", d.Ports.ChanSIP, d.Ports.ChanSIPFrom)
	}
}

// FreePBX's sip.conf (core etc/sip.conf) includes, inside [general],
// sip_general_additional.conf, then sip_general_custom.conf, then
// sip_nat.conf ("here for legacy support reasons and for those that
// upgrade from previous versions"). A trixbox/FreePBX 2.x site that moved
// chan_sip off 5060 in sip_nat.conf keeps that after the upgrade, and
// chan_sip (reload_config: the last bindport in [general] wins) listens
// there. setup-cisco reads only sip_general_custom.conf: chan_sip lines get
// the database's port, exit 0, nothing said.
func TestBreaker14BindportInSipNat(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		SIPGeneralAdditional: "udpbindaddr=0.0.0.0:5160\n",
		SIPGeneralCustom:     "jbenable=yes\n",
		"sip_nat.conf":       "; from the trixbox install\nnat=yes\nexternip=203.0.113.9\nlocalnet=192.168.1.0/255.255.255.0\nbindport=5070\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := Data{Ports: Ports{ChanSIP: 5160, PJSIP: 5060}}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5070 && len(d.Warnings) == 0 {
		t.Errorf("sip_nat.conf (included in [general] after sip_general_custom.conf) sets bindport=5070: chan_sip listens there; setup-cisco sends chan_sip lines to %d and warns nothing", d.Ports.ChanSIP)
	}
}
