package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/manpage"
)

// TestManPage: setup-dhcp(8) names every visible option, has the help's
// text and formats without a groff warning.
func TestManPage(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"--man-page"}, &out, &errs); code != exitOK {
		t.Fatalf("--man-page: exit %d: %s", code, errs.String())
	}
	page := out.String()
	_, fs, err := parseFlags(nil, &errs)
	if err != nil {
		t.Fatal(err)
	}
	fs.VisitAll(func(f *pflag.Flag) {
		tag := `\fB\-\-` + strings.ReplaceAll(f.Name, "-", `\-`) + `\fR`
		if f.Hidden == strings.Contains(page, tag) {
			t.Errorf("--%s (hidden %v) listed %v", f.Name, f.Hidden, !f.Hidden)
		}
	})
	for _, want := range []string{".SH EXIT STATUS\n0 done or nothing to change;", "Protocol Application Invalid", ".SH SYNOPSIS\n\\fBsetup\\-dhcp\\fR [OPTION]..."} {
		if !strings.Contains(page, want) {
			t.Errorf("no %q in\n%s", want, page)
		}
	}
	warnings, err := manpage.Lint(out.Bytes())
	if errors.Is(err, exec.ErrNotFound) && os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") != "1" {
		t.Skipf("%v (apt-get install groff-base)", err)
	}
	if err != nil || warnings != "" {
		t.Errorf("%v\n%s", err, warnings)
	}
}
