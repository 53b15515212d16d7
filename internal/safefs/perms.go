package safefs

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"syscall"
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

// Closed is a directory only root can enter (see Unsearchable).
type Closed struct {
	Path     string
	Mode     fs.FileMode // permission bits
	UID, GID uint32
}

// Unsearchable returns the directories from / down to dir, as the path
// resolves (symbolic links followed), that only root can search: no search
// bit for others, and none for an owner or group that is not root (a
// daemon's own user, such as tftp, may own the directory or be in its
// group). TFTP daemons serve as an unprivileged user (atftpd --user,
// default nobody; tftpd-hpa -u tftp; in.tftpd under xinetd as nobody;
// dnsmasq as its own user), so they can serve nothing below such a
// directory: path_resolution(7) needs search permission on every
// component. A directory made by root under umask 027 or 077 (mode 0750,
// 0700) is one.
func Unsearchable(dir string) ([]Closed, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return nil, err
	}
	var out []Closed
	for d := real; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return nil, err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		perm := fi.Mode().Perm()
		if ok && perm&0o001 == 0 && (st.Uid == 0 || perm&0o100 == 0) && (st.Gid == 0 || perm&0o010 == 0) {
			out = append(out, Closed{Path: d, Mode: perm, UID: st.Uid, GID: st.Gid})
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(out)
	return out, nil
}
