package syncdir

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// runRecs holds the records of the files this run put, accepted or wrote:
// what Commit writes of them to the manifest (200,000 of them in a full
// run of 100,000 phones), and which of them are changes (Commit makes
// Result.Changes of them, in name order, at the end). Memory holds only
// what is looked up by name or makes a Change: the names, in one string
// (which the Changes share), an open-addressed index and a few bit sets,
// 7.5 MB for 200,000 files. The rest of each record is fixed in size
// (recSize bytes: the stat, the full SHA-256 and the Meta the manifest
// line needs, the temporary file's name) and goes, once more than spillAt
// bytes of it gather, to an unnamed temporary file in the directory
// (O_TMPFILE|O_EXCL: never visible under any name, never linkable, gone
// with the descriptor); Commit reads it back. Records come in the
// callers' order (phones in MAC order), so reading them in name order is
// a few sequential passes. Where no such file can be made (a dry run, a
// file system without O_TMPFILE), the fixed parts stay in memory, packed.
// The map of whole entries, the list of staged files and the Changes made
// as the run went took 65 MB at 200,000 files.
type runRecs struct {
	names  strings.Builder // the names, one after the other
	ends   []uint32        // record i's name is names[ends[i-1]:ends[i]] (from 0 for i = 0)
	index  nameIndex
	staged bitset // record i is a file written beside its name, for Commit to rename
	gone   bitset // record i was dropped (Commit found it blocked or tampered)
	// change: record i is a change (added, or changed with the changed
	// bit); more holds the rest of a Change that has more (Foreign, a dry
	// run's contents).
	change, changed bitset
	more            map[int]Change
	// nstaged counts the staged records, nchange the changes, live the
	// records not gone.
	nstaged, nchange, live int
	syncs                  []string // sync values, each once; syncs[0] is ""
	syncIdx                map[string]uint32
	lastSync               uint32 // the sync value added last (phones in a row share one)

	dirFD int // where the file is made; -1: never (keep the records in memory)
	// fd holds records [0, flushed); -1 until the first spill.
	fd      int
	flushed int
	tail    []byte // records [flushed, len(ends))
	spillAt int    // tail's size from which it goes to the file
	// win holds records [winFrom, winFrom+len(win)/recSize) as read from fd.
	win     []byte
	winFrom int
	path    string // the directory, for messages
}

// spillAt is runRecs.spillAt: about 680 records; a run of a few files
// never makes the file.
const spillAt = 64 << 10

// window is how many records get reads from the file at once.
const window = 64 << 10 / recSize

// fixed is the part of a record that runRecs keeps out of memory.
type fixed struct {
	// rnd is the temporary file's random part (tempName); 0 when there
	// is none (not staged, or renamed or removed).
	rnd uint64
	// keepOrig: the file replaces a plain file we did not write, kept as
	// NAME + KeptSuffix.
	keepOrig bool
	e        entry
}

// recSize is the encoded size of fixed: rnd 8, size, mtime, ctime, ino 8
// each, sha256 32, inputs 16, sync 4, flags 1, 3 unused.
const recSize = 96

func newRunRecs(dirFD int, spill bool, path string) runRecs {
	r := runRecs{dirFD: -1, fd: -1, spillAt: spillAt, path: path, syncs: []string{""}, syncIdx: map[string]uint32{"": 0}}
	if spill {
		r.dirFD = dirFD
	}
	return r
}

func (r *runRecs) len() int { return len(r.ends) }

// name is record i's name.
func (r *runRecs) name(i int) string {
	from := uint32(0)
	if i > 0 {
		from = r.ends[i-1]
	}
	return r.names.String()[from:r.ends[i]]
}

// grow makes room for n more records.
func (r *runRecs) grow(n int) {
	r.ends = slices.Grow(r.ends, n)
	avg := 20 // SIP<MAC>.cnf is 19
	if len(r.ends) > 0 {
		avg = r.names.Len()/len(r.ends) + 1
	}
	r.names.Grow(n * avg)
	if 2*(len(r.ends)+n) > len(r.index.slots) {
		r.reindex(len(r.ends) + n)
	}
}

// reindex makes an index for n records and puts the records in it.
func (r *runRecs) reindex(n int) {
	r.index = newNameIndex(n)
	for i := range r.ends {
		if r.gone.has(i) {
			continue
		}
		slot, _ := r.index.slot(r.name(i), r.name)
		r.index.put(slot, i)
	}
}

// add appends the record of name, which holds f, and is the change c
// (nil for none: accepted, or blocked); on an error nothing is added.
func (r *runRecs) add(name string, f fixed, c *Change) error {
	if len(r.tail)+recSize > r.spillAt && r.dirFD >= 0 {
		if err := r.flush(); err != nil {
			return err
		}
	}
	i := len(r.ends)
	if 2*(i+1) > len(r.index.slots) {
		r.reindex(2 * (i + 1))
	}
	r.tail = r.encode(r.tail, &f, r.syncOf(f.e.meta.Sync))
	r.names.WriteString(name)
	r.ends = append(r.ends, uint32(r.names.Len()))
	if c != nil {
		r.change.set(i)
		r.nchange++
		if c.Kind == Changed {
			r.changed.set(i)
		}
		if c.Foreign != "" || c.contents != nil {
			if r.more == nil {
				r.more = map[int]Change{}
			}
			m := *c
			m.Name = "" // the record's
			r.more[i] = m
		}
	}
	slot, found := r.index.slot(name, r.name)
	if found {
		r.drop(r.index.at(slot))
	}
	r.index.put(slot, i)
	r.live++
	if f.rnd != 0 {
		r.staged.set(i)
		r.nstaged++
	}
	return nil
}

// changeOf is record i's Change (one of the change set).
func (r *runRecs) changeOf(i int) Change {
	if c, ok := r.more[i]; ok {
		c.Name = r.name(i)
		return c
	}
	c := Change{Name: r.name(i), Kind: Added}
	if r.changed.has(i) {
		c.Kind = Changed
	}
	return c
}

// find is the index of name's record (also one dropped), or -1.
func (r *runRecs) find(name string) int { return r.index.find(name, r.name) }

// has says whether name has a record that is not dropped.
func (r *runRecs) has(name string) bool {
	i := r.find(name)
	return i >= 0 && !r.gone.has(i)
}

// drop forgets record i: it is not written to the manifest.
func (r *runRecs) drop(i int) {
	if !r.gone.has(i) {
		r.gone.set(i)
		r.live--
	}
}

// unstage says no record is staged any more (all renamed or removed).
func (r *runRecs) unstage() {
	r.staged, r.nstaged = nil, 0
}

// flush writes the records gathered in memory to the file, making it
// first; with no file to be had, they stay in memory.
func (r *runRecs) flush() error {
	if r.dirFD < 0 || len(r.tail) == 0 {
		return nil
	}
	if r.fd < 0 {
		fd, err := unix.Openat(r.dirFD, ".", unix.O_RDWR|unix.O_TMPFILE|unix.O_EXCL|unix.O_CLOEXEC, 0o600)
		if err != nil {
			// Not on this file system (or not permitted): in memory.
			r.dirFD = -1
			return nil
		}
		r.fd = fd
	}
	if err := r.pwrite(r.tail, r.flushed); err != nil {
		// The file system full, say: the records stay in memory after
		// all, rather than fail a run that may write nothing.
		return r.unspill()
	}
	r.flushed += len(r.tail) / recSize
	r.tail = r.tail[:0]
	return nil
}

// unspill reads the records in the file back into memory, and keeps them
// there from now on.
func (r *runRecs) unspill() error {
	all := make([]byte, r.flushed*recSize, r.flushed*recSize+max(len(r.tail), spillAt))
	if err := r.pread(all, 0); err != nil {
		return err
	}
	r.tail = append(all, r.tail...)
	r.close()
	r.dirFD, r.flushed = -1, 0
	r.forget()
	return nil
}

// get is record i's fixed part.
func (r *runRecs) get(i int) (fixed, error) {
	var f fixed
	if i >= r.flushed {
		r.decode(r.tail[(i-r.flushed)*recSize:], &f)
		return f, nil
	}
	if i < r.winFrom || i >= r.winFrom+len(r.win)/recSize {
		n := min(window, r.flushed-i)
		if cap(r.win) < n*recSize {
			r.win = make([]byte, window*recSize)
		}
		r.win = r.win[:n*recSize]
		if err := r.pread(r.win, i); err != nil {
			r.win = r.win[:0]
			return f, err
		}
		r.winFrom = i
	}
	r.decode(r.win[(i-r.winFrom)*recSize:], &f)
	return f, nil
}

// set makes record i hold f.
func (r *runRecs) set(i int, f fixed) error {
	if i >= r.flushed {
		r.encode(r.tail[(i-r.flushed)*recSize:][:0], &f, r.syncOf(f.e.meta.Sync))
		return nil
	}
	b := r.encode(make([]byte, 0, recSize), &f, r.syncOf(f.e.meta.Sync))
	if i >= r.winFrom && i < r.winFrom+len(r.win)/recSize {
		copy(r.win[(i-r.winFrom)*recSize:], b)
	}
	return r.pwrite(b, i)
}

// readRange reads records [from, from+n) into dst (Commit's renames, a
// batch at a time). It uses no state but the file and the memory of the
// records, as does writeRange: the two run on two goroutines at once, on
// ranges that do not overlap.
func (r *runRecs) readRange(from, n int, dst []fixed, buf []byte) ([]fixed, error) {
	dst = dst[:0]
	if m := min(n, r.flushed-from); m > 0 {
		if err := r.pread(buf[:m*recSize], from); err != nil {
			return dst, err
		}
	}
	for k := range n {
		b := buf[k*recSize:]
		if i := from + k; i >= r.flushed {
			b = r.tail[(i-r.flushed)*recSize:]
		}
		var f fixed
		r.decode(b, &f)
		dst = append(dst, f)
	}
	return dst, nil
}

// writeRange writes records [from, from+len(src)); buf holds their
// encoding. See readRange.
func (r *runRecs) writeRange(from int, src []fixed, buf []byte) error {
	buf = buf[:0]
	for k := range src {
		// The sync values are all known: looked up, not added (this
		// runs beside the goroutine that reads).
		buf = r.encode(buf, &src[k], r.syncIdx[src[k].e.meta.Sync])
	}
	inFile := max(0, min(len(src), r.flushed-from))
	if inFile < len(src) {
		copy(r.tail[(from+inFile-r.flushed)*recSize:], buf[inFile*recSize:])
	}
	if inFile > 0 {
		return r.pwrite(buf[:inFile*recSize], from)
	}
	return nil
}

// forget drops the window read from the file (after writeRange changed it).
func (r *runRecs) forget() { r.win, r.winFrom = r.win[:0], 0 }

// sorted is the records not dropped, by index, in name order.
func (r *runRecs) sorted() []uint32 {
	order := make([]uint32, 0, r.live)
	for i := range r.ends {
		if !r.gone.has(i) {
			order = append(order, uint32(i))
		}
	}
	slices.SortFunc(order, func(x, y uint32) int { return strings.Compare(r.name(int(x)), r.name(int(y))) })
	return order
}

// close releases the file.
func (r *runRecs) close() {
	if r.fd >= 0 {
		unix.Close(r.fd)
		r.fd = -1
	}
}

func (r *runRecs) fail(err error) error {
	return fmt.Errorf("keeping this run's records in %s (an unnamed temporary file): %w", r.path, err)
}

func (r *runRecs) pwrite(b []byte, rec int) error {
	off := int64(rec) * recSize
	for len(b) > 0 {
		n, err := unix.Pwrite(r.fd, b, off)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return r.fail(err)
		}
		b, off = b[n:], off+int64(n)
	}
	return nil
}

func (r *runRecs) pread(b []byte, rec int) error {
	off := int64(rec) * recSize
	for len(b) > 0 {
		n, err := unix.Pread(r.fd, b, off)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return r.fail(err)
		}
		if n == 0 {
			return r.fail(errors.New("shorter than written"))
		}
		b, off = b[n:], off+int64(n)
	}
	return nil
}

// encode appends f's recSize bytes to b; sync is the number of its sync
// value (syncOf).
func (r *runRecs) encode(b []byte, f *fixed, sync uint32) []byte {
	le := binary.LittleEndian
	b = le.AppendUint64(b, f.rnd)
	b = le.AppendUint64(b, uint64(f.e.stat.size))
	b = le.AppendUint64(b, uint64(f.e.stat.mtime))
	b = le.AppendUint64(b, uint64(f.e.stat.ctime))
	b = le.AppendUint64(b, f.e.stat.ino)
	b = append(b, f.e.sum[:]...)
	b = append(b, f.e.meta.Inputs[:]...)
	b = le.AppendUint32(b, sync)
	var flags byte
	if f.keepOrig {
		flags = 1
	}
	return append(b, flags, 0, 0, 0)
}

// decode reads f from b's first recSize bytes.
func (r *runRecs) decode(b []byte, f *fixed) {
	le := binary.LittleEndian
	b = b[:recSize]
	f.rnd = le.Uint64(b)
	f.e.stat = statRec{size: int64(le.Uint64(b[8:])), mtime: int64(le.Uint64(b[16:])), ctime: int64(le.Uint64(b[24:])), ino: le.Uint64(b[32:])}
	copy(f.e.sum[:], b[40:72])
	copy(f.e.meta.Inputs[:], b[72:88])
	f.e.meta.Sync = r.syncs[le.Uint32(b[88:])]
	f.keepOrig = b[92]&1 != 0
}

// syncOf is the number of sync value s, given one if it has none.
func (r *runRecs) syncOf(s string) uint32 {
	if r.syncs[r.lastSync] == s {
		return r.lastSync
	}
	n, ok := r.syncIdx[s]
	if !ok {
		n = uint32(len(r.syncs))
		r.syncs = append(r.syncs, s)
		r.syncIdx[s] = n
	}
	r.lastSync = n
	return n
}

// bitset is a set of small integers; the zero one is empty.
type bitset []uint64

func (b *bitset) set(i int) {
	for i/64 >= len(*b) {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

func (b bitset) has(i int) bool {
	return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0
}

// anyIn says whether one of [from, to) is in b.
func (b bitset) anyIn(from, to int) bool {
	for i := from; i < to; i++ {
		if i%64 == 0 && i+64 <= to {
			if i/64 >= len(b) {
				return false
			}
			if b[i/64] == 0 {
				i += 63
				continue
			}
		}
		if b.has(i) {
			return true
		}
	}
	return false
}
