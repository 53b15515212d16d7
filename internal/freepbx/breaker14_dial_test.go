package freepbx

import "testing"

// FreePBX's macro-dial-one (core Dialplan/macroDialone.php) dials a PJSIP
// dial string that "contains an @, or two /'s" as it is ("it's ALREADY
// something we can dial"): PJSIP/1602/sip:1602@192.0.2.50:5060 is endpoint
// 1602 sent to a fixed URI, the Dial field FreePBX admins set for a phone at
// a fixed address (the phone add --ip case). Asterisk's PJSIP/<endpoint>/<uri>
// rings endpoint 1602 there. DialRingsDevice compares everything after the
// first '/' with the id, so it says such a device is never rung: the run
// makes the phone a bad row (its files kept as they were, exit 1) though
// FreePBX rings it.
func TestBreaker14DialWithFixedURIRingsDevice(t *testing.T) {
	for _, dial := range []string{
		"PJSIP/1602/sip:1602@192.0.2.50:5060",
		"PJSIP/1602/sip:192.0.2.50",
	} {
		if !DialRingsDevice(dial, "pjsip", "1602") {
			t.Errorf("DialRingsDevice(%q, pjsip, 1602) = false: FreePBX dials endpoint 1602 at that URI", dial)
		}
	}
}
