package manpage

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cliflags"
)

func testFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.StringP("config", "c", "/etc/t.conf", "settings `FILE`")
	fs.String("db-dsn", "", "database `DSN` (default: from freepbx.conf)")
	fs.BoolP("dry-run", "n", false, "write nothing")
	fs.Duration("lock-wait", 10*time.Second, "how long to wait, e.g. 30s")
	fs.Int("max-lease-time", 7200, "longest lease in `SECONDS`")
	fs.String("path", "", `a \backslash, a 'quote and .dot`)
	fs.Bool("secret", false, "not shown")
	fs.MarkHidden("secret")
	return fs
}

func testPage() *Page {
	return &Page{
		Name:     "tool",
		Section:  8,
		Source:   "tool 1.0",
		Summary:  "do a thing",
		Synopsis: []string{"tool [OPTION]... [COMMAND]"},
		Description: `Do a thing, atomically.
.A line starting with a dot.

Modes:
  plain  the default
        tool --plain
`,
		Options: testFlags(),
		Commands: []Command{
			{Usage: "phone add MAC EXT --model 7940|7960", About: "add a phone", Options: func() *pflag.FlagSet {
				fs := pflag.NewFlagSet("add", pflag.ContinueOnError)
				fs.String("model", "", "phone model: `7940` or 7960")
				return fs
			}()},
			{Usage: "hook status", About: "say how the hook is set"},
		},
		ExitStatus: `  0  done
  1  some rows bad; the others were
     written
`,
		Files:   "  /etc/t.conf  settings\n",
		SeeAlso: []string{"setup-dhcp(8)", "cron(8)"},
	}
}

func render(t *testing.T, p *Page) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.Render(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestEveryVisibleFlag(t *testing.T) {
	p := testPage()
	out := render(t, p)
	for _, sec := range []string{".TH \"TOOL\" 8", ".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH COMMANDS", ".SH EXIT STATUS", ".SH FILES", ".SH SEE ALSO"} {
		if !strings.Contains(out, sec) {
			t.Errorf("no %q in\n%s", sec, out)
		}
	}
	p.Options.VisitAll(func(f *pflag.Flag) {
		tag := `\fB\-\-` + escape(f.Name) + `\fR`
		if f.Hidden == strings.Contains(out, tag) {
			t.Errorf("flag --%s (hidden %v): tag %q present %v", f.Name, f.Hidden, tag, !f.Hidden)
		}
	})
	for _, want := range []string{
		`\fB\-c\fR, \fB\-\-config\fR \fIFILE\fR` + "\nsettings FILE (default /etc/t.conf)\n",
		`\fB\-\-lock\-wait\fR \fIDURATION\fR`,
		`\fB\-\-model\fR \fI7940\fR`,
		`\fBphone add\fR MAC EXT \-\-model 7940|7960` + "\nAdd a phone.\n",
		"\\&.A line starting with a dot.\n",
		"Modes:\n.nf\n  plain  the default\n        tool \\-\\-plain\n.fi\n",
		".TP\n1\nsome rows bad; the others were written\n",
		`a \ebackslash, a 'quote and .dot`,
		".BR setup\\-dhcp (8),\n.BR cron (8)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

// TestSameTextAsHelp: each option's text is what --help prints for it.
func TestSameTextAsHelp(t *testing.T) {
	fs := testFlags()
	help := strings.Join(strings.Fields(cliflags.Usages(fs)), " ")
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		arg, text := Describe(f)
		left := "--" + f.Name
		if arg != "" {
			left += " " + arg
		}
		want := left + " " + strings.Join(strings.Fields(text), " ")
		if !strings.Contains(help, want) {
			t.Errorf("--help has no %q:\n%s", want, cliflags.Usages(fs))
		}
	})
}

// check fails on any warning from groff and, when installed, man.
func check(t *testing.T, page []byte) {
	t.Helper()
	warnings, err := Lint(page)
	if errors.Is(err, exec.ErrNotFound) {
		if os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") == "1" {
			t.Fatal(err)
		}
		t.Skipf("%v (apt-get install groff-base)", err)
	}
	if err != nil || warnings != "" {
		t.Errorf("%v\n%s", err, warnings)
	}
	man, err := exec.LookPath("man")
	if err != nil {
		return
	}
	f := filepath.Join(t.TempDir(), "page.8")
	if err := os.WriteFile(f, page, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "--warnings", "-l", f)
	cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Errorf("man --warnings -l: %v\n%s", err, stderr.String())
	}
	if !bytes.Contains(out, []byte("NAME")) {
		t.Errorf("man -l printed no NAME section:\n%s", out)
	}
}

func TestRendersWithoutWarnings(t *testing.T) {
	check(t, []byte(render(t, testPage())))
}
