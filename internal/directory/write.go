package directory

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/renameio/v2"
	"golang.org/x/sys/unix"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// Change is one file a write adds, changes or removes.
type Change struct {
	Kind string // "added", "changed" or "removed"
	Name string // file name inside the directory
}

// ours tells the files this package writes: directory.xml and
// directory-*.xml; nothing else in the web root is touched.
func ours(name string) bool {
	return name == Index || strings.HasPrefix(name, "directory-") && strings.HasSuffix(name, ".xml")
}

// Write makes dir hold exactly files among its directory*.xml files:
// changed files are replaced atomically (a new file renamed over the old,
// mode 0644 for the web server), unchanged ones are left alone, pages no
// longer needed are removed. Every new file is written in full before the
// first rename, pages before the index that links to them; a failure
// before that leaves every old file as it was. dryRun only reports.
func Write(dir string, files []File, dryRun bool) ([]Change, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("directory_web_root %s does not exist: create it inside the web server's document root, or unset directory_web_root", dir)
		}
		return nil, fmt.Errorf("directory_web_root: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("directory_web_root %s is not a directory", dir)
	}
	// One handle on the web root for every read and removal below: names
	// are resolved in it without following a symlink or blocking on a FIFO
	// (the web root may be writable by the web server's user).
	root, err := safefs.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("directory_web_root: %w", err)
	}
	defer root.Close()
	entries, err := root.ReadDir()
	if err != nil {
		return nil, fmt.Errorf("directory_web_root: %w", err)
	}
	stale := map[string]bool{}
	for _, e := range entries {
		if ours(e.Name()) {
			stale[e.Name()] = true
		}
	}
	// Pages first, the index last: a phone never follows a link to a page
	// not yet written.
	sort.SliceStable(files, func(i, j int) bool { return files[j].Name == Index && files[i].Name != Index })
	var changes []Change
	var pending []*renameio.PendingFile
	cleanup := func() {
		for _, p := range pending {
			p.Cleanup()
		}
	}
	// Whatever stands where a page goes and cannot be replaced by a file
	// fails the write before anything is changed.
	for _, f := range files {
		if st, err := root.Stat(f.Name); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s is a directory: remove it, the company directory writes a file there", filepath.Join(dir, f.Name))
		}
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		kind := "added"
		if stale[f.Name] {
			delete(stale, f.Name)
			kind = "changed"
			if st, err := root.Stat(f.Name); err == nil && st.Mode().IsRegular() && st.Mode().Perm() == 0o644 {
				// Never through a link or FIFO swapped in since (safefs);
				// more bytes than the new page is "changed".
				if old, err := root.ReadFile(f.Name, int64(len(f.Data))); err == nil && bytes.Equal(old, f.Data) {
					continue
				}
			}
		}
		changes = append(changes, Change{Kind: kind, Name: f.Name})
		if dryRun {
			continue
		}
		p, err := renameio.NewPendingFile(path, renameio.WithTempDir(dir), renameio.WithStaticPermissions(0o644))
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("writing %s: %w", path, err)
		}
		pending = append(pending, p)
		if _, err := p.Write(f.Data); err != nil {
			cleanup()
			return nil, fmt.Errorf("writing %s: %w", path, err)
		}
	}
	for i, p := range pending {
		if err := p.CloseAtomicallyReplace(); err != nil {
			pending = pending[i:]
			cleanup()
			return changes[:i], fmt.Errorf("writing %s: %w", filepath.Join(dir, changes[i].Name), err)
		}
	}
	var gone []string
	for n := range stale {
		gone = append(gone, n)
	}
	sort.Strings(gone)
	for _, n := range gone {
		if dryRun {
			changes = append(changes, Change{Kind: "removed", Name: n})
			continue
		}
		err := root.Remove(n)
		if errors.Is(err, unix.EISDIR) {
			// As os.Remove did: an empty directory of that name goes too.
			err = unix.Unlinkat(root.Fd(), n, unix.AT_REMOVEDIR)
		}
		if err != nil {
			// changes: what was done before this failure.
			return changes, fmt.Errorf("removing %s: %w", filepath.Join(dir, n), err)
		}
		changes = append(changes, Change{Kind: "removed", Name: n})
	}
	return changes, nil
}
