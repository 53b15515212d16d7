package main

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// TestB19RingGroupAsLine: admins coming from key systems give a phone its
// "shared line" as FreePBX's ring group number (Applications > Ring Groups,
// ringgroups.grpnum, module.xml ringgroups 16.0.11), e.g. the Sales group
// 600 as line 2 of every desk phone, and run phone add with it. FreePBX knows
// 600 well (setup-cisco itself reads ringgroups for the dial plan), yet the
// refusal says only "extension 600 is not a SIP or PJSIP extension in FreePBX",
// which reads like a typo or a missing extension: the admin goes to create
// extension 600, which FreePBX refuses ("This number is already in use" by
// the ring group). Right: the message names 600 as FreePBX's ring group
// (Sales) and says a phone registers an extension: put the extensions in
// the group, and the group's members ring.
func TestB19RingGroupAsLine(t *testing.T) {
	extra := `INSERT INTO users (extension, name, voicemail) VALUES ('1931', 'Ada Sales', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES ('1931', 'sip', 'SIP/1931', 'fixed', '1931', 'Ada Sales');
INSERT INTO sip (id, keyword, data, flags) VALUES ('1931', 'secret', 'r19Secret31', 2), ('1931', 'sipdriver', 'chan_sip', 4), ('1931', 'account', '1931', 3);
INSERT INTO ringgroups (grpnum, strategy, grptime, grplist, description) VALUES ('600', 'ringall', 20, '1931-1932', 'Sales');
`
	s := newB12Site(t, testdb.Schema, extra, "")
	code, out := s.cli("phone", "add", "00112233C600", "1931,600", "--model", "7960")
	if code == 0 {
		t.Fatalf("phone add with ring group 600 as line 2: exit 0: %q", out)
	}
	if !strings.Contains(out, "ring group") {
		t.Errorf("phone add 1931 600: exit %d, the message never says 600 is FreePBX's ring group (Sales), only that no device has the number: %q", code, out)
	}
}
