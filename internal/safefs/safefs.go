// Package safefs does file operations in a directory that other users may
// write (a TFTP root after the how-to's chmod -R 777, the hook's spool),
// as root, without being steered outside it.
//
// Every operation is relative to an open descriptor of the directory and
// never follows a symbolic link in the file name (openat(2) with
// O_NOFOLLOW, unlinkat, renameat, linkat without AT_SYMLINK_FOLLOW): a link
// planted where a file goes is an entry like any other, read as "not a
// regular file", replaced or removed as itself, never its target. Modes are
// set on an open descriptor (fchmod), so nothing swapped in between a check
// and the change is touched. Names must be plain names in the directory:
// no "/", no "." or "..". Reads open with O_NONBLOCK, so a FIFO planted
// there cannot hang a run, and are bounded in size.
//
// The directory's own path is opened as given: its components are the
// admin's choice (a /tftpboot symlink to /srv/tftp is fine), and only its
// entries are in reach of other users.
package safefs

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrNotRegular: the entry is a symlink, a FIFO, a device, a directory or a
// socket where a regular file was expected. Nothing was read through it.
var ErrNotRegular = errors.New("not a regular file")

// ErrLinked: the regular file has other hard links, so changing its mode
// would change a file elsewhere too.
var ErrLinked = errors.New("has other hard links")

// ErrTooLarge: a read stopped at its limit.
var ErrTooLarge = errors.New("larger than the limit")

// Dir is an open directory.
type Dir struct {
	f    *os.File
	path string
}

// Open opens the directory path.
func Open(path string) (*Dir, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return &Dir{f: os.NewFile(uintptr(fd), path), path: path}, nil
}

// OpenDir opens the subdirectory name of d, refusing a symlink.
func (d *Dir) OpenDir(name string) (*Dir, error) {
	if err := checkName(name); err != nil {
		return nil, d.err("open", name, err)
	}
	fd, err := unix.Openat(d.fd(), name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, d.err("open", name, notRegular(err))
	}
	p := filepath.Join(d.path, name)
	return &Dir{f: os.NewFile(uintptr(fd), p), path: p}, nil
}

// Close closes the descriptor.
func (d *Dir) Close() error { return d.f.Close() }

// Join is the path of name in d, for messages.
func (d *Dir) Join(name string) string { return filepath.Join(d.path, name) }

func (d *Dir) fd() int { return int(d.f.Fd()) }

// Fd is the directory's descriptor, for a caller that batches its own
// *at(2) calls relative to it (syncdir stages thousands of files); it stays
// valid until Close.
func (d *Dir) Fd() int { return d.fd() }

func (d *Dir) err(op, name string, err error) error {
	return &fs.PathError{Op: op, Path: d.Join(name), Err: err}
}

func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return fs.ErrInvalid
	}
	return nil
}

// notRegular turns the ELOOP of O_NOFOLLOW on a symlink into ErrNotRegular.
func notRegular(err error) error {
	if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
		return fmt.Errorf("%w: a symlink", ErrNotRegular)
	}
	return err
}

// Stat returns the entry's own information (a symlink is described, not
// followed); fs.ErrNotExist when there is none.
func (d *Dir) Stat(name string) (fs.FileInfo, error) {
	if err := checkName(name); err != nil {
		return nil, d.err("lstat", name, err)
	}
	// O_PATH|O_NOFOLLOW gives a descriptor of the entry itself, link or
	// not, without opening it; fstat then describes that entry.
	fd, err := unix.Openat(d.fd(), name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, d.err("lstat", name, err)
	}
	f := os.NewFile(uintptr(fd), d.Join(name))
	defer f.Close()
	return f.Stat()
}

// OpenFile opens the regular file name for reading without following a
// symlink and without blocking on a FIFO. A symlink or any other
// non-regular entry is ErrNotRegular.
func (d *Dir) OpenFile(name string) (*os.File, error) {
	if err := checkName(name); err != nil {
		return nil, d.err("open", name, err)
	}
	fd, err := unix.Openat(d.fd(), name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, d.err("open", name, notRegular(err))
	}
	f := os.NewFile(uintptr(fd), d.Join(name))
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, d.err("open", name, fmt.Errorf("%w: %s", ErrNotRegular, Kind(fi.Mode())))
	}
	return f, nil
}

// ReadFile reads the regular file name, at most max bytes (ErrTooLarge
// beyond). See OpenFile.
func (d *Dir) ReadFile(name string, max int64) ([]byte, error) {
	f, err := d.OpenFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, d.err("read", name, err)
	}
	if int64(len(data)) > max {
		return nil, d.err("read", name, fmt.Errorf("%w of %d bytes", ErrTooLarge, max))
	}
	return data, nil
}

// ReadDir lists the directory's entries.
func (d *Dir) ReadDir() ([]fs.DirEntry, error) {
	fd, err := unix.Openat(d.fd(), ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: d.path, Err: err}
	}
	f := os.NewFile(uintptr(fd), d.path)
	defer f.Close()
	return f.ReadDir(-1)
}

// Remove removes the entry name (a symlink itself, never its target);
// a missing entry is not an error.
func (d *Dir) Remove(name string) error {
	if err := checkName(name); err != nil {
		return d.err("remove", name, err)
	}
	if err := unix.Unlinkat(d.fd(), name, 0); err != nil && !errors.Is(err, unix.ENOENT) {
		return d.err("remove", name, err)
	}
	return nil
}

// Rename renames the entry from to to within d, replacing what to was
// (a symlink there is replaced, its target untouched).
func (d *Dir) Rename(from, to string) error {
	return d.fromTo("rename", from, to, func(fd int) error { return unix.Renameat(fd, from, fd, to) })
}

// fromTo checks both entry names, then makes the *at(2) call (given d's
// descriptor) that op names, reporting its failure as an *os.LinkError.
func (d *Dir) fromTo(op, from, to string, call func(fd int) error) error {
	for _, name := range []string{from, to} {
		if err := checkName(name); err != nil {
			return d.err(op, name, err)
		}
	}
	if err := call(d.fd()); err != nil {
		return &os.LinkError{Op: op, Old: d.Join(from), New: d.Join(to), Err: err}
	}
	return nil
}

// Chmod sets the mode of the regular file name through a descriptor of it.
// A symlink or other entry is ErrNotRegular; a file with other hard links
// is ErrLinked (its other names may be anywhere on the file system).
func (d *Dir) Chmod(name string, perm fs.FileMode) error {
	f, err := d.OpenFile(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return d.err("chmod", name, err)
	}
	if st.Nlink != 1 {
		return d.err("chmod", name, ErrLinked)
	}
	if err := f.Chmod(perm); err != nil {
		return d.err("chmod", name, err)
	}
	return nil
}

// Sync flushes the directory's entries (after renames) to disk.
func (d *Dir) Sync() error {
	if err := d.f.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", d.path, err)
	}
	return nil
}

// CreateTemp creates a new file named prefix + random digits in d
// (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing entry or a link's target),
// with mode perm set on the descriptor whatever the umask. It returns the
// file and its name in d.
func (d *Dir) CreateTemp(prefix string, perm fs.FileMode) (*os.File, string, error) {
	for range 100 {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, "", err
		}
		name := prefix + hex.EncodeToString(b[:])
		if err := checkName(name); err != nil {
			return nil, "", d.err("create", name, err)
		}
		fd, err := unix.Openat(d.fd(), name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if errors.Is(err, unix.EEXIST) {
			continue
		}
		if err != nil {
			return nil, "", d.err("create", name, err)
		}
		f := os.NewFile(uintptr(fd), d.Join(name))
		if err := f.Chmod(perm); err != nil {
			f.Close()
			unix.Unlinkat(d.fd(), name, 0)
			return nil, "", d.err("chmod", name, err)
		}
		return f, name, nil
	}
	return nil, "", d.err("create", prefix+"*", fs.ErrExist)
}

// WriteOptions tune WriteFile.
type WriteOptions struct {
	// Owner, when set, is given to the new file (fchown) before it
	// replaces the old one.
	Owner *[2]int
	// NoSync skips the fsyncs (tests, scratch files).
	NoSync bool
	// NoDirSync skips syncing the directory after the rename: the caller
	// writes several files and calls Sync once.
	NoDirSync bool
}

// WriteFile replaces name with data atomically: a new file in d with mode
// perm, flushed, then renamed over name. Whatever name was (a planted
// symlink, a FIFO) is replaced as an entry; its target is never opened.
// The directory is synced after the rename.
func (d *Dir) WriteFile(name string, data []byte, perm fs.FileMode, o WriteOptions) (err error) {
	return d.writeFile(name, perm, o, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// WriteFileFrom is WriteFile with the content written by fill, through a
// buffer, so a large file (the manifest of 100,000 phones) is never held
// whole in memory. An error from fill leaves name as it was.
func (d *Dir) WriteFileFrom(name string, perm fs.FileMode, o WriteOptions, fill func(io.Writer) error) error {
	return d.writeFile(name, perm, o, func(f *os.File) error {
		bw := bufio.NewWriterSize(f, 64<<10)
		if err := fill(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
}

func (d *Dir) writeFile(name string, perm fs.FileMode, o WriteOptions, fill func(*os.File) error) (err error) {
	if err := checkName(name); err != nil {
		return d.err("write", name, err)
	}
	f, tmp, err := d.CreateTemp("."+name+".tmp-", perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			unix.Unlinkat(d.fd(), tmp, 0)
		}
	}()
	if o.Owner != nil {
		if err = f.Chown(o.Owner[0], o.Owner[1]); err != nil {
			return err
		}
		// chown clears setuid/setgid bits; set the mode again.
		if err = f.Chmod(perm); err != nil {
			return err
		}
	}
	if err = fill(f); err != nil {
		return err
	}
	if !o.NoSync {
		if err = f.Sync(); err != nil {
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = d.Rename(tmp, name); err != nil {
		return err
	}
	if !o.NoSync && !o.NoDirSync {
		return d.Sync()
	}
	return nil
}

// Kind names the type of an entry for messages: "a symlink", "a directory".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a file"
}
