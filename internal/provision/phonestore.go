package provision

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"golang.org/x/sys/unix"
)

// phoneStore keeps the model's phones between the model stage and the plan,
// which reads them back in order, a batch at a time: encoded in an unlinked
// temporary file, so a run holds a batch of phones, not all of them (at
// 100,000 phones their models were 25 MB of a heap that should stay under
// 50 MB, issue 14). The file is made with O_TMPFILE in the temporary
// directory ($TMPDIR, else /tmp), mode 0600 and nameless (no other user can
// open it; the secrets in it are the database's, read by the same user),
// or created and removed at once where O_TMPFILE is not supported. Where no
// file can be made, or the temporary directory fills up, the encoding stays
// in memory (a third of the models' size): a full /tmp slows nothing down
// but the collector and fails no run.
type phoneStore struct {
	f    *os.File // nil: the encoding is all in mem
	off  int64    // bytes in f
	mem  []byte   // the encoding not in f: all of it, or what awaits a write
	n    int
	buf  []byte // one phone's encoding
	hdr  []byte // its length
	note string // why the phones are kept in memory, when a file was tried
}

// storeChunk is how much of the encoding is written to the file at once.
const storeChunk = 64 << 10

// newPhoneStore makes a store in dir (os.TempDir() when "").
func newPhoneStore(dir string) *phoneStore {
	if dir == "" {
		dir = os.TempDir()
	}
	s := &phoneStore{}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	if err == nil {
		s.f = os.NewFile(uintptr(fd), dir+"/(setup-cisco phones)")
	} else if f, err := os.CreateTemp(dir, ".setup-cisco-phones-"); err == nil {
		if os.Remove(f.Name()) == nil {
			s.f = f
		} else {
			f.Close()
		}
	}
	if s.f != nil {
		s.mem = make([]byte, 0, storeChunk+4096)
	}
	return s
}

// close removes the store (its file was never linked, or unlinked at once).
func (s *phoneStore) close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.mem = nil
}

// add appends p: the length of its encoding, then the encoding.
func (s *phoneStore) add(p *phonecfg.Phone) error {
	s.buf = appendPhone(s.buf[:0], p)
	s.hdr = binary.AppendUvarint(s.hdr[:0], uint64(len(s.buf)))
	s.n++
	s.mem = append(append(s.mem, s.hdr...), s.buf...)
	if s.f != nil && len(s.mem) >= storeChunk {
		return s.flush()
	}
	return nil
}

// flush writes what awaits in mem to the file. When the file cannot take
// it, everything goes back to memory and stays there.
func (s *phoneStore) flush() error {
	n, err := s.f.WriteAt(s.mem, s.off)
	s.off += int64(n)
	if err == nil {
		s.mem = s.mem[:0]
		return nil
	}
	all := make([]byte, s.off, s.off+int64(len(s.mem)-n))
	if _, rerr := s.f.ReadAt(all, 0); rerr != nil {
		return fmt.Errorf("keeping the phones' settings in a temporary file (%v), and reading them back: %w", err, rerr)
	}
	s.mem = append(all, s.mem[n:]...)
	s.f.Close()
	s.f, s.off = nil, 0
	s.note = fmt.Sprintf("the phones' settings were kept in memory: %v", err)
	return nil
}

// reader reads the phones back from the first: next returns up to n
// phones, none at the end.
func (s *phoneStore) reader() (next func(n int) ([]phonecfg.Phone, error), err error) {
	if s.f != nil && len(s.mem) > 0 {
		if err := s.flush(); err != nil {
			return nil, err
		}
	}
	var r *bufio.Reader
	if s.f != nil {
		r = bufio.NewReaderSize(io.NewSectionReader(s.f, 0, s.off), storeChunk)
	} else {
		r = bufio.NewReaderSize(&byteReader{b: s.mem}, 4096)
	}
	left := s.n
	var buf []byte
	return func(n int) ([]phonecfg.Phone, error) {
		n = min(n, left)
		out := make([]phonecfg.Phone, n)
		for i := range out {
			if err := readPhone(r, &out[i], &buf); err != nil {
				return nil, fmt.Errorf("reading the phones' settings back from their temporary file: %w", err)
			}
		}
		left -= n
		return out, nil
	}, nil
}

type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// appendPhone appends p's encoding: every field, strings with their length
// (TestPhoneStoreRoundTrip fails when Phone or Line gains a field this does
// not carry).
func appendPhone(b []byte, p *phonecfg.Phone) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	num := func(n int) { b = binary.AppendVarint(b, int64(n)) }
	str(string(p.MAC))
	str(p.Model)
	str(p.Label)
	str(p.Image)
	str(p.Sync)
	retired := 0
	if p.Retired {
		retired = 1
	}
	num(retired)
	num(len(p.Lines))
	for _, l := range p.Lines {
		num(l.N)
		str(l.Name)
		str(l.Password)
		str(l.DisplayName)
		str(l.ShortName)
		str(l.Proxy)
		num(l.Port)
		str(l.Tech)
	}
	return b
}

// readPhone reads one phone add wrote: its length, then appendPhone's
// encoding, made one string whose parts the fields are (one allocation for
// all of a phone's text).
func readPhone(r *bufio.Reader, p *phonecfg.Phone, buf *[]byte) error {
	size, err := binary.ReadUvarint(r)
	if err != nil {
		return err
	}
	if size > 1<<24 {
		return errors.New("a phone of impossible length")
	}
	if uint64(cap(*buf)) < size {
		*buf = make([]byte, size)
	}
	b := (*buf)[:size]
	if _, err := io.ReadFull(r, b); err != nil {
		return err
	}
	return decodePhone(string(b), p)
}

// decodePhone parses appendPhone's encoding in enc into p, whose strings
// are parts of enc.
func decodePhone(enc string, p *phonecfg.Phone) error {
	bad := false
	uvarint := func() uint64 {
		var v uint64
		var shift uint
		for i := 0; i < len(enc) && i < binary.MaxVarintLen64; i++ {
			c := enc[i]
			v |= uint64(c&0x7f) << shift
			if c < 0x80 {
				enc = enc[i+1:]
				return v
			}
			shift += 7
		}
		bad = true
		enc = ""
		return 0
	}
	str := func() string {
		n := uvarint()
		if n > uint64(len(enc)) {
			bad = true
			enc = ""
			return ""
		}
		v := enc[:n]
		enc = enc[n:]
		return v
	}
	num := func() int {
		u := uvarint()
		return int(int64(u>>1) ^ -int64(u&1)) // binary.AppendVarint's zig-zag
	}
	p.MAC = macaddr.MAC(str())
	p.Model = str()
	p.Label = str()
	p.Image = str()
	p.Sync = str()
	p.Retired = num() == 1
	lines := num()
	if bad || lines < 0 || lines > len(enc) {
		return errors.New("a phone's settings do not read back")
	}
	if lines > 0 {
		p.Lines = make([]phonecfg.Line, lines)
	}
	for i := range p.Lines {
		l := &p.Lines[i]
		l.N = num()
		l.Name = str()
		l.Password = str()
		l.DisplayName = str()
		l.ShortName = str()
		l.Proxy = str()
		l.Port = num()
		l.Tech = str()
	}
	if bad || enc != "" {
		return errors.New("a phone's settings do not read back")
	}
	return nil
}
