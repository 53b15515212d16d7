package main

import (
	"os"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cliflags"
)

// TestReadmeOptions: README's option table for the main run says what
// --help says, word for word (backticks aside): one source, the flag set
// (issue 15.10: they differed on -v and --leases' default). The message
// holds the table --help implies.
func TestReadmeOptions(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "\n## setup-cisco\n")
	start += strings.Index(readme[start:], "\n### Options\n")
	table := readme[start:]
	table = table[strings.Index(table, "| Option |"):]
	table = table[:strings.Index(table, "\n\n")]
	rows := map[string]string{}
	var order []string
	for _, l := range strings.Split(table, "\n") {
		cells := strings.Split(strings.Trim(l, "| "), " | ")
		if len(cells) != 2 || cells[0] == "Option" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		opt := strings.ReplaceAll(cells[0], "`", "")
		rows[opt] = strings.ReplaceAll(cells[1], "`", "")
		order = append(order, opt)
	}

	fs := pflag.NewFlagSet("setup-cisco", pflag.ContinueOnError)
	var g globals
	g.register(fs)
	var w writeFlags
	w.register(fs)
	var want strings.Builder
	bad := false
	seen := map[string]bool{}
	fs.VisitAll(func(f *pflag.Flag) {
		opt, text := cliflags.Row(f)
		seen[opt] = true
		want.WriteString("| `" + opt + "` | " + text + " |\n")
		got, ok := rows[opt]
		switch {
		case !ok:
			t.Errorf("README's option table lacks %s", opt)
			bad = true
		case got != text:
			t.Errorf("README says %s: %q; --help says %q", opt, got, text)
			bad = true
		}
	})
	for _, opt := range order {
		if !seen[opt] {
			t.Errorf("README's option table has %s, which --help does not", opt)
			bad = true
		}
	}
	if bad {
		t.Logf("the table --help implies:\n%s", want.String())
	}
}
