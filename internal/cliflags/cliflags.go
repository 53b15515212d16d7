// Package cliflags prints GNU-style option lists for pflag flag sets:
// `-c, --config FILE  text (default: x)`, wrapped to 80 columns, without
// pflag's "[=true|false]" on switches.
package cliflags

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// Usages formats every flag of fs, sorted by name.
func Usages(fs *pflag.FlagSet) string {
	type row struct{ left, text string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left, text := Row(f)
		left = "  " + left
		if f.Shorthand == "" {
			left = "    " + left
		}
		rows = append(rows, row{left, text})
		width = max(width, len(left))
	})
	// The text column follows the longest option, up to 30 columns; a
	// longer option gets its text on the next line.
	indent := min(width+2, 30)
	var b strings.Builder
	for _, r := range rows {
		if len(r.left) > indent-2 {
			fmt.Fprintf(&b, "%s\n%*s", r.left, indent, "")
		} else {
			fmt.Fprintf(&b, "%-*s", indent, r.left)
		}
		col := indent
		for i, w := range strings.Fields(r.text) {
			if i > 0 && col+1+len(w) > 79 {
				fmt.Fprintf(&b, "\n%*s", indent, "")
				col = indent
			} else if i > 0 {
				b.WriteByte(' ')
				col++
			}
			b.WriteString(w)
			col += len(w)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Row is one flag's option column ("-c, --config FILE", "--diff") and its
// text, with the default appended where the text names none. README's
// option tables are checked against it.
func Row(f *pflag.Flag) (option, text string) {
	name, text := pflag.UnquoteUsage(f)
	option = "--" + f.Name
	if f.Shorthand != "" {
		option = "-" + f.Shorthand + ", --" + f.Name
	}
	if f.Value.Type() != "bool" {
		if name == "" || name == "duration" {
			name = strings.ToUpper(f.Value.Type())
		}
		option += " " + name
	}
	if d := f.DefValue; f.Value.Type() != "bool" && d != "" && d != "0" && d != "[]" && !strings.Contains(text, "(default") {
		text += " (default " + d + ")"
	}
	return option, text
}
