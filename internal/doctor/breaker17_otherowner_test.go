package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
)

// TestBreaker17ImagesOwnedByAnotherUser: after "chmod -R 777 /tftpboot"
// (the how-to README's Security section answers), another local user (or
// atftpd, running as nobody, taking a TFTP upload into the open root) put
// the site image's files there: P0S3-8-12-00.loads/.sb2 and
// P003-8-12-00.bin/.sbn owned by uid 65534. The admin then applies the fix
// doctor and README give, chmod 755 on the root and 644 on the files.
// Those files stay the other user's: their owner can chmod them back and
// rewrite what every phone loads at its next boot, at any time, and
// firmware list calls the load "complete" (also when each is a 20 GB
// sparse file of zeros). doctor reports nothing about them: no check
// looks at owners, so the report is clean apart from the daemon. Expected:
// a problem naming the files of another owner that phones load, with a fix
// (chown root:root, or setup-cisco firmware import of the bundle).
func TestBreaker17ImagesOwnedByAnotherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give files to uid 65534")
	}
	root := t.TempDir()
	for _, d := range []string{filepath.Dir(root), root} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, content string, uid int) {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, uid, uid); err != nil {
			t.Fatal(err)
		}
	}
	write("SIPDefault.cnf", "image_version: \"P0S3-8-12-00\"\n", 0)
	images := []string{"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"}
	for _, n := range images {
		write(n, "image bytes of another user "+n+"\n", 65534)
	}

	var fs []Finding
	fs = append(fs, CheckWritable(root)...)
	fs = append(fs, CheckImages(root, "P0S3-8-12-00", inventory.Inventory{})...)
	fs = append(fs, CheckAccess(root, Identity{})...)
	for _, f := range fs {
		t.Logf("%s", f)
		if f.Severity != Problem {
			continue
		}
		for _, n := range images {
			if strings.Contains(f.Subject+" "+f.Msg+" "+f.Fix, n) {
				return
			}
		}
	}
	t.Errorf("the site image's files, owned by uid 65534 in a root only root can write, are named in no problem")
}
