package firmware

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// sip812 is the 8.12 SIP load as Cisco's bundle ships it.
var sip812 = []archFile{
	{"P0S3-8-12-00.loads", "P0S3-8-12-00 P0S3-8-12-00.sb2\n"},
	{"P0S3-8-12-00.sb2", "sb2 image\n"},
	{"P003-8-12-00.bin", "bin image\n"},
	{"P003-8-12-00.sbn", "sbn image\n"},
}

var sip812Names = []string{"P003-8-12-00.bin", "P003-8-12-00.sbn", "P0S3-8-12-00.loads", "P0S3-8-12-00.sb2"}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// compress runs the real compressor (bzip2, xz, zstd) on data.
func compress(t *testing.T, tool string, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed", tool)
	}
	cmd := exec.Command(tool, "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return out
}

func writeFile(t *testing.T, p string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportCompressedTars: the class of b17-firmware-tar-gz: a tar
// compressed with gzip or bzip2 is read whatever it is called (.tar.gz,
// .tgz, .tar.bz2, or a name that says nothing), and so is a gzipped single
// image; xz, zstd, 7-Zip and RAR are named with the command that unpacks
// them, never "no firmware".
func TestImportCompressedTars(t *testing.T) {
	tarball := buildTar(t, sip812)
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"P0S3-8-12-00.tar.gz":  gz(t, tarball),
		"P0S3-8-12-00.tgz":     gz(t, tarball),
		"download":             gz(t, tarball),
		"P0S3-8-12-00.tar.bz2": compress(t, "bzip2", tarball),
	} {
		dst := t.TempDir()
		res, err := ImportFiles(writeFile(t, filepath.Join(dir, name), data), dst)
		if err != nil || !slices.Equal(res.Written, sip812Names) {
			t.Errorf("%s: Written %v, err %v", name, res.Written, err)
		}
	}

	dst := t.TempDir()
	res, err := ImportFiles(writeFile(t, filepath.Join(dir, "P0S3-8-12-00.sb2.gz"), gz(t, []byte("sb2 image\n"))), dst)
	if err != nil || !slices.Equal(res.Written, []string{"P0S3-8-12-00.sb2"}) || dirFiles(t, dst)["P0S3-8-12-00.sb2"] != "sb2 image\n" {
		t.Errorf("gzipped image: Written %v, err %v", res.Written, err)
	}

	for _, c := range []struct{ tool, name, want string }{
		{"xz", "P0S3-8-12-00.tar.xz", "tar xJf P0S3-8-12-00.tar.xz"},
		{"zstd", "P0S3-8-12-00.tar.zst", "tar --zstd -xf P0S3-8-12-00.tar.zst"},
	} {
		src := writeFile(t, filepath.Join(dir, c.name), compress(t, c.tool, tarball))
		_, err := ImportFiles(src, t.TempDir())
		var ue *UnreadError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrNoFirmware) {
			t.Errorf("%s: err = %v, want an UnreadError naming %q", c.name, err, c.want)
		}
	}
	for name, head := range map[string]string{"bundle.7z": "7z\xbc\xaf\x27\x1c\x00\x04", "bundle.rar": "Rar!\x1a\x07\x01\x00"} {
		_, err := ImportFiles(writeFile(t, filepath.Join(dir, name), []byte(head+strings.Repeat("\x00", 64))), t.TempDir())
		var ue *UnreadError
		if !errors.As(err, &ue) {
			t.Errorf("%s: err = %v, want an UnreadError", name, err)
		}
	}
	// An archive name over something else says what it is.
	_, err = ImportFiles(writeFile(t, filepath.Join(dir, "login.tar.gz"), []byte("<!DOCTYPE html><html>expired</html>")), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "HTML page") {
		t.Errorf("HTML saved as .tar.gz: err = %v", err)
	}
}

// TestImportArchivesInDirectory: the class of b17-firmware-dir-with-tar:
// archives inside a source directory (a tar, a zip, a .tar.gz, in
// subdirectories) are opened as they are inside a zip; a zip holding a
// .tar.gz too. One of a format not read is listed in Unread, and the rest
// is still imported.
func TestImportArchivesInDirectory(t *testing.T) {
	tarball := buildTar(t, sip812)
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "7940_7960", "SIP", "P0S3-8-12-00.tar"), tarball)
	writeFile(t, filepath.Join(src, "7940_7960", "SCCP", "P00308010200.loads"), []byte("sccp loads"))
	sccpZip := buildZip(t, []archFile{{"P00308010200.sb2", "sccp sb2"}, {"P00308010200.bin", "sccp bin"}})
	b, _ := os.ReadFile(sccpZip)
	writeFile(t, filepath.Join(src, "sccp.zip"), b)
	writeFile(t, filepath.Join(src, "old", "P0S3-08-11-00.tar.gz"), gz(t, buildTar(t, []archFile{{"P0S3-08-11-00.loads", "811"}})))
	if _, err := exec.LookPath("xz"); err == nil {
		writeFile(t, filepath.Join(src, "extra", "P0S3-07-5-00.tar.xz"), compress(t, "xz", buildTar(t, []archFile{{"P0S3-07-5-00.loads", "75"}})))
	}
	dst := t.TempDir()
	res, err := ImportFiles(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{"P00308010200.bin", "P00308010200.loads", "P00308010200.sb2"}, sip812Names...)
	want = append(want, "P0S3-08-11-00.loads")
	slices.Sort(want)
	if !slices.Equal(res.Written, want) {
		t.Errorf("Written %v, want %v", res.Written, want)
	}
	if _, err := exec.LookPath("xz"); err == nil {
		if len(res.Unread) != 1 || res.Unread[0].Name != "extra/P0S3-07-5-00.tar.xz" || !strings.Contains(res.Unread[0].Why, "tar xJf") {
			t.Errorf("Unread = %v", res.Unread)
		}
	}

	// A .tar.gz inside a zip.
	z := buildZip(t, []archFile{{"sip/P0S3-8-12-00.tar.gz", string(gz(t, tarball))}, {"OS79XX.TXT", "P0S3-8-12-00"}})
	res, err = ImportFiles(z, t.TempDir())
	if err != nil || !slices.Equal(res.Written, sip812Names) {
		t.Errorf("tar.gz in zip: Written %v, err %v", res.Written, err)
	}

	// An unsafe name in an archive inside a directory still refuses all.
	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "x.tar.gz"), gz(t, buildTar(t, []archFile{{"../P0S3-8-12-00.loads", "l"}})))
	writeFile(t, filepath.Join(bad, "P003-8-12-00.bin"), []byte("bin"))
	dst = t.TempDir()
	if _, err := ImportFiles(bad, dst); !errors.Is(err, ErrUnsafeArchive) || len(dirFiles(t, dst)) != 0 {
		t.Errorf("unsafe nested archive: err = %v, root %v", err, dirFiles(t, dst))
	}
}

// TestImportAllOrNothing: the class of b17-firmware-import-partial: when
// any file cannot be moved into place, the files already moved go back,
// old contents included, and no temporary file is left; a directory at an
// image's name fails the import before anything is written.
func TestImportAllOrNothing(t *testing.T) {
	src := t.TempDir()
	for _, f := range sip812 {
		writeFile(t, filepath.Join(src, f.name), []byte(f.body))
	}
	dst := t.TempDir()
	old := map[string]string{"P003-8-12-00.bin": "old bin\n", "P0S3-8-12-00.loads": "old loads\n", "SIPDefault.cnf": "image_version: P0S3-8-12-00\n"}
	for n, c := range old {
		writeFile(t, filepath.Join(dst, n), []byte(c))
	}

	// Something else appears at a name while the files move in.
	var order []string
	_, err := importFiles(src, dst, func(name string) {
		order = append(order, name)
		if name == "P0S3-8-12-00.sb2" {
			if err := os.Mkdir(filepath.Join(dst, name), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	})
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("err = %v, want a failure with nothing imported", err)
	}
	if slices.Contains(order, "P0S3-8-12-00.loads") {
		t.Errorf("moved in order %v: the .loads before the failed .sb2", order)
	}
	os.Remove(filepath.Join(dst, "P0S3-8-12-00.sb2"))
	if got := dirFiles(t, dst); !mapsEqual(got, old) {
		t.Errorf("after a failed import the root holds %v, want %v", got, old)
	}

	// A directory at an image's name before the import: refused at once.
	if err := os.Mkdir(filepath.Join(dst, "P003-8-12-00.sbn"), 0o777); err != nil {
		t.Fatal(err)
	}
	_, err = ImportFiles(src, dst)
	if err == nil || !strings.Contains(err.Error(), "P003-8-12-00.sbn is a directory") {
		t.Errorf("err = %v", err)
	}
	os.Remove(filepath.Join(dst, "P003-8-12-00.sbn"))
	if got := dirFiles(t, dst); !mapsEqual(got, old) {
		t.Errorf("after a refused import the root holds %v, want %v", got, old)
	}

	// And then it works, replacing the old files, the .loads last.
	order = nil
	if _, err := importFiles(src, dst, func(name string) { order = append(order, name) }); err != nil {
		t.Fatal(err)
	}
	if len(order) != 4 || order[3] != "P0S3-8-12-00.loads" {
		t.Errorf("moved in order %v, want the .loads last", order)
	}
	got := dirFiles(t, dst)
	for _, f := range sip812 {
		if got[f.name] != f.body {
			t.Errorf("%s = %q, want %q", f.name, got[f.name], f.body)
		}
	}
	if len(got) != len(sip812)+1 {
		t.Errorf("root holds %v", got)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestImportOwners: the class of TestBreaker17ImportKeepsAnotherUsersImage:
// a file of another user is replaced whether its content differs or not,
// and said (Reowned); root's own identical files are left alone.
func TestImportOwners(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give files to other users")
	}
	src := t.TempDir()
	for _, f := range sip812 {
		writeFile(t, filepath.Join(src, f.name), []byte(f.body))
	}
	dst := t.TempDir()
	for i, f := range sip812 {
		body := f.body
		if i == 0 {
			body = "changed by its owner\n"
		}
		p := writeFile(t, filepath.Join(dst, f.name), []byte(body))
		if i < 2 {
			if err := os.Chown(p, 1000+i, 1000); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := ImportFiles(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	want := []Owned{{sip812[0].name, 1000}, {sip812[1].name, 1001}}
	slices.SortFunc(want, func(a, b Owned) int { return strings.Compare(a.Name, b.Name) })
	if !slices.Equal(res.Reowned, want) || !slices.Equal(res.Written, []string{"P0S3-8-12-00.loads"}) {
		t.Errorf("Reowned %v, Written %v", res.Reowned, res.Written)
	}
	for _, f := range sip812 {
		fi, err := os.Lstat(filepath.Join(dst, f.name))
		if err != nil {
			t.Fatal(err)
		}
		if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != 0 {
			t.Errorf("%s owned by %d", f.name, uid)
		}
	}
	if got := dirFiles(t, dst); got["P0S3-8-12-00.loads"] != sip812[0].body {
		t.Errorf("changed .loads kept: %q", got["P0S3-8-12-00.loads"])
	}
	// Again: all root's now, nothing to do.
	res, err = ImportFiles(src, dst)
	if err != nil || len(res.Written)+len(res.Reowned)+len(res.Chmodded) != 0 {
		t.Errorf("second import: %+v, %v", res, err)
	}

	// A root directory chowned to the TFTP user, as some how-tos do: that
	// user's files are left alone (it could replace them anyway).
	for _, f := range sip812 {
		if err := os.Chown(filepath.Join(dst, f.name), 1000, 1000); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(dst, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	res, err = ImportFiles(src, dst)
	if err != nil || len(res.Written)+len(res.Reowned)+len(res.Chmodded) != 0 {
		t.Errorf("the root owner's files: %+v, %v", res, err)
	}
}
