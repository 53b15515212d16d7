package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/ringlist"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// ringEntries decides RINGLIST.DAT (internal/ringlist): the entries of the
// file in the root (an admin's, or the last run's) whose files exist, then
// the .raw files not listed yet. The file is only ours to write when a
// .raw file is there or it already lists one: otherwise an existing
// RINGLIST.DAT is left exactly as it is (keep). notes name the entries
// left out; warns the .raw files left out because no phone plays them
// (ringlist.Playable: Cisco's size and name rules) or their name cannot
// stand in a RINGLIST.DAT line (badRingName), which the admin must hear:
// the ring is missing from every phone's Ring Type menu.
//
// The file is read through dir, never through a symbolic link (one planted
// in a world-writable root counts as no file).
func ringEntries(dir *syncdir.Dir) (rings []phonecfg.Ring, notes, warns []string, keep bool, err error) {
	root := dir.Path()
	raw, bad := ringFiles(dir.Files())
	for _, n := range bad {
		// Said like a ring no phone plays: the admin's file is missing
		// from every phone's menu (its name is shown escaped).
		warns = append(warns, fmt.Sprintf("ring tone %s left out of RINGLIST.DAT: a file name there cannot hold white space or control characters (rename it)", syncdir.Shown(filepath.Join(root, n))))
	}
	var existing []ringlist.Entry
	data, why, err := dir.ReadFile("RINGLIST.DAT")
	if err == nil && why != "" {
		data, err = nil, fs.ErrNotExist
		notes = append(notes, fmt.Sprintf("%s is not setup-cisco's (%s): not read", filepath.Join(root, "RINGLIST.DAT"), why))
	}
	switch {
	case err == nil:
		if existing, err = ringlist.Parse(data); err != nil {
			if len(raw) == 0 {
				// No .raw file in sight: not ours to write, so not ours
				// to judge either; left exactly as it is.
				return nil, append(notes, fmt.Sprintf("%s: %v: left as it is (no .raw ring tone in the root)", root, err)), warns, true, nil
			}
			return nil, nil, nil, false, fmt.Errorf("%s: %w (correct or remove it)", root, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, nil, nil, false, fmt.Errorf("reading %s: %w", filepath.Join(root, "RINGLIST.DAT"), err)
	}
	ours := len(raw) > 0
	for _, e := range existing {
		ours = ours || strings.HasSuffix(strings.ToLower(e.File), ".raw")
	}
	if !ours {
		return nil, notes, warns, data != nil, nil
	}
	label := func(f string) string { return cnftext.Text(strings.TrimSuffix(f, ".raw"), 25) }
	file := func(f string) bool { t, ok := dir.Type(f); return ok && t.IsRegular() }
	// A .raw file no phone plays is offered by neither the new entries
	// nor the file's own: said once, by name and rule.
	unplayable := map[string]bool{}
	playable := func(f string) bool {
		if !strings.HasSuffix(strings.ToLower(f), ".raw") || !file(f) {
			return true // not a ring we judge, or missing (Merge says so)
		}
		if bad, seen := unplayable[f]; seen {
			return !bad
		}
		var why string
		if st, err := os.Lstat(filepath.Join(root, f)); err == nil && st.Mode().IsRegular() {
			why = ringlist.Playable(f, st.Size())
		}
		unplayable[f] = why != ""
		if why != "" {
			warns = append(warns, fmt.Sprintf("ring tone %s left out of RINGLIST.DAT: no phone plays it: %s", syncdir.Shown(filepath.Join(root, f)), why))
		}
		return why == ""
	}
	raw = slices.DeleteFunc(slices.Clone(raw), func(f string) bool { return !playable(f) })
	existing = slices.DeleteFunc(existing, func(e ringlist.Entry) bool { return !playable(e.File) })
	entries, dropped := ringlist.Merge(existing, file, raw, label)
	for _, d := range dropped {
		notes = append(notes, fmt.Sprintf("RINGLIST.DAT: entry %q (%s) left out: %s is not in %s", d.Label, d.File, d.File, root))
	}
	kept := 0
	for _, e := range entries {
		if !strings.HasSuffix(strings.ToLower(e.File), ".raw") {
			kept++
		}
	}
	if kept > 0 {
		notes = append(notes, fmt.Sprintf("RINGLIST.DAT: kept %d entr(ies) for ring files that are not .raw, as RINGLIST.DAT listed them", kept))
	}
	rings = make([]phonecfg.Ring, len(entries))
	for i, e := range entries {
		rings[i] = phonecfg.Ring{Label: e.Label, File: e.File}
	}
	return rings, notes, warns, false, nil
}
