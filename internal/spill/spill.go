// Package spill keeps records a run writes once and reads back later (the
// phones between the read and the plan) in a temporary file instead of the
// heap, so that a run's memory does not grow with the number of phones
// (issue 14: 50 MB at 100,000 phones).
//
// The file is made with O_TMPFILE in the temporary directory ($TMPDIR, else
// /tmp): mode 0600 and nameless, so no other user can open it and nothing
// is left behind by a killed run. Where O_TMPFILE is not supported it is
// created and removed at once. Where no file can be made, or the directory
// fills up midway, the records stay in memory: a full /tmp costs memory,
// never a run. The page cache that holds the file is not the process's
// memory (RSS).
//
// A record is a length (uvarint) and its bytes; Append returns where it
// starts, for Cursor.At.
package spill

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// chunk is how much is written to the file at once, and read back.
const chunk = 64 << 10

// File is an append-only store of records. Not safe for concurrent use.
type File struct {
	f    *os.File // nil: every record is in mem
	off  int64    // bytes in f
	mem  []byte   // what is not in f: everything, or what awaits a write
	n    int
	hdr  [binary.MaxVarintLen64]byte
	note string
}

// New makes a store in dir, os.TempDir() when "".
func New(dir string) *File {
	if dir == "" {
		dir = os.TempDir()
	}
	s := &File{}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	if err == nil {
		s.f = os.NewFile(uintptr(fd), dir+"/(setup-cisco temporary file)")
	} else if f, err := os.CreateTemp(dir, ".setup-cisco-spill-"); err == nil {
		if os.Remove(f.Name()) == nil {
			s.f = f
		} else {
			f.Close()
		}
	}
	if s.f != nil {
		s.mem = make([]byte, 0, chunk+4096)
	}
	return s
}

// InMemory makes a store that never uses a file.
func InMemory() *File { return &File{} }

// Len is the number of records appended.
func (s *File) Len() int { return s.n }

// Note says why the records are kept in memory after all (the file could
// not take them), or "".
func (s *File) Note() string { return s.note }

// Close releases the store; its file was never linked, or unlinked at once.
func (s *File) Close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.mem = nil
}

// Append adds rec and returns where it starts.
func (s *File) Append(rec []byte) (int64, error) {
	at := s.off + int64(len(s.mem))
	n := binary.PutUvarint(s.hdr[:], uint64(len(rec)))
	s.mem = append(append(s.mem, s.hdr[:n]...), rec...)
	s.n++
	if s.f != nil && len(s.mem) >= chunk {
		if err := s.flush(); err != nil {
			return 0, err
		}
	}
	return at, nil
}

// flush writes what awaits in mem to the file. When the file cannot take
// it, everything goes back to memory and stays there (offsets are kept).
func (s *File) flush() error {
	n, err := s.f.WriteAt(s.mem, s.off)
	s.off += int64(n)
	if err == nil {
		s.mem = s.mem[:0]
		return nil
	}
	all := make([]byte, s.off, s.off+int64(len(s.mem)-n))
	if _, rerr := s.f.ReadAt(all, 0); rerr != nil {
		return fmt.Errorf("keeping records in a temporary file (%v), and reading them back: %w", err, rerr)
	}
	s.mem = append(all, s.mem[n:]...)
	s.f.Close()
	s.f, s.off = nil, 0
	s.note = fmt.Sprintf("records kept in memory, not in a temporary file in %s: %v", os.TempDir(), err)
	return nil
}

// Reader reads every record from the first, in order. Appending after it
// is made is not allowed.
func (s *File) Reader() (*Reader, error) {
	if s.f != nil && len(s.mem) > 0 {
		if err := s.flush(); err != nil {
			return nil, err
		}
	}
	var r io.Reader = &memReader{b: s.mem}
	if s.f != nil {
		r = io.NewSectionReader(s.f, 0, s.off)
	}
	return &Reader{r: bufio.NewReaderSize(r, chunk), left: s.n}, nil
}

// Reader reads records in order.
type Reader struct {
	r    *bufio.Reader
	left int
	buf  []byte
}

// ErrDamaged is a record that does not read back as written.
var ErrDamaged = errors.New("a temporary record does not read back as written")

// Next returns the next record, valid until the next call, or io.EOF after
// the last.
func (r *Reader) Next() ([]byte, error) {
	if r.left == 0 {
		return nil, io.EOF
	}
	size, err := binary.ReadUvarint(r.r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if size > 1<<24 {
		return nil, ErrDamaged
	}
	if uint64(cap(r.buf)) < size {
		r.buf = make([]byte, size)
	}
	b := r.buf[:size]
	if _, err := io.ReadFull(r.r, b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	r.left--
	return b, nil
}

type memReader struct{ b []byte }

func (r *memReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// Cursor reads records by where they start (Append's result). A record
// right after the one before it comes from a window of the file read
// ahead (64 KiB); one elsewhere costs a read of about its own size, so
// records read in another order than they were written (the inventory's
// phones sorted by MAC, written in the order a source gave them) read
// little more than themselves. Appending after it is made is not allowed.
func (s *File) Cursor() (*Cursor, error) {
	if s.f != nil && len(s.mem) > 0 {
		if err := s.flush(); err != nil {
			return nil, err
		}
	}
	return &Cursor{s: s, end: -1}, nil
}

// Cursor: see File.Cursor.
type Cursor struct {
	s   *File
	win []byte // the file's bytes from at
	at  int64
	end int64 // where the record returned last ends; -1 before the first
	// read counts the bytes read from the file (TestCursorReadsLittle).
	read int64
}

// jumpRead is how much is read for a record not right after the last.
const jumpRead = 512

// At returns the record that starts at off, valid until the next call.
func (c *Cursor) At(off int64) ([]byte, error) {
	if c.s.f == nil {
		return record(c.s.mem, off)
	}
	rec, err := record(c.win, off-c.at)
	if err != nil || off < c.at {
		// Not all in the window: read from off on, at least the
		// record; ahead when reading on from the last one.
		want := jumpRead
		if off == c.end {
			want = chunk
		}
		c.at = off
		for ; ; want *= 2 {
			if cap(c.win) < want {
				c.win = make([]byte, 0, want)
			}
			n, rerr := c.s.f.ReadAt(c.win[:want], off)
			if rerr != nil && rerr != io.EOF {
				return nil, fmt.Errorf("%w: %v", ErrDamaged, rerr)
			}
			c.read += int64(n)
			c.win = c.win[:n]
			rec, err = record(c.win, 0)
			if err == nil || n < want {
				break
			}
		}
		if err != nil {
			return nil, err
		}
	}
	c.end = off + int64(uvarintLen(uint64(len(rec)))+len(rec))
	return rec, nil
}

// uvarintLen is how many bytes binary.PutUvarint takes for v.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// record is the record starting at off in b.
func record(b []byte, off int64) ([]byte, error) {
	if off < 0 || off >= int64(len(b)) {
		return nil, ErrDamaged
	}
	b = b[off:]
	size, n := binary.Uvarint(b)
	if n <= 0 || size > uint64(len(b)-n) {
		return nil, ErrDamaged
	}
	return b[n : n+int(size)], nil
}

// AppendString appends s to a record being made, with its length.
func AppendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// AppendInt appends n to a record being made.
func AppendInt(b []byte, n int) []byte { return binary.AppendVarint(b, int64(n)) }

// Fields reads back, in order, the fields a record was made of with
// AppendString and AppendInt. The strings are parts of the record's
// string: one allocation for all of them.
type Fields struct {
	rest string
	bad  bool
}

// NewFields reads the fields of rec.
func NewFields(rec string) Fields { return Fields{rest: rec} }

func (f *Fields) uvarint() uint64 {
	var v uint64
	for i := 0; i < len(f.rest) && i < binary.MaxVarintLen64; i++ {
		c := f.rest[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			f.rest = f.rest[i+1:]
			return v
		}
	}
	f.bad, f.rest = true, ""
	return 0
}

// String reads a string field.
func (f *Fields) String() string {
	n := f.uvarint()
	if n > uint64(len(f.rest)) {
		f.bad, f.rest = true, ""
		return ""
	}
	s := f.rest[:n]
	f.rest = f.rest[n:]
	return s
}

// Int reads an int field.
func (f *Fields) Int() int {
	u := f.uvarint()
	return int(int64(u>>1) ^ -int64(u&1)) // AppendVarint's zig-zag
}

// Count reads an int field that counts what follows, each at least a
// byte: ErrDamaged (by Done) when it cannot be.
func (f *Fields) Count() int {
	n := f.Int()
	if n < 0 || n > len(f.rest) {
		f.bad, f.rest = true, ""
		return 0
	}
	return n
}

// Done says whether every field read back and none is left: ErrDamaged
// otherwise.
func (f *Fields) Done() error {
	if f.bad || f.rest != "" {
		return ErrDamaged
	}
	return nil
}
