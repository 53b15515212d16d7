package testdb

import (
	"os"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// Tool returns the path of the command name, looked up as
// dhcpconf.FindTool finds the DHCP servers (PATH, then the sbin
// directories). Without it the test fails when SETUP_CISCO_REQUIRE_TOOLS=1
// (scripts/test installs every tool the tests use, so a missing one there
// is a broken test setup, not a reason to pass) and is skipped otherwise.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := dhcpconf.FindTool(name)
	if err != nil {
		if os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%v, and SETUP_CISCO_REQUIRE_TOOLS=1 (scripts/test installs it)", err)
		}
		t.Skipf("%v", err)
	}
	return p
}
