package main

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// A TFTP root inside a home (scripts/demo's ./demo-tftpboot run in /root)
// is told to move out first: opening a home to every user is not the fix.
// Elsewhere the fix stays chmod o+x.
func TestClosedMessageHome(t *testing.T) {
	rep := provision.Report{Root: "/root/setup-cisco/demo-tftpboot", Phones: 2}
	msg := closedMessage(rep, []safefs.Closed{{Path: "/root", Mode: 0o700}}, false)
	if !strings.Contains(msg, "fix: keep the TFTP root out of /root (") || !strings.Contains(msg, "or chmod o+x /root") {
		t.Errorf("home: %s", msg)
	}
	msg = closedMessage(provision.Report{Root: "/srv/tftp"}, []safefs.Closed{{Path: "/srv/tftp", Mode: 0o750}}, false)
	if !strings.HasSuffix(msg, "fix: chmod o+x /srv/tftp") {
		t.Errorf("not a home: %s", msg)
	}
	for path, want := range map[string]bool{"/root": true, "/home/ann": true, "/home": false, "/home/ann/tftp": false, "/rootx": false, "/srv/tftp": false} {
		if homeDir(path) != want {
			t.Errorf("homeDir(%q) = %v", path, !want)
		}
	}
}
