package dhcpconf

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/google/renameio/v2"

	"github.com/setup-cisco/setup-cisco/internal/isc"
	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// maxConf bounds a configuration file read into memory.
const maxConf = 64 << 20

// ReadExisting reads the configuration file at path as Install will
// replace it: a symlink is followed only when it is trustworthy (see
// resolve), and the file itself is opened without following a link
// swapped in since, so a link planted in a directory others can write never
// makes --diff show another file. A missing file is fs.ErrNotExist.
func ReadExisting(path string) ([]byte, error) {
	real, err := resolve(path)
	if err != nil {
		return nil, err
	}
	d, err := safefs.Open(filepath.Dir(real))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadFile(filepath.Base(real), maxConf)
}

// resolve follows a symlink at path, as an admin's /etc/dhcp/dhcpd.conf
// link to a managed copy expects, but only when no other user could have
// put it there: the link belongs to us or to its directory's owner, and
// that directory is not writable by group or others (or is sticky and
// the link is ours). Any other link is refused, never followed.
func resolve(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil // missing or not a link: nothing to follow
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return "", err
	}
	lst, _ := fi.Sys().(*syscall.Stat_t)
	dst, _ := di.Sys().(*syscall.Stat_t)
	if lst == nil || dst == nil {
		return "", fmt.Errorf("%s: cannot tell who owns the symlink", path)
	}
	uid := uint32(os.Geteuid())
	ownerOK := lst.Uid == uid || lst.Uid == dst.Uid
	dirOK := di.Mode().Perm()&0o022 == 0 || (di.Mode()&fs.ModeSticky != 0 && lst.Uid == uid)
	if !ownerOK || !dirOK {
		return "", fmt.Errorf("%s is a symlink another user could have planted (its directory is writable by others): not followed; remove it or write elsewhere", path)
	}
	real, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		// A dangling link: the file it names is created.
		t, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(path), t)
		}
		return resolve(t)
	}
	return real, err
}

// writableByOthers says whether group or others may write dir.
func writableByOthers(dir string) bool {
	fi, err := os.Stat(dir)
	return err != nil || fi.Mode().Perm()&0o022 != 0
}

// Install replaces path with content atomically. The candidate is written
// beside path and handed to check (nil: no check) under its temporary name;
// if check fails, nothing is replaced. The previous file, if any, is kept
// as path.bak. A symlinked path replaces the file the link points to, when
// the link is trustworthy (see ReadExisting); a link others could have
// planted is refused.
//
// In a directory others can write, the candidate checked is a private copy
// (a 0700 directory of root's): dhcpd -t quotes the lines it rejects, and a
// candidate swapped for a link to /etc/shadow must not be quoted. Every
// file in that directory is opened without following links (safefs).
func Install(path string, content []byte, check func(candidate string) error) error {
	return InstallKeeping(path, content, check, filepath.Base(path)+".bak")
}

// BackupName is the name the previous version of a file is kept under, in
// the same directory: FILE.bak, except for a dnsmasq drop-in, whose
// directory dnsmasq reads whole (conf-dir reads a .bak too, but skips names
// that start with a dot): .FILE.bak.
func BackupName(f Format, path string) string {
	if f == Dnsmasq {
		return "." + filepath.Base(path) + ".bak"
	}
	return filepath.Base(path) + ".bak"
}

// InstallKeeping is Install with the previous version kept as backup, a
// name in path's directory ("": not kept, an existing backup left alone).
func InstallKeeping(path string, content []byte, check func(candidate string) error, backup string) error {
	real, err := resolve(path)
	if err != nil {
		return fmt.Errorf("install %s: %w", path, err)
	}
	path = real
	dir, name := filepath.Dir(path), filepath.Base(path)
	d, err := safefs.Open(dir)
	if err != nil {
		return fmt.Errorf("install %s: %w", path, err)
	}
	defer d.Close()
	var old []byte
	var oldInfo fs.FileInfo
	f, err := d.OpenFile(name)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("install %s: %w", path, err)
	}
	if exists {
		oldInfo, err = f.Stat()
		if err == nil {
			old, err = io.ReadAll(io.LimitReader(f, maxConf+1))
			if len(old) > maxConf {
				err = fmt.Errorf("larger than %d bytes", maxConf)
			}
		}
		f.Close()
		if err != nil {
			return fmt.Errorf("install %s: %w", path, err)
		}
	}

	// The existing mode wins so that a dhcpd.conf kept 0640 for its
	// TSIG keys does not become world-readable.
	perm := fs.FileMode(0o644)
	var owner *[2]int
	if exists {
		perm = oldInfo.Mode().Perm()
		if st, ok := oldInfo.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
			owner = &[2]int{int(st.Uid), int(st.Gid)}
		}
	}
	if check != nil {
		if err := checkCandidate(dir, name, content, perm, check); err != nil {
			return err
		}
	}
	if exists && backup != "" {
		if err := d.WriteFile(backup, old, perm, safefs.WriteOptions{Owner: owner, NoDirSync: true}); err != nil {
			return fmt.Errorf("install %s: keeping backup: %w", path, err)
		}
	}
	// The rename is durable once the directory is synced (WriteFile does).
	if err := d.WriteFile(name, content, perm, safefs.WriteOptions{Owner: owner}); err != nil {
		return fmt.Errorf("install %s: %w", path, err)
	}
	return nil
}

// checkCandidate writes content beside the file (or, when others can write
// that directory, into a private one) and runs check on it.
func checkCandidate(dir, name string, content []byte, perm fs.FileMode, check func(string) error) error {
	cdir := dir
	if writableByOthers(dir) {
		priv, err := os.MkdirTemp("", "setup-dhcp-check-")
		if err != nil {
			return fmt.Errorf("private directory for the check: %w", err)
		}
		defer os.RemoveAll(priv)
		cdir = priv
	}
	pf, err := renameio.NewPendingFile(filepath.Join(cdir, name), renameio.WithTempDir(cdir), renameio.WithPermissions(perm))
	if err != nil {
		return fmt.Errorf("creating the candidate in %s: %w", cdir, err)
	}
	defer pf.Cleanup()
	if _, err := pf.Write(content); err != nil {
		return fmt.Errorf("writing the candidate: %w", err)
	}
	return check(pf.Name())
}

// Flatten returns content with every include statement replaced by the
// included file's text (from files when there, else read from disk as
// ReadExisting reads it),
// recursively, as dhcpd reads it: a candidate whose included files also
// change can then be checked by dhcpd -t as one file. Relative include
// names are taken from path's directory, as Inspect takes them.
func Flatten(path string, content []byte, files map[string][]byte) ([]byte, error) {
	return flatten(path, path, content, files, 0)
}

func flatten(main, file string, content []byte, files map[string][]byte, depth int) ([]byte, error) {
	if depth > isc.MaxIncludeDepth {
		return nil, &SyntaxError{File: file, Line: 1, Msg: "includes nested too deeply"}
	}
	stmts, _, err := isc.ParseFile(file, content)
	if err != nil {
		return nil, err
	}
	var out []byte
	pos := 0
	for _, s := range stmts {
		if s.Word(0) != "include" || len(s.Words) < 2 || s.Words[1].Kind != isc.String {
			continue
		}
		name := s.Words[1].Text
		if !filepath.IsAbs(name) {
			name = filepath.Join(filepath.Dir(main), name)
		}
		src, ok := files[name]
		if !ok {
			if src, err = ReadExisting(name); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", s.File, s.Line, err)
			}
		}
		sub, err := flatten(main, name, src, files, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, content[pos:s.Off]...)
		out = append(out, "# "+strings.ReplaceAll(string(content[s.Off:s.End]), "\n", " ")+"\n"...)
		out = append(out, sub...)
		out = append(out, '\n')
		pos = s.End
	}
	return append(out, content[pos:]...), nil
}

// PutBack replaces path with content as Install does (atomically, through
// no untrusted link, keeping mode and owner) but leaves path.bak alone: it
// undoes an Install whose companion file could not be installed after it.
func PutBack(path string, content []byte) error {
	real, err := resolve(path)
	if err != nil {
		return fmt.Errorf("putting back %s: %w", path, err)
	}
	d, err := safefs.Open(filepath.Dir(real))
	if err != nil {
		return fmt.Errorf("putting back %s: %w", path, err)
	}
	defer d.Close()
	name := filepath.Base(real)
	fi, err := d.Stat(name)
	if err != nil {
		return fmt.Errorf("putting back %s: %w", path, err)
	}
	var owner *[2]int
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		owner = &[2]int{int(st.Uid), int(st.Gid)}
	}
	return d.WriteFile(name, content, fi.Mode().Perm(), safefs.WriteOptions{Owner: owner})
}
