// Package manpage renders a roff manual page (man(7) macros) from the same
// pieces a command's --help prints: its pflag.FlagSet and its plain-text
// paragraphs. Built from one source, the page and --help cannot drift.
//
// Text fields use the layout --help uses: blank lines separate paragraphs;
// a block of lines indented two spaces as "  TAG  text" (continuation lines
// indented to the text's column) becomes a tagged list; any other indented
// lines are kept as they are, as preformatted text.
package manpage

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// Page is one manual page.
type Page struct {
	Name        string   // command name, e.g. "setup-cisco"
	Section     int      // 8 for administration commands
	Source      string   // footer, e.g. "setup-cisco 1.2.0"
	Manual      string   // header; default for section 8: "System Administration"
	Summary     string   // the NAME line's text after "name \- "
	Synopsis    []string // usage lines, each starting with the command name
	Description string
	Options     *pflag.FlagSet // hidden flags are left out, as in --help
	Commands    []Command
	Sections    []Section // more sections, after COMMANDS
	ExitStatus  string
	Files       string
	SeeAlso     []string // e.g. "setup-dhcp(8)"
}

// Section is a further section: its title (e.g. "SETTINGS FILE") and
// help-style text.
type Section struct {
	Title string
	Text  string
}

// Command is one subcommand: its synopsis, what it does and its own flags.
type Command struct {
	Usage   string
	About   string
	Options *pflag.FlagSet // may be nil
}

// Render writes the page.
func (p *Page) Render(w io.Writer) error {
	var b strings.Builder
	manual := p.Manual
	if manual == "" && p.Section == 8 {
		manual = "System Administration"
	}
	fmt.Fprintf(&b, ".TH %s %d \"\" %s %s\n", quote(strings.ToUpper(p.Name)), p.Section, quote(p.Source), quote(manual))
	// No hyphenation, ragged right: paths and options must not break.
	b.WriteString(".nh\n.ad l\n")
	b.WriteString(".SH NAME\n")
	fmt.Fprintf(&b, "%s \\- %s\n", escape(p.Name), escape(p.Summary))
	if len(p.Synopsis) > 0 {
		b.WriteString(".SH SYNOPSIS\n")
		for i, s := range p.Synopsis {
			if i > 0 {
				b.WriteString(".br\n")
			}
			name, rest, _ := strings.Cut(s, " ")
			fmt.Fprintf(&b, "\\fB%s\\fR %s\n", escape(name), escape(rest))
		}
	}
	if p.Description != "" {
		b.WriteString(".SH DESCRIPTION\n")
		text(&b, p.Description)
	}
	if p.Options != nil {
		b.WriteString(".SH OPTIONS\n")
		options(&b, p.Options)
	}
	if len(p.Commands) > 0 {
		b.WriteString(".SH COMMANDS\n")
		for _, c := range p.Commands {
			b.WriteString(".TP\n")
			name, rest := commandName(c.Usage)
			fmt.Fprintf(&b, "\\fB%s\\fR %s\n%s\n", escape(name), escape(rest), escape(sentence(c.About)))
			if c.Options != nil && hasVisible(c.Options) {
				b.WriteString(".RS\n")
				options(&b, c.Options)
				b.WriteString(".RE\n")
			}
		}
	}
	for _, s := range p.Sections {
		fmt.Fprintf(&b, ".SH %s\n", quote(strings.ToUpper(s.Title)))
		text(&b, s.Text)
	}
	if p.ExitStatus != "" {
		b.WriteString(".SH EXIT STATUS\n")
		text(&b, p.ExitStatus)
	}
	if p.Files != "" {
		b.WriteString(".SH FILES\n")
		text(&b, p.Files)
	}
	if len(p.SeeAlso) > 0 {
		b.WriteString(".SH SEE ALSO\n")
		for i, s := range p.SeeAlso {
			name, sect, ok := strings.Cut(s, "(")
			sep := ",\n"
			if i == len(p.SeeAlso)-1 {
				sep = "\n"
			}
			if ok {
				fmt.Fprintf(&b, ".BR %s (%s%s", escape(name), escape(sect), sep)
			} else {
				fmt.Fprintf(&b, "%s%s", escape(s), sep)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// commandName splits "phone add MAC ..." into the words before the first
// argument (upper case or punctuation) and the rest.
func commandName(usage string) (string, string) {
	f := strings.Fields(usage)
	n := 0
	for n < len(f) && isWord(f[n]) {
		n++
	}
	return strings.Join(f[:n], " "), strings.Join(f[n:], " ")
}

func isWord(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return s != ""
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func hasVisible(fs *pflag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			n++
		}
	})
	return n > 0
}

// options lists the visible flags as a tagged list.
func options(b *strings.Builder, fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		arg, text := Describe(f)
		tag := "\\fB\\-\\-" + escape(f.Name) + "\\fR"
		if f.Shorthand != "" {
			tag = "\\fB\\-" + escape(f.Shorthand) + "\\fR, " + tag
		}
		if arg != "" {
			tag += " \\fI" + escape(arg) + "\\fR"
		}
		fmt.Fprintf(b, ".TP\n%s\n%s\n", tag, escape(text))
	})
}

// Describe returns a flag's argument name (empty for switches) and its text
// with the default appended, by the rules of internal/cliflags, which
// prints the --help option lists.
func Describe(f *pflag.Flag) (arg, text string) {
	name, text := pflag.UnquoteUsage(f)
	if f.Value.Type() == "bool" {
		return "", text
	}
	if name == "" || name == "duration" {
		name = strings.ToUpper(f.Value.Type())
	}
	if d := f.DefValue; d != "" && d != "0" && d != "[]" && !strings.Contains(text, "default") {
		text += " (default " + d + ")"
	}
	return name, text
}

// text renders help-style plain text: paragraphs, tagged lists and
// preformatted blocks.
func text(b *strings.Builder, s string) {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	first, joined := true, false // joined: no blank line since the last block
	for i := 0; i < len(lines); {
		if strings.TrimSpace(lines[i]) == "" {
			joined = false
			i++
			continue
		}
		if !indented(lines[i]) {
			if !first {
				b.WriteString(".PP\n")
			}
			for ; i < len(lines) && strings.TrimSpace(lines[i]) != "" && !indented(lines[i]); i++ {
				b.WriteString(escape(strings.TrimSpace(lines[i])) + "\n")
			}
			first, joined = false, true
			continue
		}
		j := i
		for j < len(lines) && strings.TrimSpace(lines[j]) != "" && indented(lines[j]) {
			j++
		}
		if items, ok := tagged(lines[i:j]); ok {
			for _, it := range items {
				fmt.Fprintf(b, ".TP\n%s\n%s\n", escape(it[0]), escape(it[1]))
			}
			// Text after a list must not stay indented under its last tag.
			b.WriteString(".PP\n")
		} else {
			if !joined {
				b.WriteString(".PP\n")
			}
			b.WriteString(".nf\n")
			for _, l := range lines[i:j] {
				b.WriteString(escape(l) + "\n")
			}
			b.WriteString(".fi\n")
		}
		first, joined = false, false
		i = j
	}
}

func indented(l string) bool { return strings.HasPrefix(l, " ") }

// tagged reads "  TAG  text" lines with continuations indented to the
// text's column; ok is false for any other shape.
func tagged(lines []string) (items [][2]string, ok bool) {
	col := 0
	for _, l := range lines {
		if len(l) > 2 && l[:2] == "  " && l[2] != ' ' {
			rest := l[2:]
			k := strings.Index(rest, "  ")
			if k < 0 {
				return nil, false
			}
			text := strings.TrimLeft(rest[k:], " ")
			col = len(l) - len(text)
			items = append(items, [2]string{rest[:k], text})
			continue
		}
		if len(items) == 0 || col == 0 || len(l) <= col || strings.TrimSpace(l[:col]) != "" || l[col] == ' ' {
			return nil, false
		}
		items[len(items)-1][1] += " " + l[col:]
	}
	return items, len(items) > 0
}

// escape makes s safe as roff text: backslashes, minus signs (so options
// and paths copy and paste as typed) and control characters at line start.
func escape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// quote makes s one macro argument.
func quote(s string) string {
	return `"` + strings.ReplaceAll(escape(s), `"`, `\(dq`) + `"`
}
