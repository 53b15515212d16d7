// Package syncdir makes a directory hold a given set of files, the way a
// TFTP root must be updated while phones may be reading it, and while other
// local users may be able to write it (the how-to's chmod 777 /tftpboot):
//
//   - a reader sees each file whole, old or new, never half written: each
//     new content goes to a temporary file beside its target, created with
//     its final mode, and is renamed over the target once every temporary
//     file is on disk (one batched sync); the directory is synced after;
//   - a file whose content is unchanged is not touched (mtime, inode stay);
//   - only files this package wrote are ever removed: it keeps their names in
//     a manifest (.setup-cisco-files) across runs;
//   - a run killed at any point leaves every file whole; the next run
//     removes the temporary files it left and finishes the job;
//   - every operation is relative to one descriptor of the directory and
//     never follows a symbolic link: openat(2) with O_NOFOLLOW, fchmod(2) on
//     the open file, renameat(2), unlinkat(2), linkat(2) without
//     AT_SYMLINK_FOLLOW. A symbolic link, device, FIFO or multiply linked
//     file where one of our files goes is "not ours": it is never read,
//     never shown, and is replaced atomically (Result.Replaced says so).
//
// Files are written 0644: readable by a TFTP daemon running as another user,
// never world-writable.
//
// A run is Open, then Put (or Compare and Accept/Write) for each file in
// turn, then Commit: the caller can stream thousands of files through
// without holding their contents. Sync does all of it for a list of files.
package syncdir

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

const (
	// Manifest lists the files we wrote, one name per line.
	Manifest = ".setup-cisco-files"
	// tempPrefix marks our temporary files, so a later run can remove the
	// ones a killed run left behind.
	tempPrefix = ".setup-cisco-tmp-"
	// The state files' temporary files are "." + name + ".tmp-" + digits
	// (safefs.Dir.WriteFile; renameio's "." + name + digits in earlier
	// versions): "..setup-cisco-files.tmp-3f2a...".
	manifestTempPrefix = "..setup-cisco"
	FileMode           = 0o644
	// maxRead bounds what is read of a file already in the directory: a
	// phone's config file is a few KiB; anything this large is not ours.
	maxRead = 16 << 20
	// maxState bounds what is read of our own state: the manifest holds
	// about 180 bytes per file, 36 MB for 100,000 phones.
	maxState = 1 << 30
)

// File is one file the directory must hold.
type File struct {
	Name string
	Data []byte
}

// Kind of change.
type Kind int

const (
	Added Kind = iota
	Changed
	Removed
)

func (k Kind) String() string {
	return [...]string{"added", "changed", "removed"}[k]
}

// Change is one file added, changed or removed. Old and New give the
// contents for a diff in a dry run (nil otherwise, and Old is nil where
// there was nothing of ours to show: see Foreign).
type Change struct {
	Name string
	Kind Kind
	// Foreign says why what was there is not shown or kept: "a symbolic
	// link", "not a regular file", "linked elsewhere too"; "" for a plain
	// file.
	Foreign string
	// contents is old and new, in a dry run only: behind a pointer, since
	// a real run of 100,000 phones has 200,000 changes.
	contents *[2][]byte
}

// Old is what the file held, when a dry run read it; nil otherwise.
func (c Change) Old() []byte {
	if c.contents == nil {
		return nil
	}
	return c.contents[0]
}

// New is what a dry run would write; nil otherwise.
func (c Change) New() []byte {
	if c.contents == nil {
		return nil
	}
	return c.contents[1]
}

// SyncMode chooses how new contents reach the disk before the renames.
type SyncMode int

const (
	// SyncAuto, the default, uses SyncParallel for a few files and SyncFS
	// for many: one syncfs(2) replaces thousands of fsyncs (measured with
	// 4,000 files: each 3.1 s, parallel 2.3 s, syncfs 1.6 s; see
	// BenchmarkSync), while for the usual cron run that changes a file or
	// two, fsyncing them alone does not flush the rest of the file system.
	SyncAuto SyncMode = iota
	// SyncParallel fsyncs every temporary file, several at a time, so the
	// file system can commit them together.
	SyncParallel
	// SyncEach fsyncs the temporary files one after the other.
	SyncEach
	// SyncFS writes all temporary files, then calls syncfs(2) once.
	SyncFS
)

// autoSyncFS is the batch size from which SyncAuto uses syncfs.
const autoSyncFS = 64

// Options for Open and Sync.
type Options struct {
	// Keep names files of ours that must stay exactly as they are although
	// they are not in the new set (a phone whose rows are bad this run).
	Keep []string
	// DryRun computes the changes and touches nothing; the changes carry
	// the old and new contents, unless NoContents.
	DryRun bool
	// NoContents: a dry run's changes carry no contents (Change.Old and
	// New are nil): a dry run of 100,000 new phones held every file's
	// (200 MB) for a diff nobody asked for.
	NoContents bool
	Sync       SyncMode
	// ManifestLater: Open reads only the listing, and the caller calls
	// ReadManifest before anything else. A caller that holds much else
	// while it opens the directory (the database rows of 100,000 phones)
	// reads the manifest once that is gone, so the two never take memory
	// at once.
	ManifestLater bool
	// CopyDir is a directory only this user can write (root's
	// /var/lib/setup-cisco), where a copy of the manifest is kept while
	// the directory is one other users can write without the sticky bit:
	// any of them can remove the manifest there, and with it what the
	// next run must know (the files of removed phones, the sync values
	// phones run). A run that finds the manifest gone or not ours reads
	// the copy, and takes from it only the records of files still exactly
	// as recorded. "" for none.
	CopyDir string
}

// Result says what was done (or would be, with DryRun).
type Result struct {
	Changes   []Change
	Unchanged int
	// Cleaned counts temporary files of a killed run that were removed.
	Cleaned int
	// ModeFixed lists unchanged files whose mode was set back to 0644.
	ModeFixed []string
	// Kept lists files we did not write (an admin's hand-made
	// SIPDefault.cnf, say) that were replaced; each original is kept as
	// NAME + KeptSuffix.
	Kept []string
	// Replaced lists, as "NAME (why)", what stood where one of our files
	// goes and was not ours to read or keep (a symbolic link planted in a
	// world-writable root, say): it was replaced by our file, atomically.
	// Our state files ignored for the same reason are listed too.
	Replaced []string
	// Blocked lists the files not written because a directory stands
	// where each goes (not ours to remove); NotWritten names them.
	Blocked []string
	// Tampered lists, as "NAME (what)", files that something not ours
	// replaced between their writing and their renaming (a world-writable
	// root); NotWritten names them. They are not recorded as ours.
	Tampered []string
	// Written lists the files of the directory this run changed on disk
	// (replaced, removed, mode set), in order; on an error, the ones
	// changed before it.
	Written []string
	// Warnings are said on stderr: the manifest read from its copy
	// (Options.CopyDir), a copy that could not be kept.
	Warnings []string
}

// KeptSuffix names the copy of a file we replaced without having written it.
const KeptSuffix = ".before-setup-cisco"

// Meta is what the caller records with a file in the manifest, for its
// next run: a digest of the inputs the file was made from, so an unchanged
// file need not be made again, and the phone's sync value it holds.
type Meta struct {
	Inputs [16]byte
	Sync   string // letters, digits, '.', '_', '-'; "" for none
}

// Record is what the manifest holds about one file of ours.
type Record struct {
	Meta
	// Intact: the file in the directory is the very one recorded (same
	// inode, size, times, mode 0644, regular, ours), so it holds what we
	// wrote.
	Intact bool
	// Pending: recorded without what was on disk (a name about to appear
	// when a run was killed, or ours while a directory stood there).
	Pending bool
}

// Dir is one directory being brought up to date.
type Dir struct {
	path    string
	sfs     *safefs.Dir // the directory; its single-file atomic write is ours too
	fd      int         // sfs's descriptor
	o       Options
	uid     int
	dirMode uint32 // and its mode bits, as Open found them
	// copyDir is Options.CopyDir, open, when it is private; copyName the
	// name of this directory's copy of the manifest in it.
	copyDir  *safefs.Dir
	copyName string
	// rewrite: the manifest (and its copy) must be written even if no
	// record changed: the manifest was not the copy's, or no copy was
	// kept yet. dropCopy: a copy no longer kept (the directory is closed
	// to others now) is removed, so that it never goes stale.
	rewrite, dropCopy bool
	fchmod            bool     // the umask would strip bits of FileMode
	old               *records // as Open read it, never changed: workers read it
	oldFD             int      // the manifest old was read from, for Commit to read again; -1 for none
	tmpFD             int      // a dry run's temporary directory, for its records (-1: none)
	oldRead           bool     // old is read
	// run holds the records of the files put, accepted or written, and
	// which of them are staged: written beside their names, for Commit to
	// rename.
	run runRecs
	// reused marks old's records (by index) that are in the next
	// manifest as they are; nreused counts them.
	reused  []uint64
	nreused int
	present listing  // the listing: names and their type bits
	entries []string // Entries, once sorted
	names   []string // Names, once sorted
	keep    map[string]bool
	// looked holds what Compare learnt of a file, for Accept and Write.
	looked map[string]look
	// sumAsks counts the intact files Compare was asked about (sumAsksRead).
	sumAsks int
	// unrecorded are the changes of files Write failed to write.
	unrecorded []Change
	pending    []int // open temporary files awaiting fdatasync (SyncParallel)
	mode       SyncMode
	res        Result
	done       bool
}

type look struct {
	st      unix.Stat_t
	exists  bool
	foreign string
	old     []byte // contents, when read (dry run only, for the diff)
	sum     [sha256.Size]byte
}

// staged is a file written beside its name, to be renamed over it.
type staged struct {
	name string
	rnd  uint64 // the temporary name's random part (tempName); 0 once renamed or removed
}

// staged yields the staged files, in the order they were staged (records
// that cannot be read back end it).
func (d *Dir) staged(yield func(int, staged) bool) {
	r := &d.run
	for i := range r.len() {
		if !r.staged.has(i) {
			continue
		}
		f, err := r.get(i)
		if err != nil || !yield(i, staged{name: r.name(i), rnd: f.rnd}) {
			return
		}
	}
}

// temp is the temporary file's name, or "" once it is gone.
func (s *staged) temp() string {
	if s.rnd == 0 {
		return ""
	}
	return tempName(s.name, s.rnd)
}

// tempName is the name of a temporary file for name: tempPrefix, name, a
// dot, rnd in base 36.
func tempName(name string, rnd uint64) string {
	return tempPrefix + name + "." + strconv.FormatUint(rnd, 36)
}

// Open reads the directory's listing and manifest. Unless DryRun, it also
// removes temporary files a killed run left.
func Open(dir string, o Options) (*Dir, error) {
	sfs, err := safefs.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", dir, err)
	}
	d := &Dir{path: dir, sfs: sfs, fd: sfs.Fd(), oldFD: -1, old: newRecords(0).done(), o: o, uid: os.Geteuid(), keep: map[string]bool{},
		looked: map[string]look{}, mode: o.Sync}
	d.tmpFD = -1
	if o.DryRun {
		// Nothing is made in the directory, not even a nameless file:
		// a dry run's records go to one in $TMPDIR, where it can.
		if tfd, err := unix.Open(os.TempDir(), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
			d.tmpFD = tfd
		}
		d.run = newRunRecs(d.tmpFD, d.tmpFD >= 0, os.TempDir())
	} else {
		d.run = newRunRecs(d.fd, true, dir)
	}
	d.fchmod = FileMode&^umask() != FileMode
	var st unix.Stat_t
	if err := unix.Fstat(d.fd, &st); err != nil {
		d.Close()
		return nil, fmt.Errorf("opening %s: %w", dir, err)
	}
	d.dirMode = st.Mode
	if o.CopyDir != "" {
		d.copyName = fmt.Sprintf("manifest-%d-%d", st.Dev, st.Ino)
		d.openCopyDir()
	}
	for _, k := range o.Keep {
		d.keep[k] = true
	}
	if d.present, err = d.list(); err != nil {
		d.Close()
		return nil, err
	}
	if !o.ManifestLater {
		if err := d.ReadManifest(); err != nil {
			d.Close()
			return nil, err
		}
	}
	if !o.DryRun {
		if err := d.cleanTemps(); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

// ReadManifest reads the manifest, when Open did not (ManifestLater).
func (d *Dir) ReadManifest() error {
	if d.oldRead {
		return nil
	}
	if err := d.readManifest(); err != nil {
		return err
	}
	d.oldRead = true
	// The record after this run is old's reused records and run's: every
	// file handled is in one of them, once. An unchanged file costs no
	// second copy (100,000 phones: 34 MB).
	d.reused = make([]uint64, (len(d.old.recs)+63)/64)
	return nil
}

// Close releases the directory; after a failed or abandoned run it removes
// the temporary files it made.
func (d *Dir) Close() {
	if d.fd < 0 {
		return
	}
	for _, fd := range d.pending {
		unix.Close(fd)
	}
	d.pending = nil
	if d.oldFD >= 0 {
		unix.Close(d.oldFD)
		d.oldFD = -1
	}
	if d.tmpFD >= 0 {
		unix.Close(d.tmpFD)
		d.tmpFD = -1
	}
	if d.copyDir != nil {
		d.copyDir.Close()
		d.copyDir = nil
	}
	if !d.done {
		for _, s := range d.staged {
			if s.rnd != 0 {
				unix.Unlinkat(d.fd, s.temp(), 0)
			}
		}
	}
	d.run.close()
	d.sfs.Close()
	d.fd = -1
}

// Path is the directory's name as given to Open.
func (d *Dir) Path() string { return d.path }

// Names lists the directory's entries that are regular files (from the
// listing read by Open), sorted. The caller must not change the slice.
func (d *Dir) Names() []string {
	if d.names == nil {
		d.names = make([]string, 0, d.present.len())
		for n, typ := range d.present.all() {
			if typ.IsRegular() {
				d.names = append(d.names, n)
			}
		}
	}
	return slices.Clip(d.names)
}

// Files yields the names Names lists, without making the list.
func (d *Dir) Files() iter.Seq[string] {
	return func(yield func(string) bool) {
		for n, typ := range d.present.all() {
			if typ.IsRegular() && !yield(n) {
				return
			}
		}
	}
}

// Entries lists every entry of the directory as Open found it (files,
// links, subdirectories; no temporary file of ours), sorted. The caller
// must not change the slice.
func (d *Dir) Entries() []string {
	if d.entries == nil {
		d.entries = make([]string, 0, d.present.len())
		for n := range d.present.all() {
			d.entries = append(d.entries, n)
		}
	}
	return slices.Clip(d.entries)
}

func (d *Dir) list() (listing, error) {
	var b listingBuilder
	if err := d.eachEntry(b.add); err != nil {
		return listing{}, err
	}
	return b.done(), nil
}

// eachEntry calls fn for each entry of the directory as it is now ("." and
// ".." left out), with its type bits (fs.ModeIrregular when the file system
// does not say). It reads with getdents(2) into one buffer, on a descriptor
// of its own from the start: a name is only made a string by fn, when it
// needs one (os.File.ReadDir made an entry for each of 20,000 names). name
// is valid only during the call.
func (d *Dir) eachEntry(fn func(name []byte, typ fs.FileMode)) error {
	dup, err := unix.Dup(d.fd)
	if err != nil {
		return fmt.Errorf("reading %s: %w", d.path, err)
	}
	defer unix.Close(dup)
	// A dup shares the offset: read from the start.
	if _, err := unix.Seek(dup, 0, io.SeekStart); err != nil {
		return fmt.Errorf("reading %s: %w", d.path, err)
	}
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Getdents(dup, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", d.path, err)
		}
		if n <= 0 {
			return nil
		}
		for rec := buf[:n]; len(rec) >= 19; {
			// struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name.
			reclen := int(binary.NativeEndian.Uint16(rec[16:18]))
			if reclen < 19 || reclen > len(rec) {
				break
			}
			dt, name := rec[18], rec[19:reclen]
			rec = rec[reclen:]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			if dt == unix.DT_UNKNOWN {
				// A file system that does not say: ask it. A dirent type
				// is the stat type's high bits (DT_REG = S_IFREG >> 12).
				var st unix.Stat_t
				if unix.Fstatat(d.fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
					dt = uint8(st.Mode & unix.S_IFMT >> 12)
				}
			}
			typ := fs.ModeIrregular
			switch dt {
			case unix.DT_REG:
				typ = 0
			case unix.DT_DIR:
				typ = fs.ModeDir
			case unix.DT_LNK:
				typ = fs.ModeSymlink
			case unix.DT_FIFO:
				typ = fs.ModeNamedPipe
			case unix.DT_SOCK:
				typ = fs.ModeSocket
			case unix.DT_CHR:
				typ = fs.ModeDevice | fs.ModeCharDevice
			case unix.DT_BLK:
				typ = fs.ModeDevice
			}
			fn(name, typ)
		}
	}
}

// Known tells what the manifest records of name, and whether the file is
// still the one recorded; ok is false for a file that is not ours.
func (d *Dir) Known(name string) (r Record, ok bool) {
	i := d.old.find(name)
	if i < 0 {
		return Record{}, false
	}
	r.Meta = d.old.meta(i)
	r.Pending = d.old.pending(i)
	if typ, present := d.present.typ(name); r.Pending || !present || !typ.IsRegular() {
		return r, true
	}
	var st unix.Stat_t
	if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return r, true
	}
	r.Intact = d.old.intact(i, recordStat(&st, d.uid)) && st.Mode&0o7777 == FileMode
	return r, true
}

// Reuse keeps name, which Known found intact, exactly as it is, with its
// record: the caller knows its inputs did not change.
func (d *Dir) Reuse(name string) error {
	if err := d.claim(name); err != nil {
		return err
	}
	if !d.old.has(name) {
		return fmt.Errorf("syncdir: %s reused without a record of it", name)
	}
	d.reuse(name)
	d.res.Unchanged++
	return nil
}

// ReadFile returns the contents of name in the directory, read without
// following a symbolic link and only when it is a plain file of its own
// (regular, one link) owned by this user or root;
// otherwise why says what it is. A missing file is fs.ErrNotExist. In a
// root others can write, a file another user put there is not read for
// what it says (a planted syncinfo.xml or RINGLIST.DAT would stop every
// run, or steer it); it is replaced like any file that is not ours.
func (d *Dir) ReadFile(name string) (data []byte, why string, err error) {
	data, st, why, err := d.read(name, false)
	if err == nil && why == "" && !d.trusted(st.Uid) {
		return nil, fmt.Sprintf("owned by uid %d, another user", st.Uid), nil
	}
	return data, why, err
}

// trusted says whether a file of owner uid may be read for what it says:
// ours or root's. Not the directory owner's: a root owned by the TFTP
// daemon's user (chown nobody /srv/tftp, as how-tos say) gets that owner's
// files from any TFTP client's upload.
func (d *Dir) trusted(uid uint32) bool {
	return int(uid) == d.uid || uid == 0
}

// open opens name as read does and checks what it is; fd is -1 when it
// is not there (fs.ErrNotExist), not readable (err) or not a file to read
// (why).
func (d *Dir) open(name string, mine bool) (fd int, st unix.Stat_t, why string, err error) {
	fd, err = unix.Openat(d.fd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	switch {
	case errors.Is(err, unix.ENOENT):
		return -1, st, "", fs.ErrNotExist
	case errors.Is(err, unix.ELOOP):
		return -1, st, "a symbolic link", nil
	case errors.Is(err, unix.ENXIO):
		return -1, st, "not a regular file", nil
	case err != nil:
		return -1, st, "", fmt.Errorf("reading %s: %w", filepath.Join(d.path, name), err)
	}
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, st, "", fmt.Errorf("reading %s: %w", filepath.Join(d.path, name), err)
	}
	limit := int64(maxRead)
	if mine {
		limit = maxState
	}
	switch {
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		why = "not a regular file"
	case st.Nlink != 1:
		why = "linked elsewhere too"
	case mine && int(st.Uid) != d.uid:
		why = fmt.Sprintf("owned by uid %d, not by this user", st.Uid)
	case mine && st.Mode&0o022 != 0:
		why = fmt.Sprintf("mode %04o: others could write it", st.Mode&0o7777)
	case st.Size > limit:
		why = fmt.Sprintf("%d bytes, too large", st.Size)
	}
	if why != "" {
		unix.Close(fd)
		return -1, st, why, nil
	}
	return fd, st, "", nil
}

// read opens name with O_NOFOLLOW|O_NONBLOCK (a FIFO must not block us) and
// reads it if it is a regular file with one link (and, with mine, owned by
// us). why is set instead for anything else.
func (d *Dir) read(name string, mine bool) (data []byte, st unix.Stat_t, why string, err error) {
	var fd int
	if fd, st, why, err = d.open(name, mine); fd < 0 {
		return nil, st, why, err
	}
	defer unix.Close(fd)
	limit := int64(maxRead)
	if mine {
		limit = maxState
	}
	data = make([]byte, 0, st.Size+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := unix.Read(fd, data[len(data):cap(data)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, st, "", fmt.Errorf("reading %s: %w", filepath.Join(d.path, name), err)
		}
		if n == 0 {
			break
		}
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			return nil, st, "too large", nil
		}
	}
	return data, st, "", nil
}

// claim checks name and that it is handled once.
func (d *Dir) claim(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if d.handled(name) {
		return fmt.Errorf("file %q would be written twice", name)
	}
	return nil
}

// reuse marks name's old record as its record after the run.
func (d *Dir) reuse(name string) {
	if i := d.old.find(name); i >= 0 && !d.isReused(i) {
		d.reused[i/64] |= 1 << (i % 64)
		d.nreused++
	}
}

// isReused says whether old's record i is marked reused.
func (d *Dir) isReused(i int) bool {
	return d.reused[i/64]&(1<<(i%64)) != 0
}

// handled says whether name has its record for after the run.
func (d *Dir) handled(name string) bool {
	if d.run.has(name) {
		return true
	}
	i := d.old.find(name)
	return i >= 0 && d.isReused(i)
}

// unchanged says whether the record after the run is the one Open read,
// in the manifest.
func (d *Dir) unchanged() bool {
	r := &d.run
	if d.rewrite || d.nreused+r.live != d.old.live {
		return false
	}
	for j := range r.len() {
		if r.gone.has(j) {
			continue
		}
		f, err := r.get(j)
		if err != nil {
			return false // written again, with what can be read
		}
		if i := d.old.find(r.name(j)); i < 0 || !d.oldSame(i, f.e) {
			return false
		}
	}
	return true
}

// Compare tells whether name holds data; it does not change anything.
// Follow it with Accept (same) or Write (to change it).
func (d *Dir) Compare(name string, data []byte) (same bool, err error) {
	if err := checkName(name); err != nil {
		return false, err
	}
	if d.handled(name) {
		return false, fmt.Errorf("file %q would be written twice", name)
	}
	l := look{sum: sha256.Sum256(data)}
	defer func() { d.looked[name] = l }()
	typ, present := d.present.typ(name)
	if !present {
		return false, nil
	}
	l.exists = true
	if !typ.IsRegular() {
		l.foreign = foreignType(typ)
		return false, nil
	}
	// The file is as we left it (same inode, size, times): its content is
	// the one recorded, no need to read it (but for a dry run's diff).
	if i := d.old.find(name); i >= 0 && !d.old.pending(i) {
		if err := unix.Fstatat(d.fd, name, &l.st, unix.AT_SYMLINK_NOFOLLOW); err == nil && d.old.intact(i, recordStat(&l.st, d.uid)) {
			// The first few (the shared files of every run) are read:
			// the digests are read at the first that is not.
			if d.sumAsks++; d.sumAsks > sumAsksRead {
				sum, err := d.oldSum(i)
				if err != nil {
					return false, err
				}
				if same := [16]byte(l.sum[:16]) == sum; same || !d.o.DryRun {
					return same, nil
				}
			}
		}
	}
	cur, st, why, err := d.read(name, false)
	if errors.Is(err, fs.ErrNotExist) {
		l.exists = false
		return false, nil
	}
	if err != nil {
		return false, err
	}
	l.st, l.foreign = st, why
	if why != "" {
		return false, nil
	}
	if d.o.DryRun && !d.o.NoContents {
		l.old = cur
	}
	return bytes.Equal(cur, data), nil
}

func foreignType(t fs.FileMode) string {
	if t&fs.ModeSymlink != 0 {
		return "a symbolic link"
	}
	return "not a regular file"
}

// Accept records name, which Compare found the same, as unchanged.
func (d *Dir) Accept(name string, m Meta) error {
	l, ok := d.looked[name]
	if !ok {
		return fmt.Errorf("syncdir: %s accepted without a comparison", name)
	}
	if err := d.claim(name); err != nil {
		return err
	}
	if err := d.run.add(name, fixed{e: entry{stat: recordStat(&l.st, d.uid), sum: l.sum, meta: m}}, nil); err != nil {
		return err
	}
	delete(d.looked, name)
	d.res.Unchanged++
	if l.st.Mode&0o7777 != FileMode {
		d.res.ModeFixed = append(d.res.ModeFixed, name)
	}
	return nil
}

// Write stages data as the new content of name (after Compare found it
// different): in a real run it is written to a temporary file beside name
// now, and renamed over name by Commit.
func (d *Dir) Write(name string, data []byte, m Meta) error {
	l, ok := d.looked[name]
	typ, present := d.present.typ(name)
	old := d.old.find(name)
	ours := old >= 0
	if present && typ.IsDir() {
		// A rename cannot replace a directory, and it is not ours to
		// remove: the other files go ahead, Commit names this one.
		if err := d.claim(name); err != nil {
			return err
		}
		if ours {
			// Still ours once the directory is gone (a retired phone's
			// file must be reset then): the record stays, without the
			// stat, so the next run reads what it finds.
			if err := d.run.add(name, fixed{e: entry{meta: d.old.meta(old)}}, nil); err != nil {
				return err
			}
		}
		delete(d.looked, name)
		d.res.Blocked = append(d.res.Blocked, name)
		return nil
	}
	switch {
	case ok:
	case !present:
		// Not compared, and not there: nothing to read.
	case !d.o.DryRun && ours && typ.IsRegular():
		// Ours, to be replaced: no need to read it (a dry run reads it
		// for the diff).
		l.exists = true
	default:
		if _, err := d.Compare(name, data); err != nil {
			return err
		}
		l = d.looked[name]
	}
	l.sum = sha256.Sum256(data)
	if err := d.claim(name); err != nil {
		return err
	}
	delete(d.looked, name)
	c := Change{Name: name, Kind: Added}
	if l.exists {
		c.Kind = Changed
	}
	if l.foreign != "" {
		c.Foreign = l.foreign
		d.res.Replaced = append(d.res.Replaced, Shown(name)+" ("+l.foreign+")")
	}
	if d.o.DryRun {
		if !d.o.NoContents {
			c.contents = &[2][]byte{l.old, data}
		}
		return d.run.add(name, fixed{e: entry{sum: l.sum, meta: m}}, &c)
	}
	rnd, err := d.writeTemp(name, data)
	if err != nil {
		d.unrecorded = append(d.unrecorded, c)
		return err
	}
	// The stat is recorded after the rename, by Commit; the size tells it
	// the file is the one written.
	f := fixed{rnd: rnd, keepOrig: c.Kind == Changed && !ours && l.foreign == "",
		e: entry{stat: statRec{size: int64(len(data))}, sum: l.sum, meta: m}}
	if err := d.run.add(name, f, &c); err != nil {
		unix.Unlinkat(d.fd, tempName(name, rnd), 0)
		return err
	}
	return nil
}

// Put makes name hold data: Compare, then Accept or Write.
func (d *Dir) Put(name string, data []byte, m Meta) error {
	same, err := d.Compare(name, data)
	if err != nil {
		return err
	}
	if same {
		return d.Accept(name, m)
	}
	return d.Write(name, data, m)
}

// writeTemp creates a new temporary file beside name with the final mode
// (createTemp), writes data and, depending on the sync mode, syncs and
// closes it.
func (d *Dir) writeTemp(name string, data []byte) (rnd uint64, err error) {
	if d.mode == SyncAuto && d.run.nstaged+1 >= autoSyncFS {
		d.syncFS()
	}
	rnd, fd, err := d.createTemp(name, data)
	if err != nil {
		return 0, err
	}
	switch d.mode {
	case SyncEach:
		if err := unix.Fdatasync(fd); err != nil {
			unix.Close(fd)
			unix.Unlinkat(d.fd, tempName(name, rnd), 0)
			return 0, fmt.Errorf("syncing %s: %w", filepath.Join(d.path, tempName(name, rnd)), err)
		}
	case SyncAuto, SyncParallel:
		d.pending = append(d.pending, fd)
		if len(d.pending) >= 256 {
			if err := d.flushPending(); err != nil {
				return 0, err
			}
		}
		return rnd, nil
	}
	if err := unix.Close(fd); err != nil {
		unix.Unlinkat(d.fd, tempName(name, rnd), 0)
		return 0, fmt.Errorf("closing %s: %w", filepath.Join(d.path, tempName(name, rnd)), err)
	}
	return rnd, nil
}

// syncFS switches a SyncAuto run to one syncfs at Commit (many files)
// instead of an fsync each.
func (d *Dir) syncFS() {
	d.mode = SyncFS
	for _, p := range d.pending {
		unix.Close(p)
	}
	d.pending = nil
}

// createTemp creates a new temporary file beside name with the final mode
// (O_EXCL|O_NOFOLLOW: nothing planted under a temporary name is opened) and
// writes data to it; the file is left open. It touches no state of d, so
// Prestage can call it from several goroutines.
func (d *Dir) createTemp(name string, data []byte) (rnd uint64, fd int, err error) {
	var temp string
	for try := 0; ; try++ {
		rnd = rand.Uint64()>>20 | 1
		temp = tempName(name, rnd)
		fd, err = unix.Openat(d.fd, temp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, FileMode)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EEXIST) || try == 10 {
			return 0, -1, fmt.Errorf("creating a temporary file in %s: %w", d.path, err)
		}
	}
	fail := func(what string, err error) (uint64, int, error) {
		unix.Close(fd)
		unix.Unlinkat(d.fd, temp, 0)
		return 0, -1, fmt.Errorf("%s %s: %w", what, filepath.Join(d.path, temp), err)
	}
	if d.fchmod {
		if err := unix.Fchmod(fd, FileMode); err != nil {
			return fail("setting the mode of", err)
		}
	}
	for rest := data; len(rest) > 0; {
		n, err := unix.Write(fd, rest)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fail("writing", err)
		}
		rest = rest[n:]
	}
	return rnd, fd, nil
}

// Prestaged is a new file's content, written by Prestage to a temporary
// file beside it, for Adopt.
type Prestaged struct {
	name string
	rnd  uint64 // the temporary name's random part; 0 once adopted or discarded
	sum  [sha256.Size]byte
	size int64
}

// Many tells the directory that about n files will be written, and says
// whether Prestage can be used: only in a real run whose new contents are
// made durable by one syncfs(2) at Commit (SyncAuto with n >= 64, or SyncFS),
// since Prestage closes each file unsynced.
func (d *Dir) Many(n int) bool {
	if d.o.DryRun {
		return false
	}
	if d.mode == SyncAuto && n >= autoSyncFS {
		d.syncFS()
	}
	if d.mode != SyncFS {
		return false
	}
	// Room for them at once, not grown (and copied) step by step.
	d.run.grow(n)
	return true
}

// Prestage writes data to a temporary file beside name when nothing of
// that name is in the directory's listing (a new file, nothing to compare
// with); otherwise it returns nil and the caller uses Put. It is safe to
// call from several goroutines at once, also while one other goroutine
// uses the Dir, but only after Many returned true. Each result must be
// given to Adopt or Discard.
func (d *Dir) Prestage(name string, data []byte) (*Prestaged, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if _, present := d.present.typ(name); present {
		return nil, nil
	}
	rnd, fd, err := d.createTemp(name, data)
	if err != nil {
		return nil, err
	}
	if err := unix.Close(fd); err != nil {
		unix.Unlinkat(d.fd, tempName(name, rnd), 0)
		return nil, fmt.Errorf("closing %s: %w", filepath.Join(d.path, tempName(name, rnd)), err)
	}
	return &Prestaged{name: name, rnd: rnd, sum: sha256.Sum256(data), size: int64(len(data))}, nil
}

// Adopt stages a prestaged file as name's new content (added: nothing was
// there), to be renamed into place by Commit, as Write does.
func (d *Dir) Adopt(p *Prestaged, m Meta) error {
	if err := d.claim(p.name); err != nil {
		d.Discard(p)
		return err
	}
	f := fixed{rnd: p.rnd, e: entry{stat: statRec{size: p.size}, sum: p.sum, meta: m}}
	if err := d.run.add(p.name, f, &Change{Kind: Added}); err != nil {
		d.Discard(p)
		return err
	}
	delete(d.looked, p.name)
	p.rnd = 0
	return nil
}

// Discard removes a prestaged file that will not be adopted.
func (d *Dir) Discard(p *Prestaged) {
	if p != nil && p.rnd != 0 {
		unix.Unlinkat(d.fd, tempName(p.name, p.rnd), 0)
		p.rnd = 0
	}
}

// flushPending fdatasyncs the open temporary files, several at a time so
// the file system can commit them together, and closes them.
func (d *Dir) flushPending() error {
	fds := d.pending
	d.pending = nil
	const workers = 16
	ch := make(chan int)
	var first error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < workers && i < len(fds); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for fd := range ch {
				if err := unix.Fdatasync(fd); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("syncing a temporary file in %s: %w", d.path, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, fd := range fds {
		ch <- fd
	}
	close(ch)
	wg.Wait()
	for _, fd := range fds {
		if err := unix.Close(fd); err != nil && first == nil {
			first = fmt.Errorf("closing a temporary file in %s: %w", d.path, err)
		}
	}
	return first
}

// Pending says whether Commit would change anything: a file put with new
// content, or a file of ours to remove.
func (d *Dir) Pending() bool {
	if d.run.nchange > 0 || len(d.unrecorded) > 0 {
		return true
	}
	for name, i := range d.old.all() {
		if !d.run.has(name) && !d.isReused(i) && !d.keep[name] {
			if _, present := d.present.typ(name); present {
				return true
			}
		}
	}
	return false
}

// Commit makes the staged contents durable, renames them into place,
// removes the files of ours no longer wanted, sets modes back, and records
// the manifest. With DryRun it only reports.
func (d *Dir) Commit() (Result, error) {
	res := &d.res
	// Files of ours neither put nor kept go; kept ones stay as they are.
	var removes []string
	var others []Change // the removals
	for name, i := range d.old.all() {
		if d.run.has(name) || d.isReused(i) {
			continue
		}
		if d.keep[name] {
			d.reuse(name)
			continue
		}
		typ, present := d.present.typ(name)
		if !present {
			continue
		}
		c := Change{Name: name, Kind: Removed}
		if !typ.IsRegular() {
			// Not the file we wrote: not ours to remove; forget it.
			res.Replaced = append(res.Replaced, Shown(name)+" ("+foreignType(typ)+", left alone)")
			continue
		}
		if d.o.DryRun {
			cur, why, err := d.ReadFile(name)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				res.Changes = d.changes(nil, others)
				return *res, err
			}
			c.Foreign = why
			if !d.o.NoContents {
				c.contents = &[2][]byte{cur, nil}
			}
		}
		others = append(others, c)
		removes = append(removes, name)
	}
	r := &d.run
	order := r.sorted()
	res.Changes = d.changes(order, others)
	others = nil
	if d.o.DryRun {
		d.done = true
		return *res, nil
	}
	if d.dropCopy {
		d.removeCopy()
	}
	if r.nstaged == 0 && len(removes) == 0 && len(res.ModeFixed) == 0 && d.unchanged() {
		d.done = true
		return *res, nil
	}

	// Everything new on disk before the first rename.
	if err := d.flushPending(); err != nil {
		return *res, err
	}
	if d.mode == SyncFS && r.nstaged > 0 {
		if err := unix.Syncfs(d.fd); err != nil {
			return *res, fmt.Errorf("syncfs %s: %w", d.path, err)
		}
	}
	// New names are recorded as ours before they appear, so a run killed
	// after the renames still knows them; their entries, like those of
	// files about to change, hold no record, so the next run reads them.
	// One pass over the records in name order (sorted once, for the
	// changes and both manifests) finds the new names and the files about
	// to change.
	var added []uint32
	changing := make([]uint64, len(d.reused))
	for _, j := range order {
		if !r.staged.has(int(j)) {
			continue
		}
		if i := d.old.find(r.name(int(j))); i >= 0 {
			changing[i/64] |= 1 << (i % 64)
		} else {
			added = append(added, j)
		}
	}
	if len(added) > 0 {
		// Every record of the old manifest, but the files about to
		// change (name only), and the new names (name only).
		keep := func(i int) (bool, bool) { return true, changing[i/64]&(1<<(i%64)) != 0 }
		if err := d.writeManifest(keep, added, func(uint32) (entry, error) { return entry{}, nil }, true); err != nil {
			return *res, err
		}
	}
	added = nil
	if err := d.swap(); err != nil {
		return *res, d.failed(err)
	}
	for _, name := range removes {
		if err := unix.Unlinkat(d.fd, name, 0); err != nil && !errors.Is(err, unix.ENOENT) {
			return *res, d.failed(fmt.Errorf("removing %s: %w", filepath.Join(d.path, name), err))
		}
		res.Written = append(res.Written, name)
	}
	for _, name := range res.ModeFixed {
		if err := d.fixMode(name); err != nil {
			return *res, d.failed(err)
		}
		res.Written = append(res.Written, name)
		// Record what is now on disk: the chmod moved the change time.
		if err := d.restat(name); err != nil {
			return *res, d.failed(err)
		}
	}
	// The reused records as they were, and the run's (but those dropped
	// since).
	order = slices.DeleteFunc(order, func(j uint32) bool { return r.gone.has(int(j)) })
	reused := func(i int) (bool, bool) { return d.isReused(i), false }
	rec := func(j uint32) (entry, error) {
		f, err := r.get(int(j))
		return f.e, err
	}
	if err := d.writeManifest(reused, order, rec, false); err != nil {
		return *res, d.failed(err)
	}
	// One directory sync for the renames, removals and the manifest.
	if err := unix.Fsync(d.fd); err != nil {
		return *res, d.failed(fmt.Errorf("syncing directory %s: %w", d.path, err))
	}
	d.done = true
	return *res, nil
}

// changes is Result.Changes: the run's changes and others. With order
// (the records in name order) they are in name order, as Commit gives
// them; without, in the order they were made (a run that failed before
// Commit).
func (d *Dir) changes(order []uint32, others []Change) []Change {
	r := &d.run
	all := make([]Change, 0, r.nchange+len(d.unrecorded)+len(others))
	if order == nil {
		for i := range r.len() {
			if r.change.has(i) {
				all = append(all, r.changeOf(i))
			}
		}
		all = append(all, d.unrecorded...)
		return append(all, others...)
	}
	others = append(slices.Clone(d.unrecorded), others...)
	slices.SortFunc(others, func(a, b Change) int { return strings.Compare(a.Name, b.Name) })
	for _, j := range order {
		if !r.change.has(int(j)) {
			continue
		}
		c := r.changeOf(int(j))
		for len(others) > 0 && others[0].Name < c.Name {
			all, others = append(all, others[0]), others[1:]
		}
		all = append(all, c)
	}
	return append(all, others...)
}

// NotWritten is the error naming the files the run could not put in place
// (Result.Blocked, Result.Tampered), or nil: Commit does the rest, and the
// caller says everything else before failing with this.
func (d *Dir) NotWritten() error {
	var msgs []string
	list := func(names []string) string {
		const show = 5
		more := ""
		if len(names) > show {
			more = fmt.Sprintf(" and %d more", len(names)-show)
			names = names[:show]
		}
		shown := make([]string, len(names))
		for i, n := range names {
			shown[i] = Shown(n)
		}
		return strings.Join(shown, ", ") + more
	}
	if b := d.res.Blocked; len(b) > 0 {
		msgs = append(msgs, fmt.Sprintf("%d file(s) not written in %s: a directory stands where each goes, not setup-cisco's to remove (remove it): %s", len(b), d.path, list(b)))
	}
	if t := d.res.Tampered; len(t) > 0 {
		msgs = append(msgs, fmt.Sprintf("%d file(s) in %s replaced during the run by something not setup-cisco's, before they were in place: %s; other users can write the directory (chmod 755 it); the next run replaces them", len(t), d.path, list(t)))
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

// swap renames the staged files into place (keeping the original of a
// plain file we did not write, once). Each file's record is taken after
// its rename, which moves its change time. Written lists the files swapped in
// staged order, also on an error (then the rest keep their temporary
// names for failed to remove).
func (d *Dir) swap() error {
	res := &d.res
	r := &d.run
	if err := r.flush(); err != nil {
		return err
	}
	// This goroutine renames, in order: the kernel serializes renames in
	// one directory, and a second renamer only spins on its lock (the same
	// 0.10-0.13 s for 20,000 files on tmpfs, with more CPU). Another takes
	// the records behind it, a batch of records at a time (a stat takes no
	// lock), and writes them back. A few batches are in hand at once.
	const batch = 256
	type outcome struct{ kept, renamed bool }
	type work struct {
		from int
		recs []fixed
		out  [batch]outcome
		buf  []byte // recs encoded
	}
	free := make(chan *work, 4)
	for range cap(free) {
		free <- &work{recs: make([]fixed, 0, batch), buf: make([]byte, batch*recSize)}
	}
	todo := make(chan *work, cap(free))
	// Every staged file is written (a kept original or two aside): room
	// for them at once, not grown step by step (100,000 phones: 3.2 MB).
	res.Written = slices.Grow(res.Written, r.nstaged)
	var tampered []int
	var werr error
	stats := make(chan struct{})
	go func() {
		defer close(stats)
		for w := range todo {
			for k := range w.recs {
				i, f := w.from+k, &w.recs[k]
				if !r.staged.has(i) {
					continue
				}
				name := r.name(i)
				if w.out[k].kept {
					res.Written = append(res.Written, name+KeptSuffix)
				}
				if f.keepOrig {
					res.Kept = append(res.Kept, name)
				}
				if !w.out[k].renamed {
					continue
				}
				f.rnd = 0
				res.Written = append(res.Written, name)
				var st unix.Stat_t
				why := ""
				if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
					why = "gone: " + err.Error()
				} else if why = d.notOurs(&st, f.e.stat.size); why == "" {
					f.e.stat = recordStat(&st, d.uid)
				}
				if why != "" {
					// Not ours: never removed by a later run (the phone
					// gone), and looked at by Exposure.
					res.Tampered = append(res.Tampered, Shown(name)+" ("+why+")")
					tampered = append(tampered, i)
				}
			}
			if err := r.writeRange(w.from, w.recs, w.buf); err != nil && werr == nil {
				werr = err
			}
			free <- w
		}
	}()
	var first error
	for from := 0; from < r.len(); from += batch {
		n := min(batch, r.len()-from)
		if !r.staged.anyIn(from, from+n) {
			continue
		}
		w := <-free
		w.from, w.out = from, [batch]outcome{}
		var err error
		if w.recs, err = r.readRange(from, n, w.recs, w.buf); err != nil {
			free <- w
			if first == nil {
				first = err
			}
			break
		}
		for k := range w.recs {
			i, f := from+k, &w.recs[k]
			if !r.staged.has(i) || first != nil {
				continue
			}
			name := r.name(i)
			if f.keepOrig {
				// Taking over a plain file someone else wrote: keep the
				// original (a hard link, so nothing is copied), once.
				// linkat without AT_SYMLINK_FOLLOW never follows a link.
				err := unix.Linkat(d.fd, name, d.fd, name+KeptSuffix, 0)
				if err != nil && !errors.Is(err, unix.EEXIST) {
					first = fmt.Errorf("keeping the original of %s: %w", filepath.Join(d.path, name), err)
					continue
				}
				w.out[k].kept = err == nil
			}
			if err := unix.Renameat(d.fd, tempName(name, f.rnd), d.fd, name); err != nil {
				if errors.Is(err, unix.EISDIR) || errors.Is(err, unix.ENOTEMPTY) || errors.Is(err, unix.EEXIST) {
					// A directory appeared where the file goes since the
					// listing: as Write does with one that was there.
					unix.Unlinkat(d.fd, tempName(name, f.rnd), 0)
					f.rnd = 0
					res.Blocked = append(res.Blocked, name)
					r.drop(i)
					continue
				}
				first = fmt.Errorf("replacing %s: %w", filepath.Join(d.path, name), err)
				continue
			}
			w.out[k].renamed = true
		}
		// The records of the files in place are taken, also after an
		// error.
		todo <- w
	}
	close(todo)
	<-stats
	r.forget()
	for _, i := range tampered {
		r.drop(i)
	}
	if first == nil {
		first = werr
	}
	if len(res.Blocked) > 0 {
		// Not written after all: not a change.
		blocked := map[string]bool{}
		for _, b := range res.Blocked {
			blocked[b] = true
		}
		res.Changes = slices.DeleteFunc(res.Changes, func(c Change) bool { return blocked[c.Name] && c.Kind != Removed })
		res.Replaced = slices.DeleteFunc(res.Replaced, func(r string) bool {
			for b := range blocked {
				if strings.HasPrefix(r, Shown(b)+" (") {
					return true
				}
			}
			return false
		})
	}
	if first != nil {
		return first
	}
	r.unstage()
	return nil
}

// notOurs says what st (of a file we just renamed into place, size bytes)
// is when it is not the plain file of ours we wrote, or "".
func (d *Dir) notOurs(st *unix.Stat_t, size int64) string {
	switch {
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		return "a symbolic link"
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		return "not a regular file"
	case st.Nlink != 1:
		return "linked elsewhere too"
	case int(st.Uid) != d.uid:
		return fmt.Sprintf("owned by uid %d", st.Uid)
	case st.Size != size:
		return fmt.Sprintf("%d bytes, not the %d written", st.Size, size)
	}
	return ""
}

// restat records name as it is now on disk (after Commit changed it), or
// with no record (read it next time) when it is not the file expected.
func (d *Dir) restat(name string) error {
	i := d.run.find(name)
	if i < 0 || d.run.gone.has(i) {
		return nil
	}
	f, err := d.run.get(i)
	if err != nil {
		return err
	}
	var st unix.Stat_t
	size := f.e.stat.size
	f.e.stat = statRec{}
	if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil && st.Size == size {
		f.e.stat = recordStat(&st, d.uid)
	}
	return d.run.set(i, f)
}

// failed removes the temporary files not yet renamed and returns err.
func (d *Dir) failed(err error) error {
	for _, s := range d.staged {
		if s.rnd != 0 {
			unix.Unlinkat(d.fd, s.temp(), 0)
		}
	}
	d.run.unstage()
	d.done = true
	return err
}

// fixMode sets name's mode to FileMode on the open file, after checking it
// is still a regular file of one link: a symbolic link swapped in since the
// comparison is never followed.
func (d *Dir) fixMode(name string) error {
	fd, err := unix.Openat(d.fd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		return fmt.Errorf("setting mode of %s: %w", filepath.Join(d.path, name), err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fmt.Errorf("setting mode of %s: %w", filepath.Join(d.path, name), err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 1 {
		return fmt.Errorf("setting mode of %s: it was replaced during the run", filepath.Join(d.path, name))
	}
	if err := unix.Fchmod(fd, FileMode); err != nil {
		return fmt.Errorf("setting mode of %s: %w", filepath.Join(d.path, name), err)
	}
	// The record is taken after the chmod, by Commit.
	if i := d.run.find(name); i >= 0 && !d.run.gone.has(i) {
		f, err := d.run.get(i)
		if err != nil {
			return err
		}
		f.e.stat.size = st.Size
		return d.run.set(i, f)
	}
	return nil
}

// cleanTemps removes temporary files a killed run left in the directory
// (unlinkat removes the name only, whatever it is).
func (d *Dir) cleanTemps() error {
	for name, typ := range d.present.all() {
		if !strings.HasPrefix(name, tempPrefix) && !strings.HasPrefix(name, manifestTempPrefix) {
			continue
		}
		err := unix.Unlinkat(d.fd, name, 0)
		if err != nil && !errors.Is(err, unix.ENOENT) {
			// Not a file a run of ours left: a directory another user
			// made under such a name, say. It is in no one's way (our
			// temporary names are random): left alone, and said.
			why := "cannot be removed: " + err.Error()
			if typ.IsDir() {
				why = "a directory"
			}
			d.res.Replaced = append(d.res.Replaced, Shown(name)+" ("+why+", left alone)")
			continue
		}
		d.present.remove(name)
		d.res.Cleaned++
	}
	return nil
}

// ReadState returns the contents of one of our own state files in the
// directory (.setup-cisco-*), or nil when there is none. A state file that
// is not a plain file of ours (owned by this user, one link) is ignored as
// absent and said in why: it may have been planted.
func (d *Dir) ReadState(name string) (data []byte, why string, err error) {
	data, _, why, err = d.read(name, true)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	}
	return data, why, err
}

// WriteState replaces one of our state files atomically (temporary file
// beside it, synced, renamed; the directory synced), private to us (0600).
func (d *Dir) WriteState(name string, data []byte) error {
	if !strings.HasPrefix(name, ".setup-cisco") {
		return fmt.Errorf("syncdir: %s is not a state file name", name)
	}
	return d.writePrivate(name, data, true)
}

// RemoveState removes one of our state files that is no longer used, when
// it is a plain file of ours; anything else under that name is left alone.
func (d *Dir) RemoveState(name string) {
	if !strings.HasPrefix(name, ".setup-cisco") {
		return
	}
	var st unix.Stat_t
	if unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && recordStat(&st, d.uid) != (statRec{}) {
		unix.Unlinkat(d.fd, name, 0)
	}
}

// Keep adds names of files of ours that must stay exactly as they are
// although this run does not put them (see Options.Keep).
func (d *Dir) Keep(names ...string) {
	for _, n := range names {
		d.keep[n] = true
	}
}

// writePrivate replaces name with data, mode 0600, through the project's
// one single-file atomic write (safefs.Dir.WriteFile: a new file beside it
// created O_EXCL|O_NOFOLLOW, flushed, renamed over it); the directory is
// synced after unless the caller syncs it itself.
func (d *Dir) writePrivate(name string, data []byte, syncDir bool) error {
	if err := d.sfs.WriteFile(name, data, 0o600, safefs.WriteOptions{NoDirSync: !syncDir}); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(d.path, name), err)
	}
	return nil
}

// checkName refuses names that are not plain file names in the directory,
// or that collide with our own state files.
func checkName(name string) error {
	switch {
	case name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00"):
		return fmt.Errorf("invalid file name %q", name)
	case strings.HasPrefix(name, ".setup-cisco") || strings.HasPrefix(name, manifestTempPrefix):
		return fmt.Errorf("file name %q is reserved for setup-cisco's own state", name)
	}
	return nil
}

// Sync makes dir hold exactly files (and the Keep ones): Open, Put each,
// Commit.
func Sync(dir string, files []File, o Options) (Result, error) {
	seen := map[string]bool{}
	for _, f := range files {
		if err := checkName(f.Name); err != nil {
			return Result{}, err
		}
		if seen[f.Name] {
			return Result{}, fmt.Errorf("file %q would be written twice", f.Name)
		}
		seen[f.Name] = true
	}
	d, err := Open(dir, o)
	if err != nil {
		return Result{}, err
	}
	defer d.Close()
	for _, f := range files {
		if err := d.Put(f.Name, f.Data, Meta{}); err != nil {
			res := d.res
			res.Changes = d.changes(nil, nil)
			return res, err
		}
	}
	res, err := d.Commit()
	if err == nil {
		err = d.NotWritten()
	}
	return res, err
}

// umask is the process's file mode creation mask, from /proc (reading it
// with umask(2) would change it for a moment); 022 when unknown.
func umask() uint32 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0o022
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "Umask:"); ok {
			if m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32); err == nil {
				return uint32(m)
			}
		}
	}
	return 0o022
}

// statRec is enough to know, without reading a file, that it still holds
// what we wrote: an edit, a copy over it or a touch changes the inode, size
// or change time (which a user cannot set back).
type statRec struct {
	size, mtime, ctime int64
	ino                uint64
}

func recordStat(st *unix.Stat_t, uid int) statRec {
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 1 || int(st.Uid) != uid {
		return statRec{}
	}
	return statRec{size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: st.Ino}
}

// entry is what the manifest records of a file we wrote. A zero stat
// means "ours, but read it to compare".
type entry struct {
	stat statRec
	sum  [sha256.Size]byte
	meta Meta
}

// The manifest is text, one file per line:
//
//	name [size mtime ctime inode sha256 [inputs sync]]
//
// A name alone (an older manifest, or a file about to be replaced) means
// the file must be read to compare; inputs (32 hex digits) and sync ("-"
// for none) are the caller's Meta.
//
// readManifest reads it into d.old, and keeps it open for eachOld.
func (d *Dir) readManifest() error {
	d.old = newRecords(0).done()
	// Where others can remove or replace the manifest, its private copy
	// is the record; the manifest only where there is none.
	if taken, err := d.readCopy(); taken || err != nil {
		return err
	}
	fd, st, why, err := d.open(Manifest, true)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if why != "" {
		// Not ours: every file is then "not written by us", which keeps
		// originals and removes nothing.
		d.res.Replaced = append(d.res.Replaced, Manifest+" ("+why+", ignored)")
	}
	// Others can remove the manifest and there is no copy yet: one is
	// written, even if nothing else changes.
	d.rewrite = d.copyDir != nil && d.copyWanted()
	if fd < 0 {
		return nil
	}
	b := newRecords(st.Size)
	if err := d.scanManifest(fd, func(name []byte, e entry) { b.add(name, e, true) }); err != nil {
		unix.Close(fd)
		return err
	}
	d.old, d.oldFD = b.done(), fd
	return nil
}

// openCopyDir opens Options.CopyDir, creating it (mode 0700) where a copy
// is to be kept, and keeps it only when it is a directory of this user's
// that no one else can write.
func (d *Dir) openCopyDir() {
	dir := d.o.CopyDir
	if d.copyWanted() {
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			d.res.Warnings = append(d.res.Warnings, fmt.Sprintf("no copy of %s kept: %v", filepath.Join(d.path, Manifest), err))
			return
		}
	}
	parent, err := safefs.Open(filepath.Dir(dir))
	if err != nil {
		return
	}
	defer parent.Close()
	cd, err := parent.OpenDir(filepath.Base(dir))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.res.Warnings = append(d.res.Warnings, fmt.Sprintf("no copy of %s kept: %v", filepath.Join(d.path, Manifest), err))
		}
		return
	}
	var st unix.Stat_t
	if err := unix.Fstat(cd.Fd(), &st); err != nil || int(st.Uid) != d.uid || st.Mode&0o022 != 0 {
		cd.Close()
		d.res.Warnings = append(d.res.Warnings, fmt.Sprintf("no copy of %s kept: %s is not a private directory of this user's (owner %d, mode %04o); fix: rm -r %s",
			filepath.Join(d.path, Manifest), dir, st.Uid, st.Mode&0o7777, dir))
		return
	}
	d.copyDir = cd
}

// copyWanted says whether the manifest needs a copy elsewhere: others can
// remove it (the directory is writable by group or others, without the
// sticky bit).
func (d *Dir) copyWanted() bool {
	return d.dirMode&0o022 != 0 && d.dirMode&unix.S_ISVTX == 0
}

// readCopy reads the copy of the manifest as the record, where one is
// kept (copyWanted), and says whether it did. Only the records of files
// that are still ours are taken: a plain file of this user's, with one
// link, exactly as recorded (same inode, size, times), or holding the
// content recorded (another user may rename our file away and back, which
// moves its change time). So a copy older than the manifest, or one of
// another directory that had the same device and inode, says nothing
// false. The manifest is written again unless it is the copy byte for
// byte: gone, not ours, another file renamed over it, or an older one put
// back.
func (d *Dir) readCopy() (bool, error) {
	if d.copyDir == nil {
		return false, nil
	}
	fd, err := unix.Openat(d.copyDir.Fd(), d.copyName, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return false, nil // no copy (or not a file): as without one
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || int(st.Uid) != d.uid ||
		st.Nlink != 1 || st.Mode&0o022 != 0 || st.Size > maxState || !d.copyWanted() {
		// Not a copy of ours; or the directory is closed to others now,
		// and the manifest is the record: the copy goes at Commit.
		unix.Close(fd)
		d.dropCopy = true
		return false, nil
	}
	b := newRecords(st.Size)
	taken, all := 0, 0
	err = d.scanManifest(fd, func(name []byte, e entry) {
		all++
		e, ok := d.stillOurs(string(name), e)
		if ok {
			taken++
		}
		b.add(name, e, ok)
	})
	if err != nil {
		unix.Close(fd)
		return false, err
	}
	d.old, d.oldFD = b.done(), fd
	if !d.manifestIsCopy(st.Size) {
		d.rewrite = true
		d.res.Warnings = append(d.res.Warnings, fmt.Sprintf("%s is gone, not ours or not the one the last run wrote (others can write %s): the records of %d file(s) taken from its copy, %s",
			filepath.Join(d.path, Manifest), d.path, taken, d.copyDir.Join(d.copyName)))
	} else if taken != all {
		d.rewrite = true
	}
	return true, nil
}

// stillOurs says whether the file a record of the copy names is still the
// one recorded (see readCopy); the record is returned without its stat
// when only the content tells (the next run reads it to compare).
func (d *Dir) stillOurs(name string, e entry) (entry, bool) {
	typ, present := d.present.typ(name)
	if !present || !typ.IsRegular() || e.stat == (statRec{}) {
		return e, false
	}
	var st unix.Stat_t
	if unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && recordStat(&st, d.uid) == e.stat {
		return e, true
	}
	data, _, why, err := d.read(name, true)
	if err != nil || why != "" || sha256.Sum256(data) != e.sum {
		return e, false
	}
	e.stat = statRec{}
	return e, true
}

// manifestIsCopy says whether the manifest in the directory is a plain file
// of ours holding exactly the copy's size bytes as the copy (oldFD).
func (d *Dir) manifestIsCopy(size int64) bool {
	fd, st, why, err := d.open(Manifest, true)
	if err != nil || why != "" {
		return false
	}
	defer unix.Close(fd)
	if st.Size != size {
		return false
	}
	if _, err := unix.Seek(d.oldFD, 0, io.SeekStart); err != nil {
		return false
	}
	x, y := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, errA := io.ReadFull(fdReader(fd), x)
		m, errB := io.ReadFull(fdReader(d.oldFD), y)
		if n != m || !bytes.Equal(x[:n], y[:m]) {
			return false
		}
		if errA != nil || errB != nil {
			return errA == errB
		}
	}
}

// scanManifest reads the manifest open on fd from its start, a line at a
// time (never whole: 35 MB at 100,000 phones), and calls fn with each
// record in file order: its name (valid only during the call) and entry.
func (d *Dir) scanManifest(fd int, fn func(name []byte, e entry)) error {
	if _, err := unix.Seek(fd, 0, io.SeekStart); err != nil {
		return fmt.Errorf("reading %s: %w", filepath.Join(d.path, Manifest), err)
	}
	r := bufio.NewReaderSize(fdReader(fd), 64<<10)
	// The fields are parsed in place: nothing becomes a string but a sync
	// value (100,000 phones would make 1.4 million).
	var f [][]byte
	var long []byte
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer (a sync value a phone's file
			// held, of any length): gathered whole, as Commit wrote it.
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = r.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading %s: %w", filepath.Join(d.path, Manifest), err)
		}
		f = fields(f[:0], bytes.TrimSuffix(line, []byte{'\n'}))
		// A name longer than any file's (NAME_MAX, 255 bytes) is no
		// record of a file.
		if len(f) > 0 && f[0][0] != '#' && len(f[0]) <= 255 && checkName(string(f[0])) == nil {
			fn(f[0], parseEntry(f[1:]))
		}
		if err != nil {
			return nil
		}
	}
}

// sumAsksRead is how many files Compare finds intact that it reads rather
// than read every record's digest (oldSum): more than a run's shared files.
const sumAsksRead = 16

// oldSum is the first half of the SHA-256 of the content old's record i
// holds: the first call reads every record's from the manifest again
// (eachOld), which a run with nothing to do never needs.
func (d *Dir) oldSum(i int) ([16]byte, error) {
	r := d.old
	r.sumsOnce.Do(func() {
		sums := make([][16]byte, len(r.recs))
		r.sumsErr = d.eachOld(func(i int, _ []byte, e entry) error {
			sums[i] = [16]byte(e.sum[:16])
			return nil
		})
		if r.sumsErr == nil {
			r.sums = sums
		}
	})
	if r.sumsErr != nil {
		return [16]byte{}, r.sumsErr
	}
	return r.sums[i], nil
}

// oldSame says whether e (a record made this run) is old's record i as it
// is; not when the record cannot be read again.
func (d *Dir) oldSame(i int, e entry) bool {
	r := d.old
	if r.intact(i, e.stat) && r.meta(i) == e.meta {
		sum, err := d.oldSum(i)
		return err == nil && sum == [16]byte(e.sum[:16])
	}
	return e.stat == (statRec{}) && r.pending(i) && r.meta(i) == e.meta && e.sum == [sha256.Size]byte{}
}

// eachOld reads the manifest d.old came from again and calls fn with each
// record of d.old in file order, whole: its index, name (valid only
// during the call) and entry.
func (d *Dir) eachOld(fn func(i int, name []byte, e entry) error) error {
	if d.oldFD < 0 {
		return nil
	}
	i := 0
	var ferr error
	err := d.scanManifest(d.oldFD, func(name []byte, e entry) {
		if ferr == nil && i < len(d.old.recs) && !d.old.recs[i].dead {
			ferr = fn(i, name, e)
		}
		i++
	})
	if err == nil && ferr == nil && i != len(d.old.recs) {
		err = fmt.Errorf("reading %s: it changed during the run", filepath.Join(d.path, Manifest))
	}
	if err != nil {
		return err
	}
	return ferr
}

// fdReader reads a file descriptor, retrying on EINTR.
type fdReader int

func (fd fdReader) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), p)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// fields appends the space-separated fields of line to f.
func fields(f [][]byte, line []byte) [][]byte {
	for len(line) > 0 {
		for len(line) > 0 && (line[0] == ' ' || line[0] == '\t' || line[0] == '\r') {
			line = line[1:]
		}
		i := 0
		for i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' {
			i++
		}
		if i > 0 {
			f = append(f, line[:i])
		}
		line = line[i:]
	}
	return f
}

// parseEntry reads "size mtime ctime inode sha256 [inputs sync]"; a record
// it cannot read is the zero entry (read the file to compare).
func parseEntry(f [][]byte) entry {
	var e entry
	if len(f) == 7 {
		// hex.Decode writes len(src)/2 bytes: a longer field (a hand
		// edit) must not reach it.
		if len(f[5]) != 2*len(e.meta.Inputs) {
			e.meta.Inputs = [16]byte{}
		} else if n, err := hex.Decode(e.meta.Inputs[:], f[5]); err != nil || n != len(e.meta.Inputs) {
			e.meta.Inputs = [16]byte{}
		}
		if string(f[6]) != "-" {
			e.meta.Sync = string(f[6])
		}
		f = f[:5]
	}
	if len(f) != 5 || len(f[4]) != 2*sha256.Size {
		return entry{meta: e.meta}
	}
	var ok [4]bool
	e.stat.size, ok[0] = parseInt(f[0])
	e.stat.mtime, ok[1] = parseInt(f[1])
	e.stat.ctime, ok[2] = parseInt(f[2])
	e.stat.ino, ok[3] = parseUint(f[3])
	if ok != [4]bool{true, true, true, true} {
		return entry{meta: e.meta}
	}
	if n, err := hex.Decode(e.sum[:], f[4]); err != nil || n != sha256.Size {
		return entry{meta: e.meta}
	}
	return e
}

// parseUint reads a decimal uint64 as strconv.ParseUint(s, 10, 64) does,
// without making a string of b.
func parseUint(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' || n > (1<<64-1)/10 {
			return 0, false
		}
		d := uint64(c - '0')
		if n*10 > 1<<64-1-d {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// parseInt reads a decimal int64 with an optional sign, as
// strconv.ParseInt(s, 10, 64) does, without making a string of b.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, b = b[0] == '-', b[1:]
	}
	n, ok := parseUint(b)
	switch {
	case !ok, !neg && n > 1<<63-1, neg && n > 1<<63:
		return 0, false
	case neg:
		return -int64(n), true
	}
	return int64(n), true
}

// writeManifest writes the manifest: the records of d.old that old says
// to keep (with only their name when it says so), read again from the
// file (eachOld), merged in name order with the run's records extra (in
// name order), each with rec(j). It is written as it is made, never held
// whole (35 MB at 100,000 phones).
func (d *Dir) writeManifest(old func(i int) (keep, nameOnly bool), extra []uint32, rec func(uint32) (entry, error), syncDir bool) error {
	fill := func(w io.Writer) error {
		line := append(make([]byte, 0, 256), "# Files setup-cisco wrote here and may replace or remove. Do not edit.\n"...)
		// emit writes the line made so far (a name) with e.
		emit := func(e entry) error {
			line = appendRecord(line, e)
			_, err := w.Write(append(line, '\n'))
			line = line[:0]
			return err
		}
		// emitRun writes the line of the run's record j.
		emitRun := func(j uint32) error {
			e, err := rec(j)
			if err != nil {
				return err
			}
			line = append(line, d.run.name(int(j))...)
			return emit(e)
		}
		err := d.eachOld(func(i int, name []byte, e entry) error {
			keep, nameOnly := old(i)
			if !keep {
				return nil
			}
			for len(extra) > 0 && d.run.name(int(extra[0])) < string(name) {
				if err := emitRun(extra[0]); err != nil {
					return err
				}
				extra = extra[1:]
			}
			if nameOnly {
				e = entry{}
			}
			line = append(line, name...)
			return emit(e)
		})
		if err != nil {
			return err
		}
		for _, x := range extra {
			if err := emitRun(x); err != nil {
				return err
			}
		}
		if len(line) > 0 { // the header alone
			_, err = w.Write(line)
		}
		return err
	}
	// Private: the list names every phone's MAC; the TFTP daemon need not
	// serve it.
	err := d.sfs.WriteFileFrom(Manifest, 0o600, safefs.WriteOptions{NoDirSync: !syncDir}, d.withCopy(fill))
	if errors.Is(err, unix.EISDIR) || errors.Is(err, unix.ENOTEMPTY) || errors.Is(err, unix.EEXIST) {
		// A directory where the manifest goes (another user's, in a root
		// others can write): the files are written all the same, and
		// NotWritten names it; till it is removed, runs find no record
		// and compare by reading.
		if !slices.Contains(d.res.Blocked, Manifest) {
			d.res.Blocked = append(d.res.Blocked, Manifest)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(d.path, Manifest), err)
	}
	return nil
}

// withCopy makes fill write the copy of the manifest too, in CopyDir, when
// one is kept (copyWanted). The copy is a second chance, not the record:
// when it cannot be written the manifest is written all the same, and a
// warning says so.
func (d *Dir) withCopy(fill func(io.Writer) error) func(io.Writer) error {
	if d.copyDir == nil || !d.copyWanted() {
		return fill
	}
	return func(w io.Writer) error {
		ran := false
		var fillErr error
		err := d.copyDir.WriteFileFrom(d.copyName, 0o600, safefs.WriteOptions{}, func(cw io.Writer) error {
			ran = true
			// A copy that cannot be written (its disk full) stops only
			// the copy.
			sw := &softWriter{w: cw}
			if fillErr = fill(io.MultiWriter(w, sw)); fillErr != nil {
				return fillErr
			}
			return sw.err
		})
		switch {
		case fillErr != nil:
			return fillErr
		case err != nil:
			// An older copy must not be taken for the record later.
			d.removeCopy()
			d.res.Warnings = append(d.res.Warnings, fmt.Sprintf("no copy of %s kept: %v", filepath.Join(d.path, Manifest), err))
			if !ran {
				return fill(w)
			}
		}
		return nil
	}
}

// removeCopy removes the copy of the manifest, if any.
func (d *Dir) removeCopy() {
	if d.copyDir != nil {
		unix.Unlinkat(d.copyDir.Fd(), d.copyName, 0)
	}
}

// softWriter writes to w until it fails, and then only remembers the error.
type softWriter struct {
	w   io.Writer
	err error
}

func (s *softWriter) Write(p []byte) (int, error) {
	if s.err == nil {
		_, s.err = s.w.Write(p)
	}
	return len(p), nil
}

// appendRecord appends e as a manifest line has it after the name.
func appendRecord(line []byte, e entry) []byte {
	if e.stat == (statRec{}) {
		return line
	}
	line = append(strconv.AppendInt(append(line, ' '), e.stat.size, 10), ' ')
	line = append(strconv.AppendInt(line, e.stat.mtime, 10), ' ')
	line = append(strconv.AppendInt(line, e.stat.ctime, 10), ' ')
	line = append(strconv.AppendUint(line, e.stat.ino, 10), ' ')
	line = hex.AppendEncode(line, e.sum[:])
	if e.meta != (Meta{}) {
		line = hex.AppendEncode(append(line, ' '), e.meta.Inputs[:])
		sync := e.meta.Sync
		if sync == "" {
			sync = "-"
		}
		line = append(append(line, ' '), sync...)
	}
	return line
}

// Exposure says what in the directory users other than its owner and
// group can write (safefs.Exposed), after Commit, with a stat for only
// some of its entries: the files this run wrote, reused or accepted are
// 0644 now (Commit set back the mode of accepted ones), so only the
// directory and the rest of a new listing (kept files, firmware,
// subdirectories, whatever others added during the run) are looked at. A
// dry run changes no mode: it asks safefs.Exposed.
func (d *Dir) Exposure() (safefs.Exposure, error) {
	if d.o.DryRun || !d.done {
		return safefs.Exposed(d.path)
	}
	e := safefs.Exposure{Dir: d.path}
	var st unix.Stat_t
	if err := unix.Fstat(d.fd, &st); err != nil {
		return e, fmt.Errorf("%s: %w", d.path, err)
	}
	e.Mode = fs.FileMode(st.Mode & 0o777)
	if st.Mode&unix.S_ISVTX != 0 {
		e.Mode |= fs.ModeSticky
	}
	e.Open = st.Mode&0o002 != 0
	// The directory as it is now: other users may have added to it
	// during the run.
	err := d.eachEntry(func(name []byte, typ fs.FileMode) {
		switch {
		case typ.IsRegular():
			if d.handled(string(name)) && !d.keep[string(name)] {
				return // ours, 0644 now
			}
		case typ.IsDir():
		default:
			return // a symbolic link's mode means nothing; others are not files
		}
		if err := unix.Fstatat(d.fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil || st.Mode&0o002 == 0 {
			return
		}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFDIR:
			e.Dirs = append(e.Dirs, string(name))
		case unix.S_IFREG:
			e.Files = append(e.Files, string(name))
		}
	})
	if err != nil {
		return e, err
	}
	sort.Strings(e.Dirs)
	sort.Strings(e.Files)
	return e, nil
}

// Shown is name as messages print it: as it is, or Go-quoted when it holds
// a control character or is not UTF-8 (another user chose it: a newline
// in it must not forge a line of stderr or syslog).
func Shown(name string) string {
	if !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
		return strconv.Quote(name)
	}
	return name
}

// Recorded yields what the manifest Open read records of each file of
// ours: its name and Meta.
func (d *Dir) Recorded() iter.Seq2[string, Meta] {
	return func(yield func(string, Meta) bool) {
		for name, i := range d.old.all() {
			if !yield(name, d.old.meta(i)) {
				return
			}
		}
	}
}

// Type is the type bits of name in the listing Open read, and whether it
// was there.
func (d *Dir) Type(name string) (fs.FileMode, bool) {
	t, ok := d.present.typ(name)
	return t, ok
}

// Blocked says whether a directory stands where name goes: Write cannot
// replace it (Result.Blocked).
func (d *Dir) Blocked(name string) bool {
	t, _ := d.present.typ(name)
	return t.IsDir()
}

// Absent says whether nothing of that name was in the directory's listing.
func (d *Dir) Absent(name string) bool {
	_, present := d.present.typ(name)
	return !present
}
