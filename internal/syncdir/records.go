package syncdir

import (
	"hash/maphash"
	"iter"
	"strings"
	"sync"
)

// records is the manifest as Open read it, packed, and never changed
// afterwards (the plan's workers read it at once). It keeps what the plan
// asks of a record, not what the file spells out: a hash of the stat
// fields (does the file still hold what we wrote?) and the inputs digest.
// The first half of each content's SHA-256 (does new content equal it?)
// is read from the file again, all at once, the first time one is asked
// for (Dir.oldSum): a run with nothing to do never asks. Commit writes
// the records it carries over from a second read of the file
// (Dir.eachOld). The names are one string, the records a slice, the index
// open-addressed: 200,000 files take 14 MB, where a map of whole entries
// took 33.
type records struct {
	names string
	recs  []packed // in file order: a record's ord is its index
	index nameIndex
	seed  maphash.Seed // of statHash
	live  int          // names: records not replaced by a later line
	syncs []string     // sync values, each once; syncs[0] is ""
	// sums are the records' content digests (by index), once read
	// (Dir.oldSum); sumsErr why they could not be.
	sums     [][16]byte
	sumsOnce sync.Once
	sumsErr  error
}

// packed is one record of records.
type packed struct {
	off  uint32 // the name: names[off : off+nlen]
	nlen uint16
	// dead: a later line names the same file; the last one counts, as
	// when the manifest was read into a map.
	dead   bool
	stat   uint64 // statHash of the recorded stat; 0: none (read the file)
	inputs [16]byte
	sync   uint32 // index in syncs
}

// recordsBuilder gathers records as the manifest is read.
type recordsBuilder struct {
	r     records
	names strings.Builder
	syncs map[string]uint32
}

// newRecords starts records for a manifest of about size bytes (a line is
// about 170 bytes, 20 of them the name).
func newRecords(size int64) *recordsBuilder {
	b := &recordsBuilder{r: records{seed: maphash.MakeSeed(), syncs: []string{""}}, syncs: map[string]uint32{"": 0}}
	b.r.recs = make([]packed, 0, size/160+8)
	b.names.Grow(int(size/7) + 64)
	return b
}

// add appends the record of name (ord is its place: the number added
// before it); one not taken is kept in its place, for eachOld, but is no
// record.
func (b *recordsBuilder) add(name []byte, e entry, taken bool) {
	s, ok := b.syncs[e.meta.Sync]
	if !ok {
		s = uint32(len(b.r.syncs))
		b.r.syncs = append(b.r.syncs, e.meta.Sync)
		b.syncs[e.meta.Sync] = s
	}
	p := packed{off: uint32(b.names.Len()), nlen: uint16(len(name)), stat: b.r.statHash(e.stat), inputs: e.meta.Inputs, sync: s, dead: !taken}
	b.names.Write(name)
	b.r.recs = append(b.r.recs, p)
}

// done indexes the records by name.
func (b *recordsBuilder) done() *records {
	r := &b.r
	r.names = b.names.String()
	r.index = newNameIndex(len(r.recs))
	for i := range r.recs {
		if r.recs[i].dead {
			continue
		}
		slot, found := r.index.slot(r.name(i), r.name)
		if found {
			r.recs[r.index.at(slot)].dead = true
			r.live--
		}
		r.index.put(slot, i)
		r.live++
	}
	return r
}

// name is record i's name.
func (r *records) name(i int) string {
	p := &r.recs[i]
	return r.names[p.off : p.off+uint32(p.nlen)]
}

// find is the index of name's record, or -1.
func (r *records) find(name string) int { return r.index.find(name, r.name) }

// has says whether name has a record.
func (r *records) has(name string) bool { return r.find(name) >= 0 }

// all yields the names with a record and their indices, in file order.
func (r *records) all() iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		for i := range r.recs {
			if !r.recs[i].dead && !yield(r.name(i), i) {
				return
			}
		}
	}
}

// meta is record i's Meta.
func (r *records) meta(i int) Meta {
	p := &r.recs[i]
	return Meta{Inputs: p.inputs, Sync: r.syncs[p.sync]}
}

// pending says whether record i holds no stat: ours, but read the file to
// compare.
func (r *records) pending(i int) bool { return r.recs[i].stat == 0 }

// intact says whether st is the file record i describes.
func (r *records) intact(i int, st statRec) bool {
	return r.recs[i].stat != 0 && r.recs[i].stat == r.statHash(st)
}

// statHash is s hashed, never 0 but for the zero statRec (no stat).
func (r *records) statHash(s statRec) uint64 {
	if s == (statRec{}) {
		return 0
	}
	if h := maphash.Comparable(r.seed, s); h != 0 {
		return h
	}
	return 1
}
