package phoneemu

import (
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
)

// TestB13EmulatorSkippedStep: the emulator's upgrade rules against
// Cisco's. CME-INST (fact sheet §4, "Upgrade path [C]"): "[2, 3 or 4].x →
// 4.4 → 5.3 → 6.x → 7.x. You cannot jump from 2.x–4.x straight to 7.x";
// signed loads begin with 5.x; "the SCCP image must be 5.x before
// converting to SIP". setup-cisco's own planner agrees (upgrade-path
// P0S3-04-4-00 lists 5.1, 6.3, 7.5, ... and the run warns "skips a
// required step"). Seen on main (ed88881): Boot of a 7960 running the
// unsigned P0S3-04-4-00 (and one running SCCP 3.x, P00303020214) against
// a root whose SIPDefault.cnf names P0S3-8-12-00 with the 8.12 files
// present reports a clean boot, Upgrade true, Image P0S3-8-12-00, lines
// registered: the emulator says the phone runs 8.12 after a jump the
// phone cannot make (a 4.4 load knows neither the signed .sbn nor the
// loader's .loads). scripts/e2e and anyone using phoneemu as "would a
// real phone boot" then accept a site that strands its old phones.
// Right: the boot fails (or the phone stays on its load) naming the
// skipped step, as firmware.Plan does.
func TestB13EmulatorSkippedStep(t *testing.T) {
	for _, running := range []string{"P0S3-04-4-00", "P0S3-03-1-00", "P00303020214"} {
		t.Run(running, func(t *testing.T) {
			// The project's own planner: a direct step is not allowed.
			if !firmware.SkipsStep(firmware.MustParse(running), firmware.MustParse("P0S3-8-12-00")) {
				t.Fatalf("premise: firmware.SkipsStep(%s, P0S3-8-12-00) is false", running)
			}
			dir := site(t)
			write(t, dir, "SIPDefault.cnf", "image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\nproxy_register: 1\n", 0o644)
			write(t, dir, "OS79XX.TXT", "P0S3-8-12-00", 0o644)
			r := Boot(serve(t, dir), Phone{MAC: "001B54796001", Model: "7960", Running: running}, nil)
			if r.OK() && r.Image == "P0S3-8-12-00" && r.Upgrade {
				t.Errorf("a phone on %s boots straight into P0S3-8-12-00 in the emulator (Cisco: no jump past 4.4/5.x/6.x/7.x); fetches: %s", running, names(r.Fetches))
			}
		})
	}
}

// TestB13EmulatorProxyRegisterOff: Cisco's sample SIPDefault.cnf (fact
// sheet §3, HUGO-sample, JH-SIPDefault): proxy_register "0 = off
// (default), 1 = register". Boot documents Result.Lines as "lines that
// register" and OK as "boots and registers at least one line". Seen on
// main: with proxy_register 0 in SIPDefault.cnf (or set by no file at all,
// the phone's default), Boot only adds a note ("proxy_register is "0", not
// 1: the lines do not register") and still returns both lines as
// registering, OK() true: scripts/e2e's "each line registers with exactly
// the database's credentials" passes for a phone that registers nothing.
// Right: no line registers and the boot is not OK.
func TestB13EmulatorProxyRegisterOff(t *testing.T) {
	for _, def := range []string{
		"image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\nproxy_register: 0\n",
		"image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\n",
	} {
		dir := site(t)
		write(t, dir, "SIPDefault.cnf", def, 0o644)
		r := Boot(serve(t, dir), Phone{MAC: "001B54796001", Model: "7960", Running: "P0S3-8-12-00"}, nil)
		if r.OK() || len(r.Lines) > 0 {
			t.Errorf("proxy_register off (SIPDefault.cnf %q): OK %v, %d line(s) said to register: %v; notes %v", def, r.OK(), len(r.Lines), r.Lines, r.Notes)
		}
	}
}
