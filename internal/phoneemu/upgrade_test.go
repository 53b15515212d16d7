package phoneemu

import (
	"strings"
	"testing"
)

// The emulator moves a phone only as firmware's rules allow (the same
// rules as upgrade-path and the run's warnings): other members of the
// class of TestB13EmulatorSkippedStep.
func TestBootUpgradeRules(t *testing.T) {
	for _, tc := range []struct {
		name, running, os79xx, image string
		files                        []string
		wantImage, wantFrom, fail    string
		upgrade                      bool
	}{
		// Allowed steps load.
		{name: "4.4 to 5.1", running: "P0S3-04-4-00", image: "P0S3-05-1-00", files: []string{"P0S3-05-1-00.bin", "P0S3-05-1-00.sbn"},
			wantImage: "P0S3-05-1-00", wantFrom: "SIPDefault.cnf", upgrade: true},
		{name: "7.5 to 8.12", running: "P0S3-07-5-00", image: "P0S3-8-12-00", wantImage: "P0S3-8-12-00", wantFrom: "SIPDefault.cnf", upgrade: true},
		// Skipped steps and signed downgrades do not.
		{name: "5.1 to 7.5", running: "P0S3-05-1-00", image: "P0S3-07-5-00", wantImage: "P0S3-05-1-00", fail: "skips a step Cisco requires"},
		{name: "8.12 to 4.4", running: "P0S3-8-12-00", image: "P0S3-04-4-00", files: []string{"P0S3-04-4-00.bin"},
			wantImage: "P0S3-8-12-00", fail: "never loads the unsigned P0S3-04-4-00"},
		// SCCP on the original boot: OS79XX.TXT alone switches it.
		{name: "P003AM30 via OS79XX.TXT", running: "P003AM30", os79xx: "P0S30203", image: "P0S3-04-4-00", files: []string{"P0S30203.bin"},
			wantImage: "P0S30203", wantFrom: "OS79XX.TXT", upgrade: true},
		{name: "P003AM30 to a long name", running: "P003AM30", os79xx: "P0S3-04-4-00", image: "P0S3-04-4-00", files: []string{"P0S3-04-4-00.bin"},
			wantImage: "P003AM30", fail: "skips a step Cisco requires"},
		{name: "SCCP 5.x, OS79XX.TXT names SCCP", running: "P00305000600", os79xx: "P00305000600", image: "P0S3-07-5-00", fail: "stays on SCCP"},
		{name: "SCCP 5.x, no OS79XX.TXT", running: "P00305000600", image: "P0S3-07-5-00", fail: "stays on SCCP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := site(t)
			write(t, dir, "SIPDefault.cnf", "image_version: \""+tc.image+"\"\nproxy1_address: \"192.0.2.10\"\nproxy_register: 1\n", 0o644)
			if tc.os79xx != "" {
				write(t, dir, "OS79XX.TXT", tc.os79xx, 0o644)
			}
			for _, f := range tc.files {
				write(t, dir, f, "image", 0o644)
			}
			r := Boot(serve(t, dir), Phone{MAC: "001B54796001", Model: "7960", Running: tc.running}, nil)
			if tc.fail == "" && !r.OK() || tc.fail != "" && !strings.Contains(r.Failure, tc.fail) {
				t.Errorf("failure %q, want %q; fetches %s", r.Failure, tc.fail, names(r.Fetches))
			}
			if tc.wantImage != "" && r.Image != tc.wantImage || r.Upgrade != tc.upgrade || tc.wantFrom != "" && r.ImageFrom != tc.wantFrom {
				t.Errorf("image %q from %q upgrade %v, want %q from %q upgrade %v", r.Image, r.ImageFrom, r.Upgrade, tc.wantImage, tc.wantFrom, tc.upgrade)
			}
		})
	}
}

// proxy_register kept in flash counts as set (flash, then the files:
// ADM40-p2-4); a file's 0 overrides a flash 1.
func TestBootProxyRegisterFlash(t *testing.T) {
	dir := site(t)
	write(t, dir, "SIPDefault.cnf", "image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\n", 0o644)
	p := Phone{MAC: "001B54796001", Model: "7960", Running: "P0S3-8-12-00", Flash: Cnf{"proxy_register": "1"}}
	if r := Boot(serve(t, dir), p, nil); !r.OK() || len(r.Lines) != 2 {
		t.Errorf("proxy_register 1 in flash: %q, lines %v", r.Failure, r.Lines)
	}
	write(t, dir, "SIPDefault.cnf", "image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\nproxy_register: \"0\"\n", 0o644)
	if r := Boot(serve(t, dir), p, nil); r.OK() || len(r.Lines) != 0 || !strings.Contains(r.Failure, "proxy_register is 0") {
		t.Errorf("proxy_register 0 over a flash 1: %q, lines %v", r.Failure, r.Lines)
	}
}
