// Package exitcode is the one table of exit statuses shared by setup-cisco
// and setup-dhcp, so that cron jobs, hooks and package scripts can rely on
// the same meaning from both tools.
//
// The rule behind the table: 2 promises that nothing was changed, so a
// caller may retry or alert without looking; anything that may have left a
// file changed, but not everything the run was asked to do, is 1 and the
// tool's message says what was written.
package exitcode

const (
	// OK: done; every file is as the inputs say (or already was).
	OK = 0
	// Incomplete: the run took effect only in part. Some input rows were
	// bad (their phones' files were left as they were, the others were
	// written), a step failed after files had been written (the message
	// names them), or the result was refused by the server's own parser.
	Incomplete = 1
	// NothingChanged: nothing could be done and nothing was changed: a bad
	// flag or config file, an unreachable database, a busy lock, an
	// unusable TFTP root, or a failure before the first file changed.
	NothingChanged = 2
)
