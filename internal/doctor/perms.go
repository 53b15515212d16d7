package doctor

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/safefs"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// maxListed is how many files a fix names before it uses find instead.
const maxListed = 8

// CheckWritable reports a TFTP root, or files and directories in it, that
// every user can write: the how-to many admins followed ran chmod -R 777
// /tftpboot (howto-cisco-7940-7960-upgrade.txt, lines 53-55). Then any
// local user can replace phone files or plant symlinks, and the TFTP
// daemons accept uploads from the network: atftpd runs as nobody and writes
// what the file system lets nobody write (atftpd(8), "the permission of the
// directory must be set properly to allow file reading and writing"), and
// in.tftpd writes uploads into existing world-writable files (tftpd(8):
// only files that already exist unless --create). setup-cisco itself never
// needs more than 755 on the root and 644 on the files.
//
// It also reports files and directories in the root that another user owns
// (CheckOwners): closing the modes does not take them from their owner.
func CheckWritable(root string) []Finding {
	e, err := safefs.Exposed(root)
	if err != nil {
		return []Finding{unchecked(root, "", "permissions: %v", err)}
	}
	if a, err := filepath.Abs(root); err == nil {
		e.Dir = a
	}
	var fs []Finding
	if e.Any() {
		fs = append(fs, problem(e.Dir, WritableFix(e), "%s: %s", WritableSummary(e),
			"any local user can replace what phones load or plant symlinks, and atftpd/in.tftpd accept TFTP uploads from the network into world-writable files"))
	}
	return append(fs, CheckOwners(e.Dir)...)
}

// CheckOwners reports the regular files and directories directly in root
// owned by a user other than root, the root directory's owner and the user
// running doctor: copied in while the root was 777 (the how-to's chmod -R
// 777), or a TFTP upload atftpd, running as nobody, took into the open
// root. Their owner can chmod them back and rewrite what phones load at
// any time, whatever the modes doctor advises (chmod(2): only the owner or
// a privileged process may change a file's mode). Symlinks are not
// looked at (their own owner matters only in a directory others can
// write, which CheckWritable names). The fix re-imports images from
// Cisco's bundle, since their content may have been changed
// (setup-cisco firmware import replaces another user's files), and gives
// the rest to root.
func CheckOwners(root string) []Finding {
	d, err := safefs.Open(root)
	if err != nil {
		return []Finding{unchecked(root, "", "owners: %v", err)}
	}
	defer d.Close()
	self, err := os.Stat(root)
	if err != nil {
		return []Finding{unchecked(root, "", "owners: %v", err)}
	}
	trusted := []uint32{0, uint32(os.Geteuid()), ownerUID(self)}
	des, err := d.ReadDir()
	if err != nil {
		return []Finding{unchecked(root, "", "owners: %v", err)}
	}
	var images, files, dirs, all []string
	var uids []uint32
	for _, de := range des {
		if !de.Type().IsRegular() && !de.IsDir() {
			continue
		}
		fi, err := de.Info() // lstat
		if err != nil {
			continue // gone since the listing
		}
		uid := ownerUID(fi)
		if slices.Contains(trusted, uid) {
			continue
		}
		if !slices.Contains(uids, uid) {
			uids = append(uids, uid)
		}
		n := de.Name()
		all = append(all, n)
		switch {
		case de.IsDir():
			dirs = append(dirs, n)
		case firmware.LooksLikeImage(n):
			images = append(images, n)
		default:
			files = append(files, n)
		}
	}
	if len(all) == 0 {
		return nil
	}
	for _, l := range [][]string{images, files, dirs, all} {
		slices.Sort(l)
	}
	slices.Sort(uids)
	owners := make([]string, len(uids))
	for i, u := range uids {
		owners[i] = userNameOf(u)
	}
	var fix []string
	if len(images) > 0 {
		fix = append(fix, FixImport+" (Cisco's bundle: it replaces "+listed(images)+" with copies of its own, owned by root: their content may have been changed)")
	}
	q := func(names []string) string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = shellQuote(filepath.Join(root, n))
		}
		return strings.Join(out, " ")
	}
	odd := func(names []string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return syncdir.Shown(n) != n })
	}
	var us []string
	for _, u := range uids {
		us = append(us, fmt.Sprintf("-uid %d", u))
	}
	byOwner := "\\( " + strings.Join(us, " -o ") + " \\)"
	switch {
	case len(files) > maxListed || odd(files):
		fix = append(fix, "find "+shellQuote(root)+" -mindepth 1 -maxdepth 1 -type f ! -iname '*.loads' ! -iname '*.sb2' ! -iname '*.sbn' ! -iname '*.bin' "+byOwner+" -exec chown root:root {} +")
	case len(files) > 0:
		fix = append(fix, "chown root:root "+q(files))
	}
	switch {
	case len(dirs) > maxListed || odd(dirs):
		fix = append(fix, "find "+shellQuote(root)+" -mindepth 1 -maxdepth 1 -type d "+byOwner+" -exec chown -R root:root {} +")
	case len(dirs) > 0:
		fix = append(fix, "chown -R root:root "+q(dirs))
	}
	return []Finding{problem(root, strings.Join(fix, "; "),
		"%d file(s) in the TFTP root belong to %s (%s): their owner can change what phones load at any time, whatever the modes (copied in while the root was open to all, or a TFTP upload)",
		len(all), strings.Join(owners, ", "), listed(all))}
}

// ownerUID is the uid owning the entry fi describes.
func ownerUID(fi fs.FileInfo) uint32 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Uid
	}
	return 0
}

// userNameOf is "user NAME (uid N)", or "uid N" for a user this host does
// not know.
func userNameOf(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil {
		return "user " + u.Username + " (uid " + id + ")"
	}
	return "uid " + id
}

// WritableSummary says in a few words what is writable by others.
func WritableSummary(e safefs.Exposure) string {
	var parts []string
	if e.Open {
		parts = append(parts, fmt.Sprintf("the TFTP root is writable by every user (mode %04o)", modeBits(e)))
	}
	if n := len(e.Files) + len(e.Dirs); n > 0 {
		parts = append(parts, fmt.Sprintf("%d file(s) in it are world-writable (%s)", n, listed(append(append([]string{}, e.Dirs...), e.Files...))))
	}
	return strings.Join(parts, "; ")
}

// WritableFix is the exact command that takes the write bits away:
// chmod 755 on the root and its directories, 644 on the files.
func WritableFix(e safefs.Exposure) string {
	q := func(name string) string { return shellQuote(filepath.Join(e.Dir, name)) }
	var cmds []string
	// A name with a control character (another user chose it) is not
	// printed: a newline would split the command, or forge a line of the
	// message. find names those entries instead.
	odd := func(names []string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return syncdir.Shown(n) != n })
	}
	dirs := []string{}
	if e.Open {
		dirs = append(dirs, shellQuote(e.Dir))
	}
	findDirs := odd(e.Dirs)
	if !findDirs {
		for _, d := range e.Dirs {
			dirs = append(dirs, q(d))
		}
	}
	if len(dirs) > 0 {
		cmds = append(cmds, "chmod 755 "+strings.Join(dirs, " "))
	}
	if findDirs {
		cmds = append(cmds, "find "+shellQuote(e.Dir)+" -mindepth 1 -maxdepth 1 -type d -perm -o=w -exec chmod 755 {} +")
	}
	switch {
	case len(e.Files) > maxListed || odd(e.Files):
		cmds = append(cmds, "find "+shellQuote(e.Dir)+" -maxdepth 1 -type f -perm -o=w -exec chmod 644 {} +")
	case len(e.Files) > 0:
		files := make([]string, len(e.Files))
		for i, f := range e.Files {
			files[i] = q(f)
		}
		cmds = append(cmds, "chmod 644 "+strings.Join(files, " "))
	}
	return strings.Join(cmds, "; ")
}

func modeBits(e safefs.Exposure) uint32 {
	m := uint32(e.Mode.Perm())
	if e.Mode&fs.ModeSticky != 0 {
		m |= 0o1000
	}
	return m
}

func listed(names []string) string {
	shown := make([]string, len(names))
	for i, n := range names {
		shown[i] = syncdir.Shown(n) // quoted when another user's name holds a control character
	}
	if len(shown) > 3 {
		return strings.Join(shown[:3], ", ") + fmt.Sprintf(" and %d more", len(shown)-3)
	}
	return strings.Join(shown, ", ")
}

// shellQuote quotes a path for a fix only when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == '+' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
