package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/manpage/manpagetest"
)

// TestManPage: setup-cisco(8) names every visible option of the default
// action and of every command, and groff formats it without a warning.
func TestManPage(t *testing.T) {
	var b bytes.Buffer
	if code := Main([]string{"man-page"}, &b, os.Stderr); code != 0 {
		t.Fatalf("man-page: exit %d", code)
	}
	page := b.String()
	sets := map[string]*pflag.FlagSet{"options": manPage().Options}
	var walk func(c *command)
	walk = func(c *command) {
		for _, s := range c.sub {
			walk(s)
		}
		if c.sub != nil || c.usage == "" {
			return
		}
		name, _, _ := strings.Cut(c.usage, " [")
		if !strings.Contains(page, strings.ReplaceAll(strings.Fields(name)[0], "-", `\-`)) {
			t.Errorf("command %q missing", c.usage)
		}
		fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
		if c.flags != nil {
			c.flags(fs)
		}
		sets[c.usage] = fs
	}
	for _, c := range commands() {
		walk(c)
	}
	if strings.Contains(page, `\fBman\-page\fR`) {
		t.Error("the man-page command is for scripts; it is listed")
	}
	manpagetest.Check(t, b.Bytes(), sets)
}
