package freepbx

import (
	"os"
	"path/filepath"
	"testing"
)

// Without a sip.conf in the directory, ReadSIPCustom reads FreePBX's
// include list as if inside sip.conf's [general] (FreePBX core
// etc/sip.conf opens with [general] and then #includes these files).
// There the [general] category exists from sip.conf's own header, so an
// admin's sip_custom_post.conf that says [general](+) appends to it
// (Asterisk main/config.c: (+) adds to an existing category) and chan_sip
// (reload_config) uses its bindport. When no option was read in
// [general] before (sip_general_additional.conf empty or not yet
// written), the reader has not marked [general] as seen and drops the
// (+) block: chan_sip lines keep the database's port, silently.
func TestBreaker15GeneralPlusWithoutSIPConf(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		SIPGeneralAdditional:   "",
		"sip_additional.conf":  "[1001]\ntype=friend\nsecret=x\n",
		"sip_custom_post.conf": "[general](+)\nbindport=5070\n",
	}
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := Data{Ports: Ports{ChanSIP: 5060, PJSIP: 5160}}
	ReadSIPCustom(&d, dir, true)
	if d.Ports.ChanSIP != 5070 {
		t.Errorf("[general](+) bindport=5070 in sip_custom_post.conf (FreePBX's sip.conf [general] exists): chan_sip listens on 5070, setup-cisco gives %d (from %q); warnings %q", d.Ports.ChanSIP, d.Ports.ChanSIPFrom, d.Warnings)
	}
}
