package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/manpage/manpagetest"
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
	for _, want := range []string{".SH EXIT STATUS\n0 done or nothing to change;", "Protocol Application Invalid", ".SH SYNOPSIS\n\\fBsetup\\-dhcp\\fR [OPTION]..."} {
		if !strings.Contains(page, want) {
			t.Errorf("no %q in\n%s", want, page)
		}
	}
	manpagetest.Check(t, out.Bytes(), map[string]*pflag.FlagSet{"options": fs})
}
