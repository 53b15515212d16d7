package doctor

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

func TestCheckClock(t *testing.T) {
	s := siteconf.Defaults()
	fs := CheckClock(s, "/etc/setup-cisco/setup-cisco.conf")
	if len(fs) != 2 || fs[0].Severity != Note || !strings.Contains(fs[0].String(), "no ntp_server set") || !strings.Contains(fs[1].Msg, "Cisco code") {
		t.Errorf("no NTP server, Cisco code: %v", fs)
	}
	if ExitCode(fs) != ExitHealthy {
		t.Error("a clock warning fails the doctor")
	}
	s.NTPServer = "192.0.2.1"
	s.Clock.Direct = false
	if fs := CheckClock(s, "c"); len(fs) != 0 {
		t.Errorf("NTP server and a zone: %v", fs)
	}
}
