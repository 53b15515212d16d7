package firmware

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestBreaker17ImportKeepsAnotherUsersImage: in a root that was 777 (the
// how-to's chmod -R 777), another user copied the bundle's images in first,
// so they are theirs (uid 65534), mode 0644, bytes identical to Cisco's.
// The admin then runs "setup-cisco firmware import" of the same bundle to
// get root's copies. ImportFiles finds the content the same and the mode
// 0644 and leaves each file alone, still owned by the other user, who can
// rewrite the image every phone loads whenever they like; the import
// reports nothing written and says nothing. The run replaces its own files
// when another user owns them ("not setup-cisco's"); an image of another
// owner should be replaced the same way (a fresh root-owned file).
func TestBreaker17ImportKeepsAnotherUsersImage(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give files to uid 65534")
	}
	src, dst := t.TempDir(), t.TempDir()
	files := map[string]string{
		"P0S3-8-12-00.loads": "P0S3-8-12-00 P0S3-8-12-00.sb2\n",
		"P0S3-8-12-00.sb2":   "sb2 image bytes\n",
		"P003-8-12-00.bin":   "bin image bytes\n",
		"P003-8-12-00.sbn":   "sbn image bytes\n",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(src, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, n)
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ImportFiles(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("written %v, chmodded %v", res.Written, res.Chmodded)
	for n := range files {
		fi, err := os.Lstat(filepath.Join(dst, n))
		if err != nil {
			t.Fatal(err)
		}
		if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != 0 {
			t.Errorf("%s: still owned by uid %d after firmware import", n, uid)
		}
	}
}
