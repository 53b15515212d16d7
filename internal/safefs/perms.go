package safefs

import (
	"io/fs"
	"sort"
)

// Exposure is what in a directory users other than its owner and group can
// write: the directory itself (they can then plant symlinks and replace any
// file in it) and its regular files and subdirectories with the
// world-write bit (TFTP daemons accept uploads into such files). Symlinks
// are not counted: their own mode is always 0777 and means nothing.
type Exposure struct {
	Dir   string
	Mode  fs.FileMode // the directory's permission bits, with sticky
	Open  bool        // the directory is world-writable
	Dirs  []string    // world-writable subdirectories
	Files []string    // world-writable regular files
}

// Any says whether anything is writable by others.
func (e Exposure) Any() bool { return e.Open || len(e.Dirs) > 0 || len(e.Files) > 0 }

// Exposed reads the modes in dir (one level, without following links).
func Exposed(dir string) (Exposure, error) {
	e := Exposure{Dir: dir}
	d, err := Open(dir)
	if err != nil {
		return e, err
	}
	defer d.Close()
	fi, err := d.f.Stat()
	if err != nil {
		return e, err
	}
	e.Mode = fi.Mode() & (fs.ModePerm | fs.ModeSticky)
	e.Open = fi.Mode().Perm()&0o002 != 0
	des, err := d.ReadDir()
	if err != nil {
		return e, err
	}
	for _, de := range des {
		if de.Type()&fs.ModeSymlink != 0 || !(de.Type().IsRegular() || de.IsDir()) {
			continue
		}
		info, err := de.Info() // lstat
		if err != nil || info.Mode().Perm()&0o002 == 0 {
			continue
		}
		if info.IsDir() {
			e.Dirs = append(e.Dirs, de.Name())
		} else {
			e.Files = append(e.Files, de.Name())
		}
	}
	sort.Strings(e.Dirs)
	sort.Strings(e.Files)
	return e, nil
}
