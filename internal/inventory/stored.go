package inventory

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/spill"
)

// Stored is an inventory whose good phones are kept in a temporary file
// (package spill), not in Phones: a run of 100,000 phones (20 MB of
// entries) holds their MACs and places, 24 bytes each. Each reads them
// back in the file's order, which is the sources' (ours by MAC, the
// Endpoint Manager's by id), not sorted: sorted, a site whose phones were
// added over the years would read a phone here and one there.
type Stored struct {
	Inventory // Phones is nil
	file      *spill.File
	index     []storedPhone // the good phones, in the file's order
}

// storedPhone is where a phone's entry is in the file.
type storedPhone struct {
	mac  uint64 // macNumber
	off  int64
	call uint8 // the merger's source call it came from, from 1
	bad  bool  // listed twice in a later source: dropped by done
}

// LoadStored is Load with the good phones kept in a temporary file; Close
// it when done.
func LoadStored(ctx context.Context, db *sql.DB, have map[string]bool) (*Stored, error) {
	m := newMerger()
	m.file = spill.New("")
	inv, err := m.load(ctx, db, have)
	if err != nil {
		m.file.Close()
		return nil, err
	}
	return &Stored{Inventory: inv, file: m.file, index: m.stored}, nil
}

// Store keeps inv's phones in a temporary file (one made by spill.New
// when file is nil): a Stored for what a caller already holds.
func Store(inv Inventory, file *spill.File) (*Stored, error) {
	if file == nil {
		file = spill.New("")
	}
	st := &Stored{Inventory: inv, file: file}
	st.Phones = nil
	var buf []byte
	for i := range inv.Phones {
		buf = appendPhone(buf[:0], &inv.Phones[i])
		off, err := file.Append(buf)
		if err != nil {
			file.Close()
			return nil, err
		}
		st.index = append(st.index, storedPhone{mac: inv.Phones[i].MAC.Number(), off: off})
	}
	return st, nil
}

// Len is the number of good phones.
func (s *Stored) Len() int { return len(s.index) }

// Note says why the phones were kept in memory after all, or "".
func (s *Stored) Note() string { return s.file.Note() }

// Close releases the temporary file.
func (s *Stored) Close() { s.file.Close() }

// Each hands the good phones to fn in the file's order (see Stored), the
// same order every time; fn's first error stops it and is returned. The
// phone's strings are fn's to keep.
func (s *Stored) Each(fn func(Phone) error) error {
	c, err := s.file.Cursor()
	if err != nil {
		return err
	}
	for _, sp := range s.index {
		rec, err := c.At(sp.off)
		var p Phone
		if err == nil {
			err = decodePhone(string(rec), &p)
		}
		if err != nil {
			return fmt.Errorf("reading the inventory back from its temporary file: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// appendPhone appends p's encoding: every field (TestStoredKeepsEveryField
// fails when Phone or Line gains a field this does not carry).
func appendPhone(b []byte, p *Phone) []byte {
	for _, s := range []string{string(p.MAC), p.Model, p.Label, p.Image, p.IP, p.Source} {
		b = spill.AppendString(b, s)
	}
	b = spill.AppendInt(b, len(p.Lines))
	for _, l := range p.Lines {
		b = spill.AppendInt(b, l.N)
		b = spill.AppendString(b, l.Ext)
		b = spill.AppendString(b, l.Label)
	}
	return b
}

// decodePhone reads appendPhone's encoding in enc into p, whose strings
// are parts of enc.
func decodePhone(enc string, p *Phone) error {
	f := spill.NewFields(enc)
	p.MAC = macaddr.MAC(f.String())
	p.Model, p.Label, p.Image, p.IP, p.Source = f.String(), f.String(), f.String(), f.String(), f.String()
	p.Lines = nil
	if n := f.Count(); n > 0 {
		p.Lines = make([]Line, n)
	}
	for i := range p.Lines {
		l := &p.Lines[i]
		l.N = f.Int()
		l.Ext, l.Label = f.String(), f.String()
	}
	return f.Done()
}
