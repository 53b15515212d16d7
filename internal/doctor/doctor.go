// Package doctor checks a live provisioning server the way a phone would
// meet it: the TFTP daemon and what it may read, the files setup-cisco
// writes, the firmware, the DHCP server and its option 150. Each check is a
// plain function over paths, the inventory or parsed configuration and
// returns findings that name the file or phone and the fix.
package doctor

import (
	"fmt"
	"strings"
)

// Severity of a finding.
type Severity int

// Severities, most serious first.
const (
	Problem   Severity = iota // a phone will fail, or may
	Unchecked                 // the check could not be done
	Note                      // worth knowing, nothing to fix
)

// Finding is one line of the doctor's report.
type Finding struct {
	Severity Severity
	Subject  string // file, phone or service
	Msg      string
	Fix      string // empty for notes
}

func (f Finding) String() string {
	label := [...]string{"problem", "unchecked", "note"}[f.Severity]
	s := fmt.Sprintf("%s: %s: %s", label, f.Subject, f.Msg)
	if f.Fix != "" {
		s += "; fix: " + f.Fix
	}
	return s
}

func problem(subject, fix, format string, a ...any) Finding {
	return Finding{Severity: Problem, Subject: subject, Msg: fmt.Sprintf(format, a...), Fix: fix}
}

func unchecked(subject, fix, format string, a ...any) Finding {
	return Finding{Severity: Unchecked, Subject: subject, Msg: fmt.Sprintf(format, a...), Fix: fix}
}

func note(subject, format string, a ...any) Finding {
	return Finding{Severity: Note, Subject: subject, Msg: fmt.Sprintf(format, a...)}
}

// Exit codes of a report.
const (
	ExitHealthy   = 0
	ExitProblems  = 1
	ExitUnchecked = 2
)

// ExitCode is 2 when a check could not be done (the report is incomplete,
// whatever else it found: README's "2 some checks could not run"), else 1
// when any finding is a problem, else 0.
func ExitCode(fs []Finding) int {
	code := ExitHealthy
	for _, f := range fs {
		switch f.Severity {
		case Unchecked:
			return ExitUnchecked
		case Problem:
			code = ExitProblems
		}
	}
	return code
}

// Fixes that are setup-cisco commands. The command line doctor prints puts
// the options doctor was given after "setup-cisco" (the same settings file
// and TFTP root), so that each fix works as written for those files.
const (
	FixWrite  = "setup-cisco"                        // write the TFTP files
	FixImport = "setup-cisco firmware import BUNDLE" // BUNDLE: Cisco's zip or tar, or its directory
)

// join lists names for a message.
func join(names []string) string { return strings.Join(names, ", ") }
