package firmware

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
// and a way to read it; or an archive in it that was not read (unread says
// why); or something to close after the import (closer, no file).
type member struct {
	name   string
	read   func() ([]byte, error)
	unread string
	closer io.Closer
}

// Imported says what ImportFiles did.
type Imported struct {
	// Written lists the files written, by the names phones request, in
	// name order.
	Written []string
	// Replaced lists those of them that were a symlink or another
	// non-regular entry (planted in a root others can write): replaced as
	// an entry, their target neither read nor written.
	Replaced []string
	// Chmodded lists files already in the root with the bundle's content
	// but a mode other than 0644 (unzipped by hand under umask 077: the
	// TFTP daemon, running as another user, cannot read them): replaced
	// by a copy with mode 0644.
	Chmodded []string
	// Reowned lists files that were in the root, owned by a user other
	// than root, the one importing and the root directory's owner (copied
	// in while the root was 777,
	// or a TFTP upload atftpd took as nobody): their owner could rewrite
	// them, whatever their mode, so they were replaced by a copy of the
	// source's file, owned by the importing user, even when identical.
	Reowned []Owned
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
	// Unread are archives inside the source that were not opened (xz,
	// zstd, 7-Zip, RAR): Why says what they are and how to unpack them.
	Unread []Unusable
}

// Owned is a file and the user that owned it.
type Owned struct {
	Name string
	UID  int
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
// loads) from src into dstDir, under the names phones request.
//
// src is a Cisco firmware zip, a tar, a gzip- or bzip2-compressed tar
// (.tar.gz, .tgz, .tar.bz2: told by their first bytes, whatever the name),
// a directory (searched recursively) or a single firmware file. Archives
// inside any of them are opened too: the .tar in some bundle zips, the
// 7940_7960/SIP/P0S3-8-12-00.tar of a bundle unzipped by hand. An xz,
// zstd, 7-Zip or RAR archive is not read (Go's standard library has no
// reader): as src it is an *UnreadError naming the command that unpacks
// it; inside the source it is listed in Unread. OS79XX.TXT and configs are
// skipped: setup-cisco writes its own. An archive with any entry name that
// is absolute or climbs with .. is refused as a whole. A tar is streamed:
// only its image files are read, each under maxFileSize. Files named as
// images that are empty or an HTML page are not imported (Unusable), nor
// are other models' files; macOS metadata (._NAME, __MACOSX/) is ignored.
// With no image found the error wraps ErrNoFirmware and the result still
// says what was skipped.
//
// A file already in dstDir with the same content, mode 0644 and owned by
// root, the importing user or dstDir's owner is left alone; every other file is replaced,
// mode 0644, owned by the importing user (Chmodded and Reowned say why
// for identical ones). The import is all or nothing: every new file is
// written and flushed under a temporary name first (a full disk fails
// here, with nothing changed), a directory where an image goes fails it
// before anything is written, and the files are then moved into place
// with the .loads files last, so a phone never finds a .loads whose
// images are not there (a phone fetches the .loads first, then the
// loader .sbn and the .sb2: the IPF and JH-tftplog logs in the Cisco 79x0
// fact sheet). Should a move fail, the files
// already moved are put back as they were (renameat2 RENAME_EXCHANGE keeps
// the old file under the temporary name until the end).
//
// dstDir and a source directory may be writable by others (the how-to's
// chmod -R 777): src itself is opened once as given, but nothing below it
// and nothing in dstDir is opened through a symlink (package safefs), so a
// planted link can neither smuggle a file from elsewhere into the TFTP
// root nor make the import write outside it.
func ImportFiles(src, dstDir string) (Imported, error) {
	return importFiles(src, dstDir, nil)
}

// importFiles is ImportFiles; beforeMove, when set (tests), is called
// before each file is moved into place.
func importFiles(src, dstDir string, beforeMove func(name string)) (Imported, error) {
	var res Imported
	dst, err := safefs.Open(dstDir)
	if err != nil {
		return res, fmt.Errorf("firmware: import into %s: %w", dstDir, err)
	}
	defer dst.Close()
	members, closeSrc, err := openSource(src)
	defer closeSrc()
	if err != nil {
		if strings.HasPrefix(err.Error(), filepath.Base(src)+" ") || strings.HasPrefix(err.Error(), filepath.Base(src)+":") {
			return res, fmt.Errorf("firmware: import: %w", err) // it names the source already
		}
		return res, fmt.Errorf("firmware: import %s: %w", src, err)
	}

	files := map[string][]byte{} // canonical name -> content
	from := map[string]string{}  // canonical name -> its path in the source
	for _, m := range members {
		if m.read == nil && m.unread == "" {
			continue // something to close, no file
		}
		if m.unread != "" {
			res.Unread = append(res.Unread, Unusable{m.name, m.unread})
			continue
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
			return res, fmt.Errorf("firmware: import %s: two different files for %s: %s and %s (import one of them)", src, canon, from[canon], m.name)
		}
		files[canon] = data
		from[canon] = m.name
	}
	if len(files) == 0 {
		return res, fmt.Errorf("firmware: import %s: %w", src, ErrNoFirmware)
	}

	plan, err := planImport(dst, files, &res)
	if err != nil {
		return res, fmt.Errorf("firmware: import %s: %w; nothing was imported", src, err)
	}
	if err := commitImport(dst, plan, beforeMove); err != nil {
		res.Written, res.Replaced, res.Chmodded, res.Reowned = nil, nil, nil, nil
		return res, fmt.Errorf("firmware: import %s: %w", src, err)
	}
	return res, nil
}

// openSource lists the files of src. src is opened once, following a
// symlink the admin may have named; its kind is judged on that descriptor.
// The returned func closes what the members still read from; it is never
// nil.
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
		return ms, func() { closeAll(ms); d.Close() }, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, noop, fmt.Errorf("%w: %s", safefs.ErrNotRegular, safefs.Kind(fi.Mode()))
	}
	base := filepath.Base(src)
	if _, _, ok := fileImage(base); ok {
		// A single firmware file: judged by its name, never its bytes.
		return []member{{name: base, read: func() ([]byte, error) {
			return readLimited(func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(f, 0, fi.Size())), nil })
		}}}, func() { f.Close() }, nil
	}
	ms, err := fileMembers(base, f, fi.Size(), 0)
	return ms, func() { closeAll(ms); f.Close() }, err
}

// fileMembers lists the files of the archive f (size bytes), called name
// in the source, depth archives deep: a zip is read in place (it needs
// random access), anything else as a stream (streamMembers). A file that is
// no archive is one member, read lazily from f.
func fileMembers(name string, f *os.File, size int64, depth int) ([]member, error) {
	head := make([]byte, sniffLen)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	head = head[:n]
	switch sniff(head) {
	case formatZip:
		zr, err := zip.NewReader(f, size)
		if errors.Is(err, zip.ErrInsecurePath) { // reported under GODEBUG=zipinsecurepath=0
			return nil, ErrUnsafeArchive
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return wrapErr(name)(zipMembers(zr, depth))
	case formatNone:
		if !archiveName(name) {
			// Not an archive: one file (skipped, or named as misnamed).
			return []member{{name: name, read: func() ([]byte, error) {
				return readLimited(func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(f, 0, size)), nil })
			}}}, nil
		}
	}
	return streamMembers(name, io.NewSectionReader(f, 0, size), depth)
}

// dirMembers lists the regular files below d (prefix is d's path inside
// the source, for names); archives among them are opened (fileMembers).
// Subdirectories are opened without following symlinks, files are read
// through their descriptors (safefs), so a link planted in the source
// directory is skipped, never read.
func dirMembers(d *safefs.Dir, prefix string) ([]member, error) {
	des, err := d.ReadDir()
	if err != nil {
		return nil, err
	}
	var ms []member
	for _, de := range des {
		name := de.Name()
		rel := path.Join(prefix, name)
		switch {
		case de.IsDir():
			sub, err := d.OpenDir(name)
			if errors.Is(err, safefs.ErrNotRegular) {
				continue // replaced by a link since the listing
			}
			if err != nil {
				return ms, err
			}
			ms = append(ms, member{closer: sub})
			inner, err := dirMembers(sub, rel)
			ms = append(ms, inner...)
			if err != nil {
				return ms, err
			}
		case de.Type().IsRegular() && archiveName(name) && !MacMetadata(rel):
			f, err := d.OpenFile(name)
			if errors.Is(err, safefs.ErrNotRegular) {
				continue
			}
			if err != nil {
				return ms, err
			}
			ms = append(ms, member{closer: f})
			fi, err := f.Stat()
			if err != nil {
				return ms, err
			}
			inner, err := nested(rel)(fileMembers(rel, f, fi.Size(), 1))
			ms = append(ms, inner...)
			if err != nil {
				return ms, err
			}
		case de.Type().IsRegular():
			ms = append(ms, member{name: rel, read: func() ([]byte, error) {
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

// closeAll closes what the members still read from.
func closeAll(ms []member) {
	for _, m := range ms {
		if m.closer != nil {
			m.closer.Close()
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

// sameContent reports whether name in d, a regular file described by fi
// (d.Stat), holds exactly data. It is read without following a link; one
// swapped in since the stat is not the same.
func sameContent(d *safefs.Dir, name string, data []byte, fi fs.FileInfo) (bool, error) {
	if fi.Size() != int64(len(data)) {
		return false, nil
	}
	have, err := d.ReadFile(name, maxFileSize)
	if errors.Is(err, safefs.ErrNotRegular) || errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return bytes.Equal(have, data), nil
}
