package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"github.com/setup-cisco/setup-cisco/internal/resync"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// The sync generation, in one place (the scheme and what a phone does with
// it: package resync's documentation; Cisco's check-sync: fact sheet §5).
//
// The TFTP root holds one generation G, the SYNC value of syncinfo.xml. A
// phone whose files do not change keeps the sync value its SIP<MAC>.cnf
// holds, so it renders byte for byte the same and is neither rewritten nor
// rebooted. Every phone whose files change (its own inputs moved, its file
// was edited or is new, or a file every phone reads changed) gets G' =
// resync.NextGeneration(G), once, and syncinfo.xml then says G'. The value
// a phone's file holds is recorded in the manifest beside the file, so a
// run reads no file to learn it unless the file changed behind its back.
type generation struct {
	current string // G: syncinfo.xml's value now (DefaultGeneration without one)
	next    string // G'
	moved   bool   // some phone got G'
	// note says why syncinfo.xml was not read, when it was there.
	note string
}

// readGeneration reads G from syncinfo.xml through dir (never through a
// symbolic link: a planted one counts as no file, and is replaced).
func readGeneration(dir *syncdir.Dir) (generation, error) {
	g := generation{current: resync.DefaultGeneration}
	data, why, err := dir.ReadFile(resync.SyncInfoFile)
	path := filepath.Join(dir.Path(), resync.SyncInfoFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return g, err
	case why != "":
		g.note = fmt.Sprintf("%s is not setup-cisco's (%s): not read, replaced", path, why)
	default:
		// Ours to write whatever it holds: one that cannot be read (an
		// edit, a truncated copy) tells nothing, and is replaced; G then
		// comes from the sync values the manifest records.
		if v, err := resync.ParseSyncInfo(data); err != nil {
			g.note = fmt.Sprintf("%s: %v: replaced", path, err)
		} else {
			g.current = v
		}
	}
	// The manifest records the sync value each phone's file holds: G is
	// never below the highest. syncinfo.xml removed (by anyone, in a root
	// others can write) would otherwise restart G at 1, and a changed
	// phone would get a value it already runs, and not reboot.
	top, ok := counter(g.current)
	if !ok {
		// Not a count this or any setup-cisco wrote, perhaps planted:
		// G' from it could be a value phones already run.
		top, g.current = 0, resync.DefaultGeneration
	}
	for _, m := range dir.Recorded() {
		if n, ok := counter(m.Sync); ok && n > top {
			top = n
			g.current = m.Sync
		}
	}
	g.next = resync.NextGeneration(g.current)
	return g, nil
}

// maxGeneration bounds the sync values taken as counts: one a second
// would take 285 million years to reach it. Above it a value was planted
// or edited in, and counting on from it could wrap to one phones run.
const maxGeneration = 1 << 53

// counter reads a sync value as a count (decimal, 1 to maxGeneration).
func counter(v string) (uint64, bool) {
	n, err := strconv.ParseUint(v, 10, 64)
	return n, err == nil && n >= 1 && n <= maxGeneration
}

// change gives a changed phone its sync value.
func (g *generation) change() string {
	g.moved = true
	return g.next
}

// final is syncinfo.xml's value after the run.
func (g *generation) final() string {
	if g.moved {
		return g.next
	}
	return g.current
}

// oldSync returns the sync value the phone's SIP<MAC>.cnf in dir holds:
// from the manifest when the file is the one recorded, else read from the
// file (G when it has none); ok is false when there is no plain file of
// that name (a new phone, or something planted: either way it changes).
func (g *generation) oldSync(dir *syncdir.Dir, cnf string) (sync string, ok bool, err error) {
	if rec, known := dir.Known(cnf); known && rec.Intact && rec.Sync != "" {
		return rec.Sync, true, nil
	}
	data, why, err := dir.ReadFile(cnf)
	if errors.Is(err, fs.ErrNotExist) || err == nil && why != "" {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if v, found := resync.CnfSync(data); found {
		return v, true, nil
	}
	return g.current, true, nil
}
