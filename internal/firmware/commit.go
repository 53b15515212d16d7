package firmware

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// put is one file the import moves into the TFTP root.
type put struct {
	name    string
	data    []byte
	tmp     string // its staged copy in the root
	existed bool   // an entry was at name before
	swapped bool   // moved in by RENAME_EXCHANGE: tmp now holds the old entry
	moved   bool
}

// planImport compares each file with what the root holds under its name
// and returns those to write, .loads files last; it fills res (Written,
// Replaced, Chmodded, Reowned) as if the import succeeds. A directory at an
// image's name fails the import before anything is written: a rename
// cannot replace it, and another user's directory is not the import's to
// remove.
func planImport(dst *safefs.Dir, files map[string][]byte, res *Imported) ([]put, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	// Owners whose files are no one else's to change: root, the importing
	// user, and the root directory's owner (who can replace any file in
	// it anyway; some set-ups chown the root to tftp or nobody).
	trusted := []int{0, os.Geteuid()}
	var st unix.Stat_t
	if err := unix.Fstat(dst.Fd(), &st); err == nil {
		trusted = append(trusted, int(st.Uid))
	}
	var puts []put
	for _, n := range names {
		data := files[n]
		fi, err := dst.Stat(n)
		if errors.Is(err, fs.ErrNotExist) {
			puts = append(puts, put{name: n, data: data})
			res.Written = append(res.Written, n)
			continue
		}
		if err != nil {
			return nil, err
		}
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory where the image goes (remove it: rm -r %s)", dst.Join(n), shellWord(dst.Join(n)))
		}
		p := put{name: n, data: data, existed: true}
		if !fi.Mode().IsRegular() {
			puts = append(puts, p)
			res.Written = append(res.Written, n)
			res.Replaced = append(res.Replaced, n)
			continue
		}
		uid := -1
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			uid = int(st.Uid)
		}
		foreign := !slices.Contains(trusted, uid)
		same, err := sameContent(dst, n, data, fi)
		if err != nil {
			return nil, err
		}
		switch {
		case same && fi.Mode().Perm() == 0o644 && !foreign:
			continue // left alone
		case !same:
			res.Written = append(res.Written, n)
		case fi.Mode().Perm() != 0o644:
			res.Chmodded = append(res.Chmodded, n)
		}
		if foreign {
			res.Reowned = append(res.Reowned, Owned{Name: n, UID: uid})
		}
		puts = append(puts, p)
	}
	// A phone fetches a load's .loads first, then its other files (IPF,
	// JH-tftplog logs): the .loads goes in last.
	slices.SortStableFunc(puts, func(a, b put) int {
		return boolInt(isLoads(a.name)) - boolInt(isLoads(b.name))
	})
	return puts, nil
}

func isLoads(name string) bool { return strings.HasSuffix(name, ".loads") }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// commitImport stages every file of puts under a temporary name in dst,
// then moves them into place in order; on any failure it undoes what it
// did, so the root is as it was (an undo that itself fails is named).
// The old entries swapped out are removed once all are in place.
func commitImport(dst *safefs.Dir, puts []put, beforeMove func(string)) error {
	if err := stageAndMove(dst, puts, beforeMove); err != nil {
		return err
	}
	// The import has taken effect; the old entries (a file, or a planted
	// link: removed as an entry) go.
	var errs []error
	for _, p := range puts {
		if p.swapped {
			if err := dst.Remove(p.tmp); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("the files are imported, but removing the replaced ones failed: %w", errors.Join(errs...))
	}
	return nil
}

func stageAndMove(dst *safefs.Dir, puts []put, beforeMove func(string)) (err error) {
	defer func() {
		if err == nil {
			return
		}
		if undo := rollback(dst, puts); undo != nil {
			err = fmt.Errorf("%w; and undoing the import failed, the root may hold part of it: %v", err, undo)
		} else {
			err = fmt.Errorf("%w; nothing was imported", err)
		}
	}()
	for i := range puts {
		p := &puts[i]
		f, tmp, err := dst.CreateTemp("."+p.name+".tmp-", 0o644)
		if err != nil {
			return err
		}
		p.tmp = tmp
		_, err = f.Write(p.data)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", dst.Join(p.name), err)
		}
	}
	fd := dst.Fd()
	for i := range puts {
		p := &puts[i]
		if beforeMove != nil {
			beforeMove(p.name)
		}
		if err := move(dst, fd, p); err != nil {
			return err
		}
	}
	return dst.Sync()
}

// move puts p's staged copy at its name. Over an existing entry it
// exchanges the two (renameat2 RENAME_EXCHANGE, Linux 3.15, ext4, xfs,
// btrfs, tmpfs), so the old entry stays under the temporary name until the
// import has succeeded and can be put back; where the file system cannot
// exchange, a plain rename replaces it. Where nothing was, it refuses to
// replace an entry another user made since the plan (RENAME_NOREPLACE).
func move(dst *safefs.Dir, fd int, p *put) error {
	if p.existed {
		err := unix.Renameat2(fd, p.tmp, fd, p.name, unix.RENAME_EXCHANGE)
		switch {
		case err == nil:
			p.swapped, p.moved = true, true
			// What came out must not be a directory made since the plan:
			// the import would leave it under its temporary name.
			if fi, serr := dst.Stat(p.tmp); serr == nil && fi.IsDir() {
				return fmt.Errorf("%s is a directory where the image goes (remove it: rm -r %s)", dst.Join(p.name), shellWord(dst.Join(p.name)))
			}
			return nil
		case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP):
		default:
			return &os.LinkError{Op: "exchange", Old: dst.Join(p.tmp), New: dst.Join(p.name), Err: err}
		}
	} else {
		err := unix.Renameat2(fd, p.tmp, fd, p.name, unix.RENAME_NOREPLACE)
		switch {
		case err == nil:
			p.moved = true
			return nil
		case errors.Is(err, unix.EEXIST):
			return fmt.Errorf("%s appeared while the import ran (another user? the TFTP root is writable by others)", dst.Join(p.name))
		case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP):
		default:
			return &os.LinkError{Op: "rename", Old: dst.Join(p.tmp), New: dst.Join(p.name), Err: err}
		}
	}
	if err := dst.Rename(p.tmp, p.name); err != nil {
		return err
	}
	p.moved = true
	return nil
}

// rollback undoes commitImport: moved files go back (an exchanged one
// swaps back with the old entry; a new one is removed), staged copies are
// removed.
func rollback(dst *safefs.Dir, puts []put) error {
	fd := dst.Fd()
	var errs []error
	for i := len(puts) - 1; i >= 0; i-- {
		p := puts[i]
		if p.tmp == "" {
			continue
		}
		switch {
		case p.swapped:
			if err := unix.Renameat2(fd, p.tmp, fd, p.name, unix.RENAME_EXCHANGE); err != nil {
				errs = append(errs, fmt.Errorf("putting back %s: %w", dst.Join(p.name), err))
				continue
			}
			if err := dst.Remove(p.tmp); err != nil {
				errs = append(errs, err)
			}
		case p.moved && p.existed:
			// Replaced by a plain rename: the old file is gone.
			errs = append(errs, fmt.Errorf("%s was replaced and cannot be put back (this file system cannot exchange files)", dst.Join(p.name)))
		case p.moved:
			if err := dst.Remove(p.name); err != nil {
				errs = append(errs, err)
			}
		default:
			if err := dst.Remove(p.tmp); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := dst.Sync(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
