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

// TestManPage: setup-cisco(8) names every visible option of the default
// action and of every command, and groff formats it without a warning.
func TestManPage(t *testing.T) {
	var b bytes.Buffer
	if code := Main([]string{"man-page"}, &b, os.Stderr); code != 0 {
		t.Fatalf("man-page: exit %d", code)
	}
	page := b.String()
	roff := func(s string) string { return strings.ReplaceAll(s, "-", `\-`) }
	visit := func(where string, fs *pflag.FlagSet) {
		fs.VisitAll(func(f *pflag.Flag) {
			tag := `\fB\-\-` + roff(f.Name) + `\fR`
			if f.Hidden == strings.Contains(page, tag) {
				t.Errorf("%s: --%s (hidden %v) listed %v", where, f.Name, f.Hidden, !f.Hidden)
			}
		})
	}
	visit("options", manPage().Options)
	var walk func(c *command)
	walk = func(c *command) {
		for _, s := range c.sub {
			walk(s)
		}
		if c.sub != nil || c.usage == "" {
			return
		}
		name, _, _ := strings.Cut(c.usage, " [")
		if !strings.Contains(page, roff(strings.Fields(name)[0])) {
			t.Errorf("command %q missing", c.usage)
		}
		fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
		if c.flags != nil {
			c.flags(fs)
		}
		visit(c.usage, fs)
	}
	for _, c := range commands() {
		walk(c)
	}
	if strings.Contains(page, `\fBman\-page\fR`) {
		t.Error("the man-page command is for scripts; it is listed")
	}
	warnings, err := manpage.Lint(b.Bytes())
	if errors.Is(err, exec.ErrNotFound) && os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") != "1" {
		t.Skipf("%v (apt-get install groff-base)", err)
	}
	if err != nil || warnings != "" {
		t.Errorf("%v\n%s", err, warnings)
	}
}
