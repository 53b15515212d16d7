package doctor

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

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
func CheckWritable(root string) []Finding {
	e, err := safefs.Exposed(root)
	if err != nil {
		return []Finding{unchecked(root, "", "permissions: %v", err)}
	}
	if !e.Any() {
		return nil
	}
	if a, err := filepath.Abs(root); err == nil {
		e.Dir = a
	}
	return []Finding{problem(e.Dir, WritableFix(e), "%s: %s", WritableSummary(e),
		"any local user can replace what phones load or plant symlinks, and atftpd/in.tftpd accept TFTP uploads from the network into world-writable files")}
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
