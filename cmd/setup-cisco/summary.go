package main

import (
	"fmt"

	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// dryRunSummary is the last line of a dry run, printed with or without -v:
// what a real run would change, or that there is nothing to do.
func dryRunSummary(rep provision.Report) string {
	n := map[syncdir.Kind]int{}
	for _, c := range rep.Result.Changes {
		n[c.Kind]++
	}
	phones := fmt.Sprintf("%d phone(s) from %s", rep.Phones, rep.DBSource)
	if len(rep.Result.Changes) == 0 && len(rep.Directory) == 0 {
		return fmt.Sprintf("dry run: nothing to do: the %d file(s) in %s are up to date (%s)", rep.Result.Unchanged, rep.Root, phones)
	}
	s := fmt.Sprintf("dry run: would add %d, change %d and remove %d file(s) in %s, %d unchanged (%s)",
		n[syncdir.Added], n[syncdir.Changed], n[syncdir.Removed], rep.Root, rep.Result.Unchanged, phones)
	if len(rep.Directory) > 0 {
		s += fmt.Sprintf("; %d company directory file(s)", len(rep.Directory))
	}
	return s + "; nothing was written"
}
