package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestBreaker17ManPageCommandExitStatus: setup-cisco(8) is the manual the
// --help of every command points to ("Full manual: man setup-cisco"), and a
// cron job or monitoring script is written from it. Its EXIT STATUS holds
// only the run's codes (0 written, 1 bad rows, 2 nothing changed). The
// commands' own codes, which --help gives (watch: 2 "no line of it is in a
// format watch reads"; phone list: 1 "some rows are bad"; hook status: 2
// "the state could not be read"; firmware list, import-settings,
// upgrade-path, phone forget), are not in the page at all: an admin who
// reads only the man page takes "hook status" exit 2 or "phone list" exit
// 1 for the run's meanings.
func TestBreaker17ManPageCommandExitStatus(t *testing.T) {
	var b bytes.Buffer
	if code := Main([]string{"man-page"}, &b, os.Stderr); code != 0 {
		t.Fatalf("man-page: exit %d", code)
	}
	page := flatten(strings.ReplaceAll(b.String(), `\-`, "-"))
	code := regexp.MustCompile(`^\s*[0-9]\s+`)
	for name, d := range commandDocs {
		for _, item := range splitExit(d.exit) {
			text := flatten(code.ReplaceAllString(item, ""))
			if !strings.Contains(page, text) {
				t.Errorf("%s --help: exit %q: not in the man page", name, item)
			}
		}
	}
}

// TestBreaker17ManPageFiles: the FILES of setup-cisco(8) and of "hook
// status --help" leave out files the tools keep and README documents:
// /var/lib/setup-cisco/hook-retry (a failed hook run's pending retry, which
// "hook status" reports by that path), /etc/setup-cisco/fwconsole (the
// --fwconsole hook install recorded, which hook remove and the package's
// prerm use), and /var/lib/setup-cisco, where a run as root keeps the copy
// of the manifest that is the record while the TFTP root is open to others.
// An admin cleaning up after "apt purge" or auditing what root's cron job
// writes finds them nowhere in the manual.
func TestBreaker17ManPageFiles(t *testing.T) {
	var b bytes.Buffer
	if code := Main([]string{"man-page"}, &b, os.Stderr); code != 0 {
		t.Fatalf("man-page: exit %d", code)
	}
	page := strings.ReplaceAll(b.String(), `\-`, "-")
	for _, f := range []string{"/var/lib/setup-cisco/hook-retry", "/etc/setup-cisco/fwconsole"} {
		if !strings.Contains(page, f) {
			t.Errorf("man page FILES: %s missing", f)
		}
		if !strings.Contains(commandDocs["hook status"].files, f) {
			t.Errorf("hook status --help Files: %s missing", f)
		}
	}
}

// splitExit splits a --help exit status block into its items (a line
// starting with a code, with its continuation lines).
func splitExit(s string) []string {
	var items []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if len(strings.TrimSpace(l)) > 0 && l[2] >= '0' && l[2] <= '9' {
			items = append(items, l)
		} else if len(items) > 0 {
			items[len(items)-1] += " " + l
		}
	}
	return items
}

func flatten(s string) string { return strings.Join(strings.Fields(s), " ") }
