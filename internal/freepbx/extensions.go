package freepbx

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// Extensions are FreePBX's SIP devices by id (devices.id), packed: their
// text (ids, names, secrets) in one string and 24 bytes more each, sorted
// by id and found by binary search. 100,000 devices take 8 MB; a map of
// Extension values took 15, held with the rest of a run's read.
type Extensions struct {
	text string
	recs []extRec // sorted by id, no id twice
}

// extRec is one device: where its text is, and its small fields.
type extRec struct {
	idOff, nameOff, secretOff uint32
	idLen                     uint8
	nameLen, secretLen        uint16
	pjsip, md5Cred            bool
	driver                    Driver
	maxContacts               uint8
	register                  Register
}

// Len is the number of devices.
func (x *Extensions) Len() int { return len(x.recs) }

// Get is the device of that id.
func (x *Extensions) Get(id string) (Extension, bool) {
	i, ok := x.find(id)
	if !ok {
		return Extension{}, false
	}
	return x.at(i), true
}

// All yields every device, by id.
func (x *Extensions) All() iter.Seq[Extension] {
	return func(yield func(Extension) bool) {
		for i := range x.recs {
			if !yield(x.at(i)) {
				return
			}
		}
	}
}

func (x *Extensions) find(id string) (int, bool) {
	return slices.BinarySearchFunc(x.recs, id, func(r extRec, id string) int {
		return strings.Compare(x.text[r.idOff:r.idOff+uint32(r.idLen)], id)
	})
}

// findBytes is find for an id read as sql.RawBytes, without a string of
// it.
func (x *Extensions) findBytes(id []byte) (int, bool) {
	return slices.BinarySearchFunc(x.recs, id, func(r extRec, id []byte) int {
		s := x.text[r.idOff : r.idOff+uint32(r.idLen)]
		for i := range min(len(s), len(id)) {
			if s[i] != id[i] {
				return cmp.Compare(s[i], id[i])
			}
		}
		return cmp.Compare(len(s), len(id))
	})
}

// at is record i as an Extension, its strings parts of text.
func (x *Extensions) at(i int) Extension {
	r := &x.recs[i]
	e := Extension{
		ID:          x.text[r.idOff : r.idOff+uint32(r.idLen)],
		Tech:        "sip",
		Name:        x.text[r.nameOff : r.nameOff+uint32(r.nameLen)],
		Secret:      x.text[r.secretOff : r.secretOff+uint32(r.secretLen)],
		MD5Cred:     r.md5Cred,
		Driver:      r.driver,
		MaxContacts: r.maxContacts,
		Register:    r.register,
	}
	if r.pjsip {
		e.Tech = "pjsip"
	}
	return e
}

// ExtensionsOf packs the devices of m, each under its key (its ID), for
// callers and tests that make them by hand. A device of a tech other than
// "sip" and "pjsip", an id over 255 bytes or a name or secret over 65,535
// are not FreePBX's, and ExtensionsOf panics on them.
func ExtensionsOf(m map[string]Extension) Extensions {
	var b extBuilder
	for id, e := range m {
		e.ID = id
		if err := b.add(e); err != nil {
			panic("freepbx: " + err.Error())
		}
	}
	return b.done()
}

// extBuilder packs devices as Read finds them: add, then sorted, then
// updated through find and set, then done.
type extBuilder struct {
	text   strings.Builder
	recs   []extRec
	sorted bool
}

// add appends e (its Name, Secret and small fields); a later add of the
// same id wins, as a map's assignment did. An id over 255 bytes, or a
// name or secret over 65,535, is an error (FreePBX's columns are 20, 50
// and 8,100 wide: a table changed by hand).
func (b *extBuilder) add(e Extension) error {
	r := extRec{register: e.Register, md5Cred: e.MD5Cred, driver: e.Driver, maxContacts: e.MaxContacts}
	switch e.Tech {
	case "sip":
	case "pjsip":
		r.pjsip = true
	default:
		return fmt.Errorf("device %s: tech %q is not sip or pjsip", e.ID, e.Tech)
	}
	var n int
	var err error
	if r.idOff, n, err = b.put(e.ID, 255, "id", e.ID); err != nil {
		return err
	}
	r.idLen = uint8(n)
	if r.nameOff, n, err = b.put(e.Name, 65535, "name", e.ID); err != nil {
		return err
	}
	r.nameLen = uint16(n)
	if r.secretOff, n, err = b.put(e.Secret, 65535, "secret", e.ID); err != nil {
		return err
	}
	r.secretLen = uint16(n)
	b.recs = append(b.recs, r)
	b.sorted = false
	return nil
}

// put appends s (at most max bytes, what of device id) to the text and
// says where it is.
func (b *extBuilder) put(s string, max int, what, id string) (uint32, int, error) {
	if len(s) > max {
		return 0, 0, fmt.Errorf("device %.40q: its %s is %d bytes, more than the %d setup-cisco holds", id, what, len(s), max)
	}
	off := uint32(b.text.Len())
	b.text.WriteString(s)
	return off, len(s), nil
}

// view is the Extensions built so far (sorted).
func (b *extBuilder) view() Extensions {
	if !b.sorted {
		x := &Extensions{text: b.text.String(), recs: b.recs}
		id := func(r extRec) string { return x.text[r.idOff : r.idOff+uint32(r.idLen)] }
		// Stable, then the last of each id kept: a later add wins.
		slices.SortStableFunc(b.recs, func(p, q extRec) int { return cmp.Compare(id(p), id(q)) })
		out := b.recs[:0]
		for i, r := range b.recs {
			if i+1 < len(b.recs) && id(b.recs[i+1]) == id(r) {
				continue
			}
			out = append(out, r)
		}
		clear(b.recs[len(out):])
		b.recs = out
		b.sorted = true
	}
	return Extensions{text: b.text.String(), recs: b.recs}
}

// get is the device of that id, and where it is (for set).
func (b *extBuilder) get(id []byte) (Extension, int, bool) {
	x := b.view()
	i, ok := x.findBytes(id)
	if !ok {
		return Extension{}, -1, false
	}
	return x.at(i), i, true
}

// set makes device i (from get, its id unchanged) e: its small fields, and
// its name and secret where they changed (too long: an error, as add).
func (b *extBuilder) set(i int, e Extension) error {
	x := b.view()
	old := x.at(i)
	r := &b.recs[i]
	r.pjsip, r.md5Cred, r.driver, r.maxContacts, r.register = e.Tech == "pjsip", e.MD5Cred, e.Driver, e.MaxContacts, e.Register
	if e.Name != old.Name {
		off, n, err := b.put(e.Name, 65535, "name", old.ID)
		if err != nil {
			return err
		}
		r.nameOff, r.nameLen = off, uint16(n)
	}
	if e.Secret != old.Secret {
		off, n, err := b.put(e.Secret, 65535, "secret", old.ID)
		if err != nil {
			return err
		}
		r.secretOff, r.secretLen = off, uint16(n)
	}
	return nil
}

func (b *extBuilder) done() Extensions { return b.view() }
