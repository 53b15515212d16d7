package provision

import (
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

// appendPhone appends p's encoding: every field (TestPhoneStoreRoundTrip
// fails when Phone or Line gains a field this does not carry).
func appendPhone(b []byte, p *phonecfg.Phone) []byte {
	retired := 0
	if p.Retired {
		retired = 1
	}
	for _, s := range []string{string(p.MAC), p.Model, p.Label, p.Image, p.Sync} {
		b = spill.AppendString(b, s)
	}
	b = spill.AppendInt(b, retired)
	b = spill.AppendInt(b, len(p.Lines))
	for _, l := range p.Lines {
		b = spill.AppendInt(b, l.N)
		for _, s := range []string{l.Name, l.Password, l.DisplayName, l.ShortName, l.Proxy} {
			b = spill.AppendString(b, s)
		}
		b = spill.AppendInt(b, l.Port)
		b = spill.AppendString(b, l.Tech)
	}
	return b
}

// decodePhone reads appendPhone's encoding in enc into p, whose strings
// are parts of enc.
func decodePhone(enc string, p *phonecfg.Phone) error {
	f := spill.NewFields(enc)
	p.MAC = macaddr.MAC(f.String())
	p.Model, p.Label, p.Image, p.Sync = f.String(), f.String(), f.String(), f.String()
	p.Retired = f.Int() == 1
	p.Lines = nil
	if n := f.Count(); n > 0 {
		p.Lines = make([]phonecfg.Line, n)
	}
	for i := range p.Lines {
		l := &p.Lines[i]
		l.N = f.Int()
		l.Name, l.Password, l.DisplayName, l.ShortName, l.Proxy = f.String(), f.String(), f.String(), f.String(), f.String()
		l.Port = f.Int()
		l.Tech = f.String()
	}
	return f.Done()
}
