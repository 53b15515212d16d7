package firmware

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// Import errors.
var (
	ErrUnsafeArchive = errors.New("archive entry name leaves the archive (absolute or ..)")
	ErrNoFirmware    = errors.New("no 7940/7960 firmware files found")
)

// maxFileSize bounds one firmware file read into memory; the largest 79x0
// file, an .sb2, is under 1 MiB (CME-INST flash listing: 681290 bytes).
const maxFileSize = 32 << 20

// member is one file of the source: a path inside the archive or directory
// and a way to read it.
type member struct {
	name string
	read func() ([]byte, error)
	dir  *safefs.Dir // a subdirectory to close after the import; no file
}

// Imported says what ImportFiles did.
type Imported struct {
	// Written lists the files written, by the names phones request.
	Written []string
	// Replaced lists those of them that were a symlink or another
	// non-regular entry (planted in a root others can write): replaced as
	// an entry, their target neither read nor written.
	Replaced []string
	// Chmodded lists files already in the root with the bundle's content
	// but a mode other than 0644 (unzipped by hand under umask 077: the
	// TFTP daemon, running as another user, cannot read them): set to 0644.
	Chmodded []string
	// Skipped lists the source's files that are not firmware images of a
	// 7940/7960 load, by their path in the source (README, OS79XX.TXT,
	// configs, a "P003-8-12-00 (1).sbn" a browser renamed). macOS
	// metadata (._NAME, __MACOSX/) is left out altogether.
	Skipped []string
	// Misnamed are the skipped files with an image's extension that are
	// not another model's: most likely an image under a name the phones
	// never request. Want is the load file name it seems to be (a copy
	// suffix such as " (1)" removed), "" when none can be told.
	Misnamed []Rename
	// OtherModels are the skipped files named as another Cisco phone
	// model's firmware (OtherModel).
	OtherModels []string
	// Unusable are image files not imported for their content: empty (a
	// failed download) or an HTML page saved under the image's name; and
	// unfinished browser downloads (NAME.sbn.part, .crdownload).
	Unusable []Unusable
}

// Unusable is a source file that is named as an image but is none.
type Unusable struct {
	Name string // path in the source
	Why  string
}

// LooksLikeImage tells whether name has a firmware file's extension (.bin,
// .sbn, .loads, .sb2, any case): a skipped file with one is most likely an
// image under a name the phones would never request.
func LooksLikeImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".bin", ".sbn", ".loads", ".sb2":
		return true
	}
	return false
}

// Import is ImportFiles returning the names written.
func Import(src, dstDir string) ([]string, error) {
	res, err := ImportFiles(src, dstDir)
	return res.Written, err
}

// ImportFiles copies the firmware files (.loads .sb2 .sbn .bin of 7940/7960
// loads) from src into dstDir, under the names phones request. src is a
// Cisco firmware ZIP (a .tar inside it, as some bundles have, is read too),
// a .tar, a directory (searched recursively) or a single firmware file.
// OS79XX.TXT and configs are skipped: setup-cisco writes its own. An
// archive with any entry name that is absolute or climbs with .. is refused
// as a whole. A tar is streamed: only its image files are read, each
// under maxFileSize. Files already present with the same content are left
// untouched but for their mode, set to 0644; the others are replaced
// atomically with mode 0644. Files named as images that are empty or an
// HTML page are not imported (Unusable), nor are other models' files;
// macOS metadata (._NAME, __MACOSX/) is ignored. With no image found the
// error wraps ErrNoFirmware and the result still says what was skipped.
//
// dstDir and a source directory may be writable by others (the how-to's
// chmod -R 777): src itself is opened once as given, but nothing below it
// and nothing in dstDir is opened through a symlink (package safefs), so a
// planted link can neither smuggle a file from elsewhere into the TFTP
// root nor make the import write outside it.
func ImportFiles(src, dstDir string) (Imported, error) {
	var res Imported
	dst, err := safefs.Open(dstDir)
	if err != nil {
		return res, fmt.Errorf("firmware: import into %s: %w", dstDir, err)
	}
	defer dst.Close()
	members, closeSrc, err := openSource(src)
	if err != nil {
		return res, fmt.Errorf("firmware: import %s: %w", src, err)
	}
	defer closeSrc()

	files := map[string][]byte{} // canonical name -> content
	for _, m := range members {
		if m.read == nil {
			continue // a subdirectory, kept open for its files
		}
		if MacMetadata(m.name) {
			continue
		}
		base := path.Base(m.name)
		_, canon, ok := fileImage(base)
		if !ok {
			res.Skipped = append(res.Skipped, m.name)
			switch {
			case OtherModel(base):
				res.OtherModels = append(res.OtherModels, m.name)
			case LooksLikeImage(base):
				res.Misnamed = append(res.Misnamed, Rename{Have: m.name, Want: SuggestName(base)})
			default:
				if inner, ok := partialDownload(base); ok {
					res.Unusable = append(res.Unusable, Unusable{m.name, "an unfinished download of " + inner})
				}
			}
			continue
		}
		data, err := m.read()
		if err != nil {
			return res, fmt.Errorf("firmware: import %s: %s: %w", src, m.name, err)
		}
		if why := notAnImage(data); why != "" {
			res.Unusable = append(res.Unusable, Unusable{m.name, why})
			continue
		}
		if prev, dup := files[canon]; dup && !bytes.Equal(prev, data) {
			return res, fmt.Errorf("firmware: import %s: two different files for %s", src, canon)
		}
		files[canon] = data
	}
	if len(files) == 0 {
		return res, fmt.Errorf("firmware: import %s: %w", src, ErrNoFirmware)
	}

	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		same, regular, perm, err := sameContent(dst, n, files[n])
		if err != nil {
			return res, fmt.Errorf("firmware: import %s: %w", src, err)
		}
		if same && perm == 0o644 {
			continue
		}
		if same {
			// The content is there but the mode is not the one a copy
			// gets: set it through a descriptor; a file with other hard
			// links (or swapped since the stat) is replaced instead.
			err := dst.Chmod(n, 0o644)
			if err == nil {
				res.Chmodded = append(res.Chmodded, n)
				continue
			}
			if !errors.Is(err, safefs.ErrLinked) && !errors.Is(err, safefs.ErrNotRegular) {
				return res, fmt.Errorf("firmware: import %s: %w", src, err)
			}
		}
		// One fsync per file; the directory is synced once below.
		if err := dst.WriteFile(n, files[n], 0o644, safefs.WriteOptions{NoDirSync: true}); err != nil {
			return res, fmt.Errorf("firmware: import %s: %w", src, err)
		}
		res.Written = append(res.Written, n)
		if !regular {
			res.Replaced = append(res.Replaced, n)
		}
	}
	if len(res.Written) > 0 {
		if err := dst.Sync(); err != nil {
			return res, fmt.Errorf("firmware: import %s: %w", src, err)
		}
	}
	return res, nil
}

// openSource lists the files of src. src is opened once, following a
// symlink the admin may have named; its kind is judged on that descriptor.
func openSource(src string) ([]member, func(), error) {
	noop := func() {}
	f, err := os.Open(src)
	if err != nil {
		return nil, noop, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, noop, err
	}
	if fi.IsDir() {
		f.Close()
		d, err := safefs.Open(src)
		if err != nil {
			return nil, noop, err
		}
		ms, err := dirMembers(d, "")
		return ms, func() { closeDirs(ms); d.Close() }, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, noop, fmt.Errorf("%w: %s", safefs.ErrNotRegular, safefs.Kind(fi.Mode()))
	}
	lower := strings.ToLower(src)
	switch {
	case strings.HasSuffix(lower, ".tar"):
		// Streamed: a CME tar holds other models' loads of many MB each;
		// only the 7940/7960 images in it are read into memory.
		defer f.Close()
		ms, err := tarMembers(f)
		return ms, noop, err
	case isZip(f):
		zr, err := zip.NewReader(f, fi.Size())
		if errors.Is(err, zip.ErrInsecurePath) { // reported under GODEBUG=zipinsecurepath=0
			f.Close()
			return nil, noop, ErrUnsafeArchive
		}
		if err != nil {
			f.Close()
			return nil, noop, err
		}
		ms, err := zipMembers(zr)
		if err != nil {
			f.Close()
			return nil, noop, err
		}
		return ms, func() { f.Close() }, nil
	}
	// A single firmware file.
	return []member{{name: filepath.Base(src), read: func() ([]byte, error) {
		return readLimited(func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(f, 0, fi.Size())), nil })
	}}}, func() { f.Close() }, nil
}

func isZip(f *os.File) bool {
	magic := make([]byte, 4)
	_, err := f.ReadAt(magic, 0)
	return err == nil && string(magic) == "PK\x03\x04"
}

// dirMembers lists the regular files below d (prefix is d's path inside
// the source, for names). Subdirectories are opened without following
// symlinks, files are read through their descriptors (safefs), so a link
// planted in the source directory is skipped, never read.
func dirMembers(d *safefs.Dir, prefix string) ([]member, error) {
	des, err := d.ReadDir()
	if err != nil {
		return nil, err
	}
	var ms []member
	for _, de := range des {
		name := de.Name()
		switch {
		case de.IsDir():
			sub, err := d.OpenDir(name)
			if errors.Is(err, safefs.ErrNotRegular) {
				continue // replaced by a link since the listing
			}
			if err != nil {
				return ms, err
			}
			inner, err := dirMembers(sub, path.Join(prefix, name))
			ms = append(ms, member{dir: sub})
			ms = append(ms, inner...)
			if err != nil {
				return ms, err
			}
		case de.Type().IsRegular():
			ms = append(ms, member{name: path.Join(prefix, name), read: func() ([]byte, error) {
				f, err := d.OpenFile(name)
				if err != nil {
					return nil, err
				}
				return readLimited(func() (io.ReadCloser, error) { return f, nil })
			}})
		}
	}
	return ms, nil
}

// closeDirs closes the subdirectories dirMembers opened.
func closeDirs(ms []member) {
	for _, m := range ms {
		if m.dir != nil {
			m.dir.Close()
		}
	}
}

// checkName refuses entry names that would leave the extraction root; a
// backslash counts as a separator since Windows tools write them.
func checkName(name string) error {
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || !filepath.IsLocal(filepath.FromSlash(strings.TrimSuffix(n, "/"))) {
		return fmt.Errorf("%q: %w", name, ErrUnsafeArchive)
	}
	return nil
}

func zipMembers(zr *zip.Reader) ([]member, error) {
	for _, f := range zr.File {
		if err := checkName(f.Name); err != nil {
			return nil, err
		}
	}
	var ms []member
	for _, f := range zr.File {
		if !f.Mode().IsRegular() {
			continue
		}
		if strings.HasSuffix(strings.ToLower(f.Name), ".tar") {
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			inner, err := tarMembers(rc)
			rc.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			ms = append(ms, inner...)
			continue
		}
		ms = append(ms, member{name: strings.ReplaceAll(f.Name, `\`, "/"), read: func() ([]byte, error) {
			return readLimited(f.Open)
		}})
	}
	return ms, nil
}

// tarMembers reads a tar stream. Every entry name is checked; only the
// bodies of 7940/7960 image files are read (each under maxFileSize), the
// others are listed by name and passed over, whatever their size.
func tarMembers(r io.Reader) ([]member, error) {
	var ms []member
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return ms, nil
		}
		if err != nil {
			return nil, err
		}
		if err := checkName(h.Name); err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if _, _, ok := fileImage(path.Base(h.Name)); !ok || MacMetadata(h.Name) {
			ms = append(ms, member{name: h.Name, read: errNotRead})
			continue
		}
		body, err := readLimited(func() (io.ReadCloser, error) { return io.NopCloser(tr), nil })
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		ms = append(ms, member{name: h.Name, read: func() ([]byte, error) { return body, nil }})
	}
}

// errNotRead is the reader of a streamed archive member that was passed
// over: ImportFiles reads image files only.
func errNotRead() ([]byte, error) { return nil, errors.New("not an image file: not read") }

func readLimited(open func() (io.ReadCloser, error)) ([]byte, error) {
	rc, err := open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("larger than %d bytes; not a 7940/7960 firmware file", maxFileSize)
	}
	return data, nil
}

// sameContent reports whether name in d is a regular file holding exactly
// data, whether it is a regular file at all (a symlink or FIFO is not,
// and is never opened), and its permission bits.
func sameContent(d *safefs.Dir, name string, data []byte) (same, regular bool, perm fs.FileMode, err error) {
	fi, err := d.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, true, 0, nil
	}
	if err != nil {
		return false, false, 0, err
	}
	if !fi.Mode().IsRegular() {
		return false, false, 0, nil
	}
	if fi.Size() != int64(len(data)) {
		return false, true, 0, nil
	}
	have, err := d.ReadFile(name, maxFileSize)
	if errors.Is(err, safefs.ErrNotRegular) {
		return false, false, 0, nil // swapped since the stat
	}
	if err != nil {
		return false, true, 0, err
	}
	return bytes.Equal(have, data), true, fi.Mode().Perm(), nil
}
