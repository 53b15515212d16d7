// Package manpagetest holds the checks every command's man page test makes:
// each visible option is listed (and no hidden one), and groff formats the
// page without a warning.
package manpagetest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/manpage"
)

// Check checks page against the flag sets it documents (where names the
// set in messages).
func Check(t testing.TB, page []byte, sets map[string]*pflag.FlagSet) {
	t.Helper()
	s := string(page)
	for where, fs := range sets {
		fs.VisitAll(func(f *pflag.Flag) {
			tag := `\fB\-\-` + strings.ReplaceAll(f.Name, "-", `\-`) + `\fR`
			if f.Hidden == strings.Contains(s, tag) {
				t.Errorf("%s: --%s (hidden %v) listed %v", where, f.Name, f.Hidden, !f.Hidden)
			}
		})
	}
	warnings, err := manpage.Lint(page)
	if errors.Is(err, exec.ErrNotFound) && os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") != "1" {
		t.Skipf("%v (apt-get install groff-base)", err)
	}
	if err != nil || warnings != "" {
		t.Errorf("%v\n%s", err, warnings)
	}
}
