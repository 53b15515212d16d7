package syncdir

import "hash/maphash"

// nameIndex finds entries by name for records and listing, which keep
// their names packed (not as map keys): an open-addressed table of entry
// numbers + 1 (0 for a free slot), a power of two long and at most half
// full. nameOf gives entry i's name.
type nameIndex struct {
	slots []uint32
	seed  maphash.Seed
}

// newNameIndex makes an index for n entries.
func newNameIndex(n int) nameIndex {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return nameIndex{slots: make([]uint32, size), seed: maphash.MakeSeed()}
}

// slot is where name is, or the free slot where it would go.
func (x *nameIndex) slot(name string, nameOf func(int) string) (int, bool) {
	mask := len(x.slots) - 1
	i := int(maphash.String(x.seed, name)) & mask
	for {
		at := x.slots[i]
		if at == 0 {
			return i, false
		}
		if nameOf(int(at-1)) == name {
			return i, true
		}
		i = (i + 1) & mask
	}
}

// at is the entry in slot s (found by slot).
func (x *nameIndex) at(s int) int { return int(x.slots[s] - 1) }

// put makes slot s hold entry i.
func (x *nameIndex) put(s, i int) { x.slots[s] = uint32(i + 1) }

// find is name's entry, or -1.
func (x *nameIndex) find(name string, nameOf func(int) string) int {
	if len(x.slots) == 0 {
		return -1
	}
	if s, ok := x.slot(name, nameOf); ok {
		return x.at(s)
	}
	return -1
}
