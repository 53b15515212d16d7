package firmware

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// Rename is a firmware file present under a spelling phones do not ask for.
type Rename struct {
	Have string // name in the TFTP root
	Want string // name phones request
}

// Entry is one load found in a TFTP root.
type Entry struct {
	Image    Image
	Required []string // RequiredFiles(Image)
	Present  []string // firmware files of this load found in the root
	Missing  []string // required files absent under the exact name
	Misnamed []Rename // files that only differ from a required name by case or padding
	// Unreadable names files a TFTP daemon running as another user cannot
	// read: not world-readable (mode&0004 == 0) or not a regular file.
	Unreadable []string
	// Empty names 0-byte files: a failed or interrupted download. A phone
	// fetching one fails the upgrade, so the load is not complete.
	Empty []string
	// Invalid are files that cannot be the image they are named as: larger
	// than maxFileSize (the largest 79x0 image, an .sb2, is under 1 MiB;
	// a sparse file of gigabytes is planted or broken), or an HTML page
	// saved under the image's name. The load is not complete.
	Invalid []Unusable
	// Foreign are files of the load owned by a user other than root, the
	// owner of the root directory and the user scanning (copied in while
	// the root was 777, or a TFTP upload atftpd took as nobody): their
	// owner can rewrite what phones load at any time, whatever the modes.
	// The load still counts as complete; firmware import replaces them.
	Foreign []Owned
}

// Complete reports whether every required file is there, readable, not
// empty and could be an image.
func (e Entry) Complete() bool {
	return len(e.Missing) == 0 && len(e.Unreadable) == 0 && len(e.Empty) == 0 && len(e.Invalid) == 0
}

// Group is the entries of one release family.
type Group struct {
	Family  Family
	Entries []Entry
}

// Catalog is what Scan found in a TFTP root.
type Catalog struct {
	Root    string
	Entries []Entry // sorted: family, then version, then protocol
	// BlockedDirs names directories from / down to Root that are not
	// world-searchable (mode&0001 == 0): the daemon cannot reach any file.
	BlockedDirs []string
}

// Scan lists the firmware loads in dir (not recursive: phones fetch from the
// root), with the files each one lacks and the ones the TFTP daemon could
// not read.
func Scan(dir string) (Catalog, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return Catalog{}, fmt.Errorf("firmware: scan %s: %w", dir, err)
	}
	names := make([]string, len(des))
	for i, de := range des {
		names[i] = de.Name()
	}
	return ScanNames(dir, names)
}

// ScanNames is Scan with dir's entries already listed (names, sorted; a
// caller that has just read the directory need not read it again).
func ScanNames(dir string, names []string) (Catalog, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return Catalog{}, fmt.Errorf("firmware: scan %s: %w", dir, err)
	}
	cat := Catalog{Root: root}
	if cat.BlockedDirs, err = blockedDirs(root); err != nil {
		return Catalog{}, fmt.Errorf("firmware: scan %s: %w", dir, err)
	}

	var trusted []uint32 // owners whose files are no one else's to change
	if fi, err := os.Stat(root); err == nil {
		trusted = append(trusted, 0, uint32(os.Geteuid()), ownerOf(fi))
	}
	rootDir, err := safefs.Open(root)
	if err != nil {
		return Catalog{}, fmt.Errorf("firmware: scan %s: %w", dir, err)
	}
	defer rootDir.Close()

	byName := map[string]*Entry{}
	var order []string
	for _, name := range names {
		app, _, ok := fileImage(name)
		if !ok {
			continue
		}
		e := byName[app.Name]
		if e == nil {
			e = &Entry{Image: app, Required: RequiredFiles(app)}
			byName[app.Name] = e
			order = append(order, app.Name)
		}
		e.Present = append(e.Present, name)
		fi, err := os.Stat(filepath.Join(root, name)) // follow symlinks as the daemon does
		switch {
		case err != nil:
			if !os.IsNotExist(err) {
				return Catalog{}, fmt.Errorf("firmware: scan %s: %w", dir, err)
			}
			e.Unreadable = append(e.Unreadable, name) // dangling symlink
		case !fi.Mode().IsRegular() || fi.Mode().Perm()&0o004 == 0:
			e.Unreadable = append(e.Unreadable, name)
		case fi.Size() == 0:
			e.Empty = append(e.Empty, name)
		case fi.Size() > maxFileSize:
			e.Invalid = append(e.Invalid, Unusable{name, fmt.Sprintf("%s: larger than any 7940/7960 image (at most %d MiB)", sizeString(fi.Size()), maxFileSize>>20)})
		default:
			if why := headNotImage(rootDir, name); why != "" {
				e.Invalid = append(e.Invalid, Unusable{name, why})
			}
		}
		if err == nil && fi.Mode().IsRegular() {
			if uid := ownerOf(fi); !slices.Contains(trusted, uid) {
				e.Foreign = append(e.Foreign, Owned{Name: name, UID: int(uid)})
			}
		}
	}
	for _, name := range order {
		e := byName[name]
		for _, want := range e.Required {
			if slices.Contains(e.Present, want) {
				continue
			}
			e.Missing = append(e.Missing, want)
			for _, have := range e.Present {
				if _, canon, _ := fileImage(have); canon == want || strings.EqualFold(have, want) {
					e.Misnamed = append(e.Misnamed, Rename{Have: have, Want: want})
				}
			}
		}
		cat.Entries = append(cat.Entries, *e)
	}
	slices.SortFunc(cat.Entries, func(a, b Entry) int {
		return compareEntries(a.Image, b.Image)
	})
	return cat, nil
}

// ownerOf is the uid owning the file fi describes.
func ownerOf(fi fs.FileInfo) uint32 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Uid
	}
	return 0
}

// headNotImage reads the first bytes of name in d, a regular file (a
// symlink or FIFO is not opened: package safefs), and says why it is no
// image: an HTML page saved under its name. "" when it may be one, or when
// it cannot be read (the checks of modes name that).
func headNotImage(d *safefs.Dir, name string) string {
	f, err := d.OpenFile(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if n == 0 {
		return ""
	}
	return notAnImage(head[:n])
}

// sizeString gives a size in the largest unit that keeps it a number >= 1.
func sizeString(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

func compareEntries(a, b Image) int {
	order := FamilyOrder()
	if c := slices.Index(order[:], a.Family()) - slices.Index(order[:], b.Family()); c != 0 {
		return c
	}
	if c := a.Compare(b); c != 0 {
		return c
	}
	return strings.Compare(string(a.Protocol), string(b.Protocol))
}

// blockedDirs walks from / down to root and names the directories the TFTP
// daemon, running as another user, cannot traverse.
func blockedDirs(root string) ([]string, error) {
	var blocked []string
	for d := root; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			return nil, &fs.PathError{Op: "scan", Path: d, Err: fs.ErrInvalid}
		}
		if fi.Mode().Perm()&0o001 == 0 {
			blocked = append(blocked, d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(blocked)
	return blocked, nil
}

// Lookup returns the entry of the load called name (any spelling Parse takes).
func (c Catalog) Lookup(name string) (Entry, bool) {
	img, err := Parse(name)
	if err != nil {
		return Entry{}, false
	}
	img = img.Bundle()
	for _, e := range c.Entries {
		if e.Image.Name == img.Name {
			return e, true
		}
	}
	return Entry{}, false
}

// Complete reports whether a phone could load name from this root: every
// required file present under its exact name, readable, and the root
// reachable.
func (c Catalog) Complete(name string) bool {
	e, ok := c.Lookup(name)
	return ok && e.Complete() && len(c.BlockedDirs) == 0
}

// Available lists the loads a phone could fetch from this root, oldest
// first: the candidates to pass to Plan.
func (c Catalog) Available() []Image {
	var imgs []Image
	if len(c.BlockedDirs) > 0 {
		return nil
	}
	for _, e := range c.Entries {
		if e.Complete() {
			imgs = append(imgs, e.Image)
		}
	}
	return imgs
}

// Newest returns the newest complete SIP load.
func (c Catalog) Newest() (Image, bool) {
	var best Image
	for _, img := range c.Available() {
		if img.Protocol == SIP && (best.IsZero() || img.Compare(best) > 0) {
			best = img
		}
	}
	return best, !best.IsZero()
}

// Groups returns the entries by release family, oldest family first; empty
// families are left out.
func (c Catalog) Groups() []Group {
	var groups []Group
	for _, f := range FamilyOrder() {
		g := Group{Family: f}
		for _, e := range c.Entries {
			if e.Image.Family() == f {
				g.Entries = append(g.Entries, e)
			}
		}
		if len(g.Entries) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}
