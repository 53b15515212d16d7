// Package syncdir makes a directory hold a given set of files, the way a
// TFTP root must be updated while phones may be reading it:
//
//   - a reader sees each file whole, old or new, never half written: every
//     new content goes to a temporary file in the same directory, is flushed
//     to disk, then renamed over the old one; the directory is synced after;
//   - a file whose content is unchanged is not touched (mtime, inode stay);
//   - only files this package wrote are ever removed: it keeps their names in
//     a manifest (.setup-cisco-files) across runs;
//   - a run killed at any point leaves every file whole; the next run
//     removes the temporary files it left and finishes the job.
//
// Files are written 0644: readable by a TFTP daemon running as another user,
// never world-writable.
package syncdir

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/google/renameio/v2"
	"golang.org/x/sys/unix"
)

const (
	// Manifest lists the files we wrote, one name per line.
	Manifest = ".setup-cisco-files"
	// tempPrefix marks our temporary files, so a later run can remove the
	// ones a killed run left behind.
	tempPrefix = ".setup-cisco-tmp-"
	// renameio names its temporary file "." + base name + random digits;
	// this covers those of all our hidden state files (.setup-cisco-*).
	manifestTempPrefix = "..setup-cisco"
	FileMode           = 0o644
)

// File is one file the directory must hold.
type File struct {
	Name string
	Data []byte
}

// Kind of change.
type Kind int

const (
	Added Kind = iota
	Changed
	Removed
)

func (k Kind) String() string {
	return [...]string{"added", "changed", "removed"}[k]
}

// Change is one file added, changed or removed (Old/New hold contents for
// diffs; nil where there is none).
type Change struct {
	Name     string
	Kind     Kind
	Old, New []byte
}

// SyncMode chooses how new contents reach the disk before the renames.
type SyncMode int

const (
	// SyncAuto, the default, uses SyncParallel for a few files and SyncFS
	// for many: one syncfs(2) replaces thousands of fsyncs (measured with
	// 4,000 files: each 3.1 s, parallel 2.3 s, syncfs 1.6 s; see
	// BenchmarkSync), while for the usual cron run that changes a file or
	// two, fsyncing them alone does not flush the rest of the file system.
	SyncAuto SyncMode = iota
	// SyncParallel fsyncs every temporary file, several at a time, so the
	// file system can commit them together.
	SyncParallel
	// SyncEach fsyncs the temporary files one after the other.
	SyncEach
	// SyncFS writes all temporary files, then calls syncfs(2) once.
	SyncFS
)

// autoSyncFS is the batch size from which SyncAuto uses syncfs.
const autoSyncFS = 64

// Options for Sync.
type Options struct {
	// Keep names files of ours that must stay exactly as they are although
	// they are not in the new set (a phone whose rows are bad this run).
	Keep []string
	// DryRun computes the changes and touches nothing.
	DryRun bool
	Sync   SyncMode
}

// Result says what was done (or would be, with DryRun).
type Result struct {
	Changes   []Change
	Unchanged int
	// Cleaned counts temporary files of a killed run that were removed.
	Cleaned int
	// ModeFixed lists unchanged files whose mode was set back to 0644.
	ModeFixed []string
	// Kept lists files we did not write (an admin's hand-made
	// SIPDefault.cnf, say) that were replaced; each original is kept as
	// NAME + KeptSuffix.
	Kept []string
}

// KeptSuffix names the copy of a file we replaced without having written it.
const KeptSuffix = ".before-setup-cisco"

// Sync makes dir hold files.
func Sync(dir string, files []File, o Options) (Result, error) {
	var res Result
	if err := checkNames(files); err != nil {
		return res, err
	}
	old, err := readManifest(dir)
	if err != nil {
		return res, err
	}
	if !o.DryRun {
		if res.Cleaned, err = cleanTemps(dir); err != nil {
			return res, err
		}
	}

	want := map[string]bool{}
	final := manifest{} // the record after this run
	var writes []Change
	for _, f := range files {
		want[f.Name] = true
		path := filepath.Join(dir, f.Name)
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			writes = append(writes, Change{Name: f.Name, Kind: Added, New: f.Data})
			continue
		}
		if err != nil {
			return res, fmt.Errorf("reading %s: %w", path, err)
		}
		sum := sha256.Sum256(f.Data)
		// The file is as we left it (same inode, size, times) and we left
		// it with this content: no need to read it.
		if rec, ok := old[f.Name]; ok && rec.sum == sum && rec.matches(fi) {
			res.Unchanged++
			final[f.Name] = rec
			if fi.Mode().Perm() != FileMode {
				res.ModeFixed = append(res.ModeFixed, f.Name)
			}
			continue
		}
		cur, err := os.ReadFile(path)
		if err != nil {
			return res, fmt.Errorf("reading %s: %w", path, err)
		}
		if !bytes.Equal(cur, f.Data) || !fi.Mode().IsRegular() {
			writes = append(writes, Change{Name: f.Name, Kind: Changed, Old: cur, New: f.Data})
			continue
		}
		res.Unchanged++
		final[f.Name] = record(fi, sum)
		if fi.Mode().Perm() != FileMode {
			res.ModeFixed = append(res.ModeFixed, f.Name)
		}
	}
	keep := map[string]bool{}
	for _, k := range o.Keep {
		keep[k] = true
	}
	var removes []Change
	for name, rec := range old {
		if want[name] {
			continue
		}
		if keep[name] {
			final[name] = rec
			continue
		}
		cur, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return res, fmt.Errorf("reading %s: %w", filepath.Join(dir, name), err)
		}
		removes = append(removes, Change{Name: name, Kind: Removed, Old: cur})
	}
	// A new slice: sorting must not reorder writes, which the renames use.
	res.Changes = append(append(make([]Change, 0, len(writes)+len(removes)), writes...), removes...)
	sort.Slice(res.Changes, func(i, j int) bool { return res.Changes[i].Name < res.Changes[j].Name })

	for _, c := range writes {
		final[c.Name] = entry{} // stat and sum recorded after the rename
	}
	if o.DryRun || (len(res.Changes) == 0 && len(res.ModeFixed) == 0 && old.equal(final)) {
		return res, nil
	}

	// Record the intent first: the manifest names every file old or new,
	// so a run killed after the renames still knows which files are ours.
	// Entries of files about to change lose their record, so a killed run
	// makes the next one read them.
	intent := manifest{}
	for n, rec := range old {
		intent[n] = rec
	}
	for n, rec := range final {
		if _, ok := intent[n]; !ok || rec == (entry{}) {
			intent[n] = rec
		}
	}
	if !intent.equal(old) {
		if err := writeManifest(dir, intent); err != nil {
			return res, err
		}
	}
	mode := o.Sync
	if mode == SyncAuto {
		mode = SyncParallel
		if len(writes) >= autoSyncFS {
			mode = SyncFS
		}
	}
	temps, err := writeTemps(dir, writes, mode)
	if err != nil {
		return res, err
	}
	for i, c := range writes {
		// Taking over a file someone else wrote: keep the original (a hard
		// link, so nothing is copied), once.
		if _, ours := old[c.Name]; c.Kind == Changed && !ours {
			keep := filepath.Join(dir, c.Name+KeptSuffix)
			if err := os.Link(filepath.Join(dir, c.Name), keep); err != nil && !errors.Is(err, fs.ErrExist) {
				removeAll(temps[i:])
				return res, fmt.Errorf("keeping the original of %s: %w", filepath.Join(dir, c.Name), err)
			}
			res.Kept = append(res.Kept, c.Name)
		}
		if err := os.Rename(temps[i], filepath.Join(dir, c.Name)); err != nil {
			removeAll(temps[i:])
			return res, fmt.Errorf("replacing %s: %w", filepath.Join(dir, c.Name), err)
		}
	}
	for _, c := range removes {
		if err := os.Remove(filepath.Join(dir, c.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("removing %s: %w", filepath.Join(dir, c.Name), err)
		}
	}
	for _, n := range res.ModeFixed {
		if err := os.Chmod(filepath.Join(dir, n), FileMode); err != nil {
			return res, fmt.Errorf("setting mode of %s: %w", filepath.Join(dir, n), err)
		}
		final[n] = entry{} // chmod changed its ctime
	}
	if err := syncDir(dir); err != nil {
		return res, err
	}
	// Stat what we wrote now: rename and chmod change the ctime.
	for _, c := range writes {
		final[c.Name] = statEntry(dir, c.Name, c.New)
	}
	for _, n := range res.ModeFixed {
		for _, f := range files {
			if f.Name == n {
				final[n] = statEntry(dir, n, f.Data)
			}
		}
	}
	if !final.equal(intent) {
		if err := writeManifest(dir, final); err != nil {
			return res, err
		}
	}
	return res, nil
}

// writeTemps writes each change's content to a temporary file in dir and
// makes it durable; it returns their paths in order. Files are handled in
// batches so that thousands of phones never hold thousands of descriptors.
// On error it removes what it created.
func writeTemps(dir string, writes []Change, mode SyncMode) ([]string, error) {
	const batch = 256
	temps := make([]string, 0, len(writes))
	for start := 0; start < len(writes); start += batch {
		files := make([]*os.File, 0, batch)
		fail := func(err error) ([]string, error) {
			for _, f := range files {
				f.Close()
			}
			removeAll(temps)
			return nil, err
		}
		for _, c := range writes[start:min(start+batch, len(writes))] {
			f, err := os.CreateTemp(dir, tempPrefix+c.Name+".")
			if err != nil {
				return fail(fmt.Errorf("creating a temporary file in %s: %w", dir, err))
			}
			temps = append(temps, f.Name())
			files = append(files, f)
			if err := f.Chmod(FileMode); err != nil {
				return fail(fmt.Errorf("%s: %w", f.Name(), err))
			}
			if _, err := f.Write(c.New); err != nil {
				return fail(fmt.Errorf("writing %s: %w", f.Name(), err))
			}
			if mode == SyncEach {
				if err := f.Sync(); err != nil {
					return fail(fmt.Errorf("syncing %s: %w", f.Name(), err))
				}
			}
		}
		if mode == SyncParallel {
			if err := syncParallel(files); err != nil {
				return fail(err)
			}
		}
		for len(files) > 0 {
			f := files[0]
			files = files[1:]
			if err := f.Close(); err != nil {
				return fail(fmt.Errorf("closing %s: %w", f.Name(), err))
			}
		}
	}
	if mode == SyncFS && len(temps) > 0 {
		d, err := os.Open(dir)
		if err != nil {
			removeAll(temps)
			return nil, fmt.Errorf("syncfs %s: %w", dir, err)
		}
		err = unix.Syncfs(int(d.Fd()))
		d.Close()
		if err != nil {
			removeAll(temps)
			return nil, fmt.Errorf("syncfs %s: %w", dir, err)
		}
	}
	return temps, nil
}

func syncParallel(files []*os.File) error {
	const workers = 16
	ch := make(chan *os.File)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers && i < len(files); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range ch {
				if err := unix.Fdatasync(int(f.Fd())); err != nil {
					select {
					case errs <- fmt.Errorf("syncing %s: %w", f.Name(), err):
					default:
					}
				}
			}
		}()
	}
	for _, f := range files {
		ch <- f
	}
	close(ch)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// cleanTemps removes temporary files a killed run left in dir.
func cleanTemps(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, tempPrefix) && !strings.HasPrefix(name, manifestTempPrefix) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("removing leftover %s: %w", filepath.Join(dir, name), err)
		}
		n++
	}
	return n, nil
}

// checkNames refuses names that are not plain file names in dir, or that
// collide with our own state files.
func checkNames(files []File) error {
	seen := map[string]bool{}
	for _, f := range files {
		switch {
		case f.Name == "" || f.Name == "." || f.Name == ".." || strings.ContainsAny(f.Name, "/\x00"):
			return fmt.Errorf("invalid file name %q", f.Name)
		case strings.HasPrefix(f.Name, ".setup-cisco") || strings.HasPrefix(f.Name, manifestTempPrefix):
			return fmt.Errorf("file name %q is reserved for setup-cisco's own state", f.Name)
		case seen[f.Name]:
			return fmt.Errorf("file %q would be written twice", f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

// Intact says whether every file the manifest lists is exactly as this
// package left it (same inode, size, times, mode 0644), without reading any;
// n is how many there are. A manifest entry without a record (a run was
// interrupted) is not intact.
func Intact(dir string) (n int, ok bool) {
	m, err := readManifest(dir)
	if err != nil || len(m) == 0 {
		return 0, false
	}
	for name, e := range m {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil || !e.matches(fi) || fi.Mode().Perm() != FileMode {
			return 0, false
		}
	}
	return len(m), true
}

// entry is what the manifest records of a file we wrote: enough to know,
// without reading it, that it still holds what we wrote. A zero entry
// means "ours, but read it to compare".
type entry struct {
	size, mtime, ctime int64
	ino                uint64
	sum                [sha256.Size]byte
}

func record(fi fs.FileInfo, sum [sha256.Size]byte) entry {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return entry{}
	}
	return entry{size: fi.Size(), mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: st.Ino, sum: sum}
}

func statEntry(dir, name string, data []byte) entry {
	fi, err := os.Lstat(filepath.Join(dir, name))
	if err != nil {
		return entry{}
	}
	return record(fi, sha256.Sum256(data))
}

// matches says whether fi is the very file recorded: an edit, a copy over
// it or a touch changes the inode, size or change time (which a user
// cannot set back).
func (e entry) matches(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && e != (entry{}) && fi.Mode().IsRegular() && e.size == fi.Size() &&
		e.mtime == st.Mtim.Nano() && e.ctime == st.Ctim.Nano() && e.ino == st.Ino
}

// manifest maps the names of the files we wrote to their records.
type manifest map[string]entry

func (m manifest) equal(o manifest) bool {
	if len(m) != len(o) {
		return false
	}
	for k, v := range m {
		if w, ok := o[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// The manifest is text: "name" or "name size mtime ctime inode sha256" per
// line; a name alone (an older manifest, or a file about to be replaced)
// means the file must be read to compare.
func readManifest(dir string) (manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, Manifest))
	if errors.Is(err, fs.ErrNotExist) {
		return manifest{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Join(dir, Manifest), err)
	}
	m := manifest{}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") || strings.Contains(f[0], "/") || f[0] == ".." || f[0] == "." {
			continue
		}
		m[f[0]] = parseEntry(f[1:])
	}
	return m, nil
}

// parseEntry reads "size mtime ctime inode sha256"; anything else is the
// zero entry (read the file to compare).
func parseEntry(f []string) entry {
	if len(f) != 5 || len(f[4]) != 2*sha256.Size {
		return entry{}
	}
	var e entry
	var errs [5]error
	e.size, errs[0] = strconv.ParseInt(f[0], 10, 64)
	e.mtime, errs[1] = strconv.ParseInt(f[1], 10, 64)
	e.ctime, errs[2] = strconv.ParseInt(f[2], 10, 64)
	e.ino, errs[3] = strconv.ParseUint(f[3], 10, 64)
	var n int
	n, errs[4] = hex.Decode(e.sum[:], []byte(f[4]))
	for _, err := range errs {
		if err != nil {
			return entry{}
		}
	}
	if n != sha256.Size {
		return entry{}
	}
	return e
}

func writeManifest(dir string, m manifest) error {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# Files setup-cisco wrote here and may replace or remove. Do not edit.\n")
	for _, n := range names {
		e := m[n]
		if e == (entry{}) {
			fmt.Fprintf(&b, "%s\n", n)
			continue
		}
		fmt.Fprintf(&b, "%s %d %d %d %d %x\n", n, e.size, e.mtime, e.ctime, e.ino, e.sum)
	}
	// Private: the list names every phone's MAC; the TFTP daemon need not
	// serve it.
	if err := renameio.WriteFile(filepath.Join(dir, Manifest), []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(dir, Manifest), err)
	}
	return syncDir(dir)
}

func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}
