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
}

// Import copies the firmware files (.loads .sb2 .sbn .bin of 7940/7960 loads)
// from src into dstDir, under the names phones request, and returns the
// names it wrote. src is a Cisco firmware ZIP (a .tar inside it, as some
// bundles have, is read too), a .tar, a directory (searched recursively) or a
// single firmware file. OS79XX.TXT and configs are skipped: setup-cisco
// writes its own. An archive with any entry name that is absolute or climbs
// with .. is refused as a whole. Files already present with the same content
// are left untouched; the others are replaced atomically with mode 0644.
func Import(src, dstDir string) ([]string, error) {
	if fi, err := os.Stat(dstDir); err != nil {
		return nil, fmt.Errorf("firmware: import into %s: %w", dstDir, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("firmware: import into %s: not a directory", dstDir)
	}
	members, closeSrc, err := openSource(src)
	if err != nil {
		return nil, fmt.Errorf("firmware: import %s: %w", src, err)
	}
	defer closeSrc()

	files := map[string][]byte{} // canonical name -> content
	for _, m := range members {
		_, canon, ok := fileImage(path.Base(m.name))
		if !ok {
			continue
		}
		data, err := m.read()
		if err != nil {
			return nil, fmt.Errorf("firmware: import %s: %s: %w", src, m.name, err)
		}
		if prev, dup := files[canon]; dup && !bytes.Equal(prev, data) {
			return nil, fmt.Errorf("firmware: import %s: two different files for %s", src, canon)
		}
		files[canon] = data
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("firmware: import %s: %w", src, ErrNoFirmware)
	}

	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var written []string
	for _, n := range names {
		same, err := sameContent(filepath.Join(dstDir, n), files[n])
		if err != nil {
			return written, fmt.Errorf("firmware: import %s: %w", src, err)
		}
		if same {
			continue
		}
		if err := writeAtomic(dstDir, n, files[n]); err != nil {
			return written, fmt.Errorf("firmware: import %s: %w", src, err)
		}
		written = append(written, n)
	}
	if len(written) > 0 {
		if err := syncDir(dstDir); err != nil {
			return written, fmt.Errorf("firmware: import %s: %w", src, err)
		}
	}
	return written, nil
}

// openSource lists the files of src.
func openSource(src string) ([]member, func(), error) {
	noop := func() {}
	fi, err := os.Stat(src)
	if err != nil {
		return nil, noop, err
	}
	if fi.IsDir() {
		ms, err := dirMembers(src)
		return ms, noop, err
	}
	lower := strings.ToLower(src)
	switch {
	case strings.HasSuffix(lower, ".tar"):
		data, err := readLimited(func() (io.ReadCloser, error) { return os.Open(src) })
		if err != nil {
			return nil, noop, err
		}
		ms, err := tarMembers(data)
		return ms, noop, err
	case isZip(src):
		zr, err := zip.OpenReader(src)
		if errors.Is(err, zip.ErrInsecurePath) { // reported under GODEBUG=zipinsecurepath=0
			zr.Close()
			return nil, noop, ErrUnsafeArchive
		}
		if err != nil {
			return nil, noop, err
		}
		ms, err := zipMembers(&zr.Reader)
		if err != nil {
			zr.Close()
			return nil, noop, err
		}
		return ms, func() { zr.Close() }, nil
	}
	// A single firmware file.
	return []member{{name: filepath.Base(src), read: func() ([]byte, error) {
		return readLimited(func() (io.ReadCloser, error) { return os.Open(src) })
	}}}, noop, nil
}

func isZip(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	_, err = io.ReadFull(f, magic)
	return err == nil && string(magic) == "PK\x03\x04"
}

func dirMembers(root string) ([]member, error) {
	var ms []member
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		ms = append(ms, member{name: filepath.ToSlash(p), read: func() ([]byte, error) {
			return readLimited(func() (io.ReadCloser, error) { return os.Open(p) })
		}})
		return nil
	})
	return ms, err
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
			data, err := readLimited(f.Open)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			inner, err := tarMembers(data)
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

func tarMembers(data []byte) ([]member, error) {
	var ms []member
	tr := tar.NewReader(bytes.NewReader(data))
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
		body, err := readLimited(func() (io.ReadCloser, error) { return io.NopCloser(tr), nil })
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		ms = append(ms, member{name: h.Name, read: func() ([]byte, error) { return body, nil }})
	}
}

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

// sameContent reports whether name is a regular file holding exactly data.
func sameContent(name string, data []byte) (bool, error) {
	fi, err := os.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false, nil
	}
	have, err := os.ReadFile(name)
	if err != nil {
		return false, err
	}
	return bytes.Equal(have, data), nil
}

// writeAtomic writes data to dir/name through a temporary file in dir, so a
// phone never fetches a half-written image.
func writeAtomic(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil { // CreateTemp makes 0600; the TFTP daemon reads as another user
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
