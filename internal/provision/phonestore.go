package provision

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/spill"
)

// phoneStore keeps the model's phones between the model stage and the plan,
// which reads them back in order, a batch at a time, from a temporary file
// (package spill): a run holds a batch of phones, not all of them (at
// 100,000 phones their models were 25 MB of a heap that should stay under
// 50 MB, issue 14).
type phoneStore struct {
	s   *spill.File
	buf []byte // one phone's encoding
}

func newPhoneStore(dir string) *phoneStore { return &phoneStore{s: spill.New(dir)} }

func (s *phoneStore) close() { s.s.Close() }

// add appends p.
func (s *phoneStore) add(p *phonecfg.Phone) error {
	s.buf = appendPhone(s.buf[:0], p)
	_, err := s.s.Append(s.buf)
	return err
}

// reader reads the phones back from the first: next returns up to n
// phones, none at the end.
func (s *phoneStore) reader() (next func(n int) ([]phonecfg.Phone, error), err error) {
	r, err := s.s.Reader()
	if err != nil {
		return nil, err
	}
	return func(n int) ([]phonecfg.Phone, error) {
		var out []phonecfg.Phone
		for range n {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err == nil {
				out = append(out, phonecfg.Phone{})
				err = decodePhone(string(rec), &out[len(out)-1])
			}
			if err != nil {
				return nil, fmt.Errorf("reading the phones' settings back from their temporary file: %w", err)
			}
		}
		return out, nil
	}, nil
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
