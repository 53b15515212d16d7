package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// TestEveryCommandHasItsExitStatus: each command's --help shows its own
// exit status and files, not the main run's (issue 15.7).
func TestEveryCommandHasItsExitStatus(t *testing.T) {
	var walk func(path string, c *command)
	walk = func(path string, c *command) {
		if path != "" {
			path += " "
		}
		path += c.name
		for _, s := range c.sub {
			walk(path, s)
		}
		if c.sub == nil && c.usage != "" {
			if d, ok := commandDocs[path]; !ok || d.exit == "" || d.files == "" {
				t.Errorf("setup-cisco %s --help: no exit status or files of its own (commandDocs)", path)
			}
		}
	}
	for _, c := range commands() {
		walk("", c)
	}
}

// TestManPageListsSettings: setup-cisco(8) lists every key the settings
// file takes, from the documented example (issue 15.7).
func TestManPageListsSettings(t *testing.T) {
	var b strings.Builder
	if err := manPage().Render(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	i := strings.Index(page, ".SH \"SETTINGS FILE\"\n")
	if i < 0 {
		t.Fatal("no SETTINGS FILE section")
	}
	section := page[i:]
	section = section[:strings.Index(section, "\n.SH ")]
	for _, k := range siteconf.Keys() {
		if !strings.Contains(section, "\n  "+k+" =") {
			t.Errorf("setup-cisco(8) does not list the setting %s", k)
		}
	}
}

// TestExampleConfigHonest: the example settings file says "the value shown
// is the default" only where it is: a line whose value differs from the
// default stands under a comment that says what the default is (issue
// 15.10: it showed example addresses as defaults).
func TestExampleConfigHonest(t *testing.T) {
	groups := exampleGroups(siteconf.Example)
	base, err := parseSettings("")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, g := range groups {
		for _, line := range g.keys {
			key, _, _ := strings.Cut(line, "=")
			seen[strings.TrimSpace(key)] = true
			s, err := parseSettings(line)
			if err != nil {
				// Keys that go together (directory_web_root and _url).
				s, err = parseSettings(strings.Join(g.keys, "\n"))
			}
			if err != nil {
				t.Errorf("example line %q: %v", line, err)
				continue
			}
			if reflect.DeepEqual(s, base) {
				continue
			}
			text := strings.ToLower(strings.Join(g.comment, " "))
			if !strings.Contains(text, "default") && !strings.Contains(text, "unset") {
				t.Errorf("example line %q shows a value that is not the default, and its comment does not say what the default is: %q", line, g.comment)
			}
		}
	}
	for _, k := range siteconf.Keys() {
		if !seen[k] {
			t.Errorf("the example settings file does not show %s", k)
		}
	}
}

// parseSettings reads a settings file's text over the defaults, forgetting
// which keys it set.
func parseSettings(text string) (siteconf.Site, error) {
	s := siteconf.Defaults()
	err := siteconf.Parse(&s, "example", []byte(text+"\n"))
	s.Set = nil
	return s, err
}
