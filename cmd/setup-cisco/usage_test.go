package main

import "testing"

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
