package tftpwatch

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// CaseIndex finds a file of a TFTP root by a name that differs from it
// only in case: a daemon that folds request names (dnsmasq's
// tftp-lowercase, dnsmasq(8)) looks for sipdefault.cnf when the phone asks
// for SIPDefault.cnf, and logs that name as not found. The root's listing
// is read once and again only when the directory changes. The zero value
// is ready to use.
type CaseIndex struct {
	root  string
	mod   time.Time
	names map[string]string // lower-cased name -> name in the root
}

// Twin is the name in root (a file directly in it) that file, as logged,
// names but for case; false when file is there as written, or no such
// file is.
func (c *CaseIndex) Twin(root, file string) (string, bool) {
	clean := strings.TrimPrefix(filepath.Clean("/"+file), "/")
	if root == "" || strings.Contains(clean, "/") {
		return "", false
	}
	fi, err := os.Stat(root)
	if err != nil {
		return "", false
	}
	if c.names == nil || c.root != root || !fi.ModTime().Equal(c.mod) {
		des, err := os.ReadDir(root)
		if err != nil {
			return "", false
		}
		c.root, c.mod, c.names = root, fi.ModTime(), make(map[string]string, len(des))
		for _, de := range des {
			if !de.IsDir() {
				c.names[strings.ToLower(de.Name())] = de.Name()
			}
		}
	}
	twin, ok := c.names[strings.ToLower(clean)]
	if !ok || twin == clean {
		return "", false
	}
	return twin, true
}

// CaseAdvice words a request for file that the root holds as twin.
func CaseAdvice(file, twin string) string {
	twin = Shown(twin)
	if file == strings.ToLower(file) {
		return "the root has " + twin + ": the TFTP daemon lower-cased the name the phone asked for (dnsmasq's tftp-lowercase does; remove it), and TFTP names are case-sensitive"
	}
	return "the root has " + twin + ", which differs in case only: TFTP names are case-sensitive"
}
