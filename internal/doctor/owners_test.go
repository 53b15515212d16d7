package doctor

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
)

// TestCheckOwners: the class of TestBreaker17ImagesOwnedByAnotherUser:
// every file or directory in the root that another user owns is named
// (images, configs, a subdirectory), with a fix that works as written;
// files of root, of the root directory's owner and links are not.
func TestCheckOwners(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to other users")
	}
	root := filepath.Join(t.TempDir(), "tftpboot")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(root, 0o755))
	write := func(name string, uid int) {
		p := filepath.Join(root, name)
		must(os.WriteFile(p, []byte("x"), 0o644))
		must(os.Lchown(p, uid, uid))
	}
	write("SIPDefault.cnf", 0)
	if fs := CheckOwners(root); len(fs) != 0 {
		t.Fatalf("root's files: %v", fs)
	}
	// The root directory's owner (tftpd-hpa set-ups chown it to tftp) owns
	// its files too: not reported, it could replace them anyway.
	must(os.Chown(root, 1000, 1000))
	write("RINGLIST.DAT", 1000)
	if fs := CheckOwners(root); len(fs) != 0 {
		t.Fatalf("the root owner's files: %v", fs)
	}
	must(os.Chown(root, 0, 0))
	write("RINGLIST.DAT", 0)

	write("SIP001122AABBCC.cnf", 65534)
	write("P0S3-8-12-00.sb2", 65534)
	write("p0s3-8-12-00.LOADS", 1001)
	must(os.Mkdir(filepath.Join(root, "ringtones"), 0o755))
	must(os.Lchown(filepath.Join(root, "ringtones"), 65534, 65534))
	must(os.Symlink("SIPDefault.cnf", filepath.Join(root, "link")))
	must(os.Lchown(filepath.Join(root, "link"), 65534, 65534))

	fs := CheckOwners(root)
	if len(fs) != 1 || fs[0].Severity != Problem {
		t.Fatalf("got %v; want one problem", fs)
	}
	got := fs[0].String()
	for _, want := range []string{
		"4 file(s) in the TFTP root belong to uid 1001, user nobody (uid 65534)",
		"P0S3-8-12-00.sb2", "SIP001122AABBCC.cnf",
		"fix: setup-cisco firmware import BUNDLE (Cisco's bundle: it replaces P0S3-8-12-00.sb2, p0s3-8-12-00.LOADS with copies",
		"; chown root:root " + filepath.Join(root, "SIP001122AABBCC.cnf") + "; chown -R root:root " + filepath.Join(root, "ringtones"),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("finding lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "link") {
		t.Errorf("a symlink reported:\n%s", got)
	}
	// CheckWritable carries it, as doctor runs it.
	if fs := CheckWritable(root); len(fs) != 1 || fs[0].Msg != CheckOwners(root)[0].Msg {
		t.Errorf("CheckWritable = %v", fs)
	}

	// The fix's commands, run for real (the import part by hand here).
	fix := fs[0].Fix
	for _, part := range strings.Split(fix, "; ")[1:] {
		if out, err := exec.Command("sh", "-c", part).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", part, err, out)
		}
	}
	for _, n := range []string{"P0S3-8-12-00.sb2", "p0s3-8-12-00.LOADS"} {
		must(os.Remove(filepath.Join(root, n)))
	}
	if fs := CheckOwners(root); len(fs) != 0 {
		t.Errorf("after the fix: %v", fs)
	}

	// Many files: one find command, also run.
	for i := range 10 {
		write("f"+string(rune('a'+i))+".cnf", 65534)
	}
	write("P003-8-12-00.bin", 65534)
	fix = CheckOwners(root)[0].Fix
	part := strings.Split(fix, "; ")[1]
	if !strings.HasPrefix(part, "find "+root+" ") {
		t.Fatalf("fix = %s", fix)
	}
	if out, err := exec.Command("sh", "-c", part).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", part, err, out)
	}
	fs = CheckOwners(root)
	if len(fs) != 1 || !strings.Contains(fs[0].Msg, "1 file(s)") || !strings.Contains(fs[0].Msg, "P003-8-12-00.bin") {
		t.Errorf("after the find: %v (want the image left for firmware import)", fs)
	}
}

// TestCheckImagesNotImages: a file of the site load that cannot be its
// image (a 20 GB sparse file, an HTML page, 0 bytes) is a problem naming
// it: a phone fetching it fails the upgrade at every boot.
func TestCheckImagesNotImages(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"P0S3-8-12-00.loads": "P0S3-8-12-00 P0S3-8-12-00.sb2\n",
		"P003-8-12-00.bin":   "",
		"P003-8-12-00.sbn":   "\n<!DOCTYPE html><html><body>Session expired</body></html>",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(root, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(root, "P0S3-8-12-00.sb2"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(20 << 30); err != nil {
		t.Skipf("sparse file: %v", err)
	}
	f.Close()
	fs := CheckImages(root, "P0S3-8-12-00", inventory.Inventory{})
	var all string
	for _, f := range fs {
		if f.Severity == Problem {
			all += f.String() + "\n"
		}
	}
	for _, want := range []string{
		"empty (0 bytes: a failed download?) in " + root + ": P003-8-12-00.bin",
		filepath.Join(root, "P003-8-12-00.sbn") + " is not an image: an HTML page",
		filepath.Join(root, "P0S3-8-12-00.sb2") + " is not an image: 20.0 GiB: larger than any 7940/7960 image (at most 32 MiB)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}
