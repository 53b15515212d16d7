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
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/google/renameio/v2"
	"golang.org/x/sys/unix"
)

const (
	// Manifest lists the files we wrote, one name per line.
	Manifest = ".setup-cisco-files"
	// tempPrefix marks our temporary files, so a later run can remove the
	// ones a killed run left behind.
	tempPrefix = ".setup-cisco-tmp-"
	// renameio names its temporary file "." + base name + random digits.
	manifestTempPrefix = "." + Manifest
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
	// SyncParallel fsyncs every temporary file, several at a time, so the
	// file system can commit them together. The default: measured fastest
	// of the three (see the benchmarks) and it flushes nothing of others.
	SyncParallel SyncMode = iota
	// SyncEach fsyncs the temporary files one after the other.
	SyncEach
	// SyncFS writes all temporary files, then calls syncfs(2) once.
	SyncFS
)

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
}

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
	var writes []Change
	for _, f := range files {
		want[f.Name] = true
		path := filepath.Join(dir, f.Name)
		cur, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			writes = append(writes, Change{Name: f.Name, Kind: Added, New: f.Data})
		case err != nil:
			return res, fmt.Errorf("reading %s: %w", path, err)
		case !bytes.Equal(cur, f.Data):
			writes = append(writes, Change{Name: f.Name, Kind: Changed, Old: cur, New: f.Data})
		default:
			res.Unchanged++
			if fi, err := os.Lstat(path); err == nil && fi.Mode().Perm() != FileMode && fi.Mode().IsRegular() {
				res.ModeFixed = append(res.ModeFixed, f.Name)
			}
		}
	}
	keep := map[string]bool{}
	for _, k := range o.Keep {
		keep[k] = true
	}
	var removes []Change
	for _, name := range old {
		if want[name] || keep[name] {
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

	// The manifest after this run: what we wrote plus what we keep.
	var final []string
	for n := range want {
		final = append(final, n)
	}
	for _, n := range old {
		if keep[n] && !want[n] {
			final = append(final, n)
		}
	}
	sort.Strings(final)
	if o.DryRun || (len(res.Changes) == 0 && equal(old, final) && len(res.ModeFixed) == 0) {
		return res, nil
	}

	// Record the intent first: the manifest names every file old or new,
	// so a run killed after the renames still knows which files are ours.
	intent := union(old, final)
	if !equal(intent, old) {
		if err := writeManifest(dir, intent); err != nil {
			return res, err
		}
	}
	temps, err := writeTemps(dir, writes, o.Sync)
	if err != nil {
		return res, err
	}
	for i, c := range writes {
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
	}
	if err := syncDir(dir); err != nil {
		return res, err
	}
	if !equal(final, intent) {
		if err := writeManifest(dir, final); err != nil {
			return res, err
		}
	}
	return res, nil
}

// writeTemps writes each change's content to a temporary file in dir and
// makes it durable; it returns their paths in order. On error it removes
// what it created.
func writeTemps(dir string, writes []Change, mode SyncMode) ([]string, error) {
	temps := make([]string, 0, len(writes))
	files := make([]*os.File, 0, len(writes))
	fail := func(err error) ([]string, error) {
		for _, f := range files {
			f.Close()
		}
		removeAll(temps)
		return nil, err
	}
	for _, c := range writes {
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
	switch mode {
	case SyncParallel:
		if err := syncParallel(files); err != nil {
			return fail(err)
		}
	case SyncFS:
		if len(files) > 0 {
			if err := unix.Syncfs(int(files[0].Fd())); err != nil {
				return fail(fmt.Errorf("syncfs %s: %w", dir, err))
			}
		}
	}
	for i, f := range files {
		if err := f.Close(); err != nil {
			files = files[i+1:]
			return fail(fmt.Errorf("closing %s: %w", f.Name(), err))
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
		if !strings.HasPrefix(name, tempPrefix) && !(strings.HasPrefix(name, manifestTempPrefix) && name != Manifest) {
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

func readManifest(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, Manifest))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Join(dir, Manifest), err)
	}
	var names []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' || strings.Contains(l, "/") || l == ".." || l == "." {
			continue
		}
		names = append(names, l)
	}
	sort.Strings(names)
	return names, nil
}

func writeManifest(dir string, names []string) error {
	var b strings.Builder
	b.WriteString("# Files setup-cisco wrote here and may replace or remove. Do not edit.\n")
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
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

func union(a, b []string) []string {
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	for _, s := range b {
		m[s] = true
	}
	out := make([]string, 0, len(m))
	for s := range m {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
