package firmware

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// format is an archive or compression format told by its first bytes.
type format int

const (
	formatNone format = iota
	formatZip
	formatTar
	formatGzip
	formatBzip2
	formatXz
	formatZstd
	format7z
	formatRar
)

// sniffLen is how many leading bytes sniff needs: a POSIX tar header has
// its "ustar" magic at offset 257 (POSIX.1-1988, also GNU tar's format).
const sniffLen = 512

// sniff tells the format from the first bytes of a file. Magic numbers:
// zip "PK\3\4" (an empty zip "PK\5\6"; APPNOTE 4.3.7, 4.3.16), gzip 1f 8b
// (RFC 1952 2.3.1), bzip2 "BZh" and the block size digit, xz fd "7zXZ" 00
// (xz file format 2.1.1.1), zstd 28 b5 2f fd (RFC 8878 3.1.1), 7-Zip
// "7z" bc af 27 1c, RAR "Rar!" 1a 07, tar "ustar" at offset 257. A tar of
// the old v7 format has no magic: formatNone, told by its name instead.
func sniff(head []byte) format {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return formatZip
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return formatGzip
	case len(head) >= 4 && bytes.HasPrefix(head, []byte("BZh")) && head[3] >= '1' && head[3] <= '9':
		return formatBzip2
	case bytes.HasPrefix(head, []byte("\xfd7zXZ\x00")):
		return formatXz
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return formatZstd
	case bytes.HasPrefix(head, []byte("7z\xbc\xaf\x27\x1c")):
		return format7z
	case bytes.HasPrefix(head, []byte("Rar!\x1a\x07")):
		return formatRar
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return formatTar
	}
	return formatNone
}

// UnreadError is an archive firmware import recognises but does not read
// (xz, zstd, 7-Zip, RAR): Go's standard library has no reader for them.
// Unpack says how to unpack it with the usual tool.
type UnreadError struct {
	Name   string // the archive, as given or as a path in the source
	What   string // "an xz-compressed file"
	Unpack string // "tar xJf NAME (or unxz NAME)"
}

func (e *UnreadError) Error() string {
	return fmt.Sprintf("%s is %s, which firmware import does not read: unpack it (%s) and import what it holds", e.Name, e.What, e.Unpack)
}

func unreadError(name string, f format) error {
	q := shellWord(path.Base(name))
	switch f {
	case formatXz:
		return &UnreadError{name, "an xz-compressed file", "tar xJf " + q + ", or unxz " + q}
	case formatZstd:
		return &UnreadError{name, "a zstd-compressed file", "tar --zstd -xf " + q + ", or unzstd " + q}
	case format7z:
		return &UnreadError{name, "a 7-Zip archive", "7z x " + q}
	case formatRar:
		return &UnreadError{name, "a RAR archive", "unrar x " + q}
	}
	return nil
}

// shellWord quotes a file name for a command in a message when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == '+' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// archiveExts are the name endings of the archives firmware import opens
// when it meets them inside a directory or another archive (a bundle
// unzipped by hand holds 7940_7960/SIP/P0S3-8-12-00.tar), and of the ones it
// names as not read. Lower case.
var archiveExts = [...]string{".zip", ".tar", ".tgz", ".gz", ".tbz", ".tbz2", ".bz2", ".xz", ".txz", ".zst", ".tzst", ".7z", ".rar"}

// archiveName reports whether base is named as an archive.
func archiveName(base string) bool {
	lower := strings.ToLower(base)
	for _, e := range archiveExts {
		if strings.HasSuffix(lower, e) {
			return true
		}
	}
	return false
}

// unpackedName is the name of what a compressed file holds, after gzip's
// and bzip2's own conventions: NAME.gz -> NAME, .tgz and .tbz2 -> .tar.
func unpackedName(name string) string {
	lower := strings.ToLower(name)
	for _, s := range [...]struct{ ext, repl string }{{".tgz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".gz", ""}, {".bz2", ""}} {
		if strings.HasSuffix(lower, s.ext) {
			return name[:len(name)-len(s.ext)] + s.repl
		}
	}
	return name
}

// maxDepth bounds archives inside archives (a tar in a gzip in a zip is 3).
const maxDepth = 4

// maxNestedZip bounds a zip found inside another archive or a compressed
// stream: zip needs random access, so it is read into memory. The 7940/7960
// SIP bundle zip is under 3 MB.
const maxNestedZip = 64 << 20

// streamMembers lists the files of the archive stream r, called name in the
// source, depth archives deep. It is told by its first bytes (a .tar of the
// old v7 format, with no magic, by its name). A compressed stream is
// decompressed and looked at again: a tar in it is read, other content is
// one file named without the .gz/.bz2. Image files are read as they pass
// (each under maxFileSize); the rest are listed by name only.
func streamMembers(name string, r io.Reader, depth int) ([]member, error) {
	base := path.Base(name)
	if _, _, ok := fileImage(base); ok && !MacMetadata(name) {
		// An image, from a compressed stream: never judged by its bytes.
		body, err := readLimited(func() (io.ReadCloser, error) { return io.NopCloser(r), nil })
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []member{{name: name, read: func() ([]byte, error) { return body, nil }}}, nil
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := sniff(head)
	if f != formatNone && depth >= maxDepth {
		return nil, fmt.Errorf("%s: archives nested more than %d deep", name, maxDepth)
	}
	switch f {
	case formatTar:
		return wrapErr(name)(tarMembers(br, depth))
	case formatGzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		return streamMembers(unpackedName(name), zr, depth+1)
	case formatBzip2:
		return streamMembers(unpackedName(name), bzip2.NewReader(br), depth+1)
	case formatZip:
		data, err := io.ReadAll(io.LimitReader(br, maxNestedZip+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(data) > maxNestedZip {
			return nil, fmt.Errorf("%s: a zip inside another archive, over %d MiB: unzip it and import what it holds", name, maxNestedZip>>20)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return wrapErr(name)(zipMembers(zr, depth+1))
	case formatXz, formatZstd, format7z, formatRar:
		return nil, unreadError(name, f)
	}
	switch {
	case strings.HasSuffix(strings.ToLower(base), ".tar"):
		return wrapErr(name)(tarMembers(br, depth)) // a v7 tar has no magic
	case archiveName(base):
		what := "its first bytes are those of no archive firmware import reads (zip, tar, gzip, bzip2)"
		switch {
		case len(head) == 0:
			what = "it is empty (0 bytes: a failed download?)"
		case notAnImage(head) != "":
			what = "it is an HTML page (a failed download?)"
		}
		return nil, fmt.Errorf("%s: named as an archive, but %s", name, what)
	}
	// Other content (OS79XX.TXT from a compressed stream): listed, not read.
	return []member{{name: name, read: errNotRead}}, nil
}

// wrapErr names the outer archive in an error of its contents.
func wrapErr(name string) func([]member, error) ([]member, error) {
	return func(ms []member, err error) ([]member, error) {
		var ue *UnreadError
		if err != nil && !errors.As(err, &ue) {
			err = fmt.Errorf("%s: %w", name, err)
		}
		return ms, err
	}
}

// nested lists the files of an archive met inside the source (in a
// directory or another archive). One of a format firmware import does not
// read (UnreadError) is one member saying so, so the rest of the source is
// still imported and the admin is told which archive to unpack; any other
// error (a damaged archive, an image over the limit, an entry name that
// leaves the archive) refuses the whole import, naming the archive.
func nested(name string) func([]member, error) ([]member, error) {
	return func(ms []member, err error) ([]member, error) {
		var ue *UnreadError
		if errors.As(err, &ue) {
			return []member{{name: name, unread: ue.What + ", which firmware import does not read: unpack it (" + ue.Unpack + ") and import what it holds"}}, nil
		}
		return ms, err
	}
}

// tarMembers reads a tar stream. Every entry name is checked; only the
// bodies of 7940/7960 image files are read (each under maxFileSize), and
// archives in it are opened in turn; the others are listed by name and
// passed over, whatever their size.
func tarMembers(r io.Reader, depth int) ([]member, error) {
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
		base := path.Base(h.Name)
		if MacMetadata(h.Name) {
			ms = append(ms, member{name: h.Name, read: errNotRead})
			continue
		}
		if archiveName(base) {
			inner, err := nested(h.Name)(streamMembers(h.Name, tr, depth+1))
			if err != nil {
				return nil, err
			}
			ms = append(ms, inner...)
			continue
		}
		if _, _, ok := fileImage(base); !ok {
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

// zipMembers lists a zip's files; archives in it (a .tar, as some bundles
// have) are opened in turn.
func zipMembers(zr *zip.Reader, depth int) ([]member, error) {
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
		name := strings.ReplaceAll(f.Name, `\`, "/")
		if archiveName(path.Base(name)) && !MacMetadata(name) {
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			inner, err := nested(name)(streamMembers(name, rc, depth+1))
			rc.Close()
			if err != nil {
				return nil, err
			}
			ms = append(ms, inner...)
			continue
		}
		ms = append(ms, member{name: name, read: func() ([]byte, error) {
			return readLimited(f.Open)
		}})
	}
	return ms, nil
}
