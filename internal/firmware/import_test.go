package firmware

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type archFile struct{ name, body string }

func buildZip(t *testing.T, files []archFile) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cmterm-7940-7960-sip.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func buildTar(t testing.TB, files []archFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o600, Size: int64(len(f.body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, de := range des {
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[de.Name()] = string(b)
	}
	return out
}

func TestImportZip(t *testing.T) {
	src := buildZip(t, []archFile{
		{"P0S3-8-12-00/P0S3-8-12-00.loads", "loads"},
		{"P0S3-8-12-00/P0S3-8-12-00.sb2", "sb2"},
		{"P0S3-8-12-00/P003-8-12-00.bin", "bin"},
		{"P0S3-8-12-00/P003-8-12-00.sbn", "sbn"},
		{"P0S3-8-12-00/OS79XX.TXT", "P003-8-12-00\r\n"},
		{"P0S3-8-12-00/readme.html", "<html>"},
		{"P0S3-8-12-00/", ""},
	})
	dst := t.TempDir()
	written, err := Import(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"P003-8-12-00.bin", "P003-8-12-00.sbn", "P0S3-8-12-00.loads", "P0S3-8-12-00.sb2"}
	if !slices.Equal(written, want) {
		t.Fatalf("written %v, want %v", written, want)
	}
	got := dirFiles(t, dst)
	if len(got) != 4 || got["P0S3-8-12-00.sb2"] != "sb2" || got["P003-8-12-00.sbn"] != "sbn" {
		t.Fatalf("destination holds %v", got)
	}
	for _, n := range want {
		fi, err := os.Stat(filepath.Join(dst, n))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v, want 0644", n, fi.Mode().Perm())
		}
	}
	cat, err := Scan(dst)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := cat.Lookup("P0S3-8-12-00"); !ok || !e.Complete() {
		t.Errorf("imported 8.12 incomplete: %+v", e)
	}

	// Second run: nothing changes, and an unchanged file keeps its inode.
	before, _ := os.Stat(filepath.Join(dst, "P0S3-8-12-00.sb2"))
	written, err = Import(src, dst)
	if err != nil || len(written) != 0 {
		t.Fatalf("re-import wrote %v, %v", written, err)
	}
	after, _ := os.Stat(filepath.Join(dst, "P0S3-8-12-00.sb2"))
	if !os.SameFile(before, after) {
		t.Error("identical file was replaced")
	}

	// A changed file is replaced, the others are not.
	if err := os.WriteFile(filepath.Join(dst, "P003-8-12-00.bin"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	written, err = Import(src, dst)
	if err != nil || !slices.Equal(written, []string{"P003-8-12-00.bin"}) {
		t.Fatalf("import over a changed file wrote %v, %v", written, err)
	}
	if fi, _ := os.Stat(filepath.Join(dst, "P003-8-12-00.bin")); fi.Mode().Perm() != 0o644 {
		t.Errorf("replaced file mode %v", fi.Mode().Perm())
	}
	if got := dirFiles(t, dst); len(got) != 4 {
		t.Errorf("temporary files left behind: %v", got)
	}
}

func TestImportRefusesTraversal(t *testing.T) {
	for _, bad := range []string{"../P0S3-8-12-00.sb2", "/etc/P0S3-8-12-00.sb2", `..\..\P0S3-8-12-00.sbn`, "x/../../README"} {
		src := buildZip(t, []archFile{
			{"P0S3-8-12-00.loads", "loads"},
			{bad, "evil"},
		})
		dst := t.TempDir()
		written, err := Import(src, dst)
		if !errors.Is(err, ErrUnsafeArchive) {
			t.Errorf("zip with %q: %v, %v; want ErrUnsafeArchive", bad, written, err)
		}
		if got := dirFiles(t, dst); len(got) != 0 {
			t.Errorf("zip with %q: wrote %v", bad, got)
		}
	}
	// The same inside a tar inside the zip.
	src := buildZip(t, []archFile{{"7940_7960/SIP/P0S3-8-12-00.tar", string(buildTar(t, []archFile{{"../P0S3-8-12-00.sb2", "x"}}))}})
	if _, err := Import(src, t.TempDir()); !errors.Is(err, ErrUnsafeArchive) {
		t.Errorf("tar in zip with traversal: %v", err)
	}
}

func TestImportTarInZipAndDirectory(t *testing.T) {
	inner := buildTar(t, []archFile{
		{"P0S3-07-5-00.loads", "l"}, {"P0S3-07-5-00.sb2", "s"}, {"P003-07-5-00.sbn", "n"},
		{"P003-07-5-00.bin", "b"}, {"P0S3-07-5-00.bin", "b2"}, {"OS79XX.TXT", "P003-07-5-00"},
	})
	src := buildZip(t, []archFile{{"7940_7960/SIP/P0S3-07-5-00.tar", string(inner)}})
	dst := t.TempDir()
	written, err := Import(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 5 || slices.Contains(written, "OS79XX.TXT") {
		t.Errorf("tar in zip wrote %v", written)
	}

	// A directory, searched recursively, with names in odd case and the
	// padded 8.12 spelling: written under the names phones ask for.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"sub/p0s3-08-12-00.LOADS": "l", "P0S3-8-12-00.sb2": "s", "P003-8-12-00.SBN": "n", "sub/P003-8-12-00.bin": "b",
		"SIPDefault.cnf": "image_version: P0S3-8-12-00",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dst = t.TempDir()
	written, err = Import(dir, dst)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"P003-8-12-00.bin", "P003-8-12-00.sbn", "P0S3-8-12-00.loads", "P0S3-8-12-00.sb2"}
	if !slices.Equal(written, want) {
		t.Errorf("directory import wrote %v, want %v", written, want)
	}

	// A single file.
	one := filepath.Join(t.TempDir(), "P0S30203.bin")
	if err := os.WriteFile(one, []byte("old sip"), 0o600); err != nil {
		t.Fatal(err)
	}
	if written, err := Import(one, dst); err != nil || !slices.Equal(written, []string{"P0S30203.bin"}) {
		t.Errorf("single file: %v, %v", written, err)
	}
}

func TestImportErrors(t *testing.T) {
	noFW := buildZip(t, []archFile{{"OS79XX.TXT", "P0S3-8-12-00"}, {"readme.txt", "x"}})
	if _, err := Import(noFW, t.TempDir()); !errors.Is(err, ErrNoFirmware) {
		t.Errorf("zip without firmware: %v", err)
	}
	conflict := buildZip(t, []archFile{{"a/P0S30203.bin", "one"}, {"b/p0s30203.BIN", "two"}})
	if _, err := Import(conflict, t.TempDir()); err == nil || !strings.Contains(err.Error(), "a/P0S30203.bin and b/p0s30203.BIN") {
		t.Errorf("two different copies of one file: %v", err)
	}
	ok := buildZip(t, []archFile{{"P0S30203.bin", "x"}})
	if _, err := Import(ok, filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("import into a missing directory succeeded")
	}
	if _, err := Import(filepath.Join(t.TempDir(), "missing.zip"), t.TempDir()); err == nil {
		t.Error("import of a missing source succeeded")
	}
}

// A symlink planted in the TFTP root where an image goes is replaced as
// an entry; its target is neither read nor written. A symlink in a source
// directory is skipped, so it cannot copy a file from elsewhere into the
// world-readable TFTP root.
func TestImportPlantedSymlinks(t *testing.T) {
	base := t.TempDir()
	secret := filepath.Join(base, "secret")
	if err := os.WriteFile(secret, []byte("root:secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(base, "tftpboot")
	src := filepath.Join(base, "src")
	for _, d := range []string{dst, src, filepath.Join(src, "sub")} {
		if err := os.Mkdir(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(src, "P0S3-8-12-00.loads"), []byte("loads"), 0o644)
	os.Symlink(secret, filepath.Join(src, "P0S3-8-12-00.sb2"))
	os.Symlink(base, filepath.Join(src, "linkdir"))
	os.Symlink(secret, filepath.Join(src, "sub", "P003-8-12-00.bin"))
	os.Symlink(secret, filepath.Join(dst, "P0S3-8-12-00.loads"))

	res, err := ImportFiles(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Written, []string{"P0S3-8-12-00.loads"}) || !slices.Equal(res.Replaced, []string{"P0S3-8-12-00.loads"}) {
		t.Errorf("Written %v, Replaced %v; want the .loads written over the link", res.Written, res.Replaced)
	}
	if b, _ := os.ReadFile(secret); string(b) != "root:secret\n" {
		t.Errorf("link target changed: %q", b)
	}
	if fi, _ := os.Stat(secret); fi.Mode().Perm() != 0o600 {
		t.Errorf("link target mode changed: %v", fi.Mode())
	}
	got := dirFiles(t, dst)
	if len(got) != 1 || got["P0S3-8-12-00.loads"] != "loads" {
		t.Errorf("TFTP root holds %v", got)
	}
}

// TestImportLargeTarInZip: the class of b16-firmware-large-tar: a .tar
// inside a zip holding another model's load over maxFileSize is streamed,
// its 7940/7960 files imported; __MACOSX/ and ._NAME are left out quietly.
func TestImportLargeTarInZip(t *testing.T) {
	big := strings.Repeat("\x00", maxFileSize+1)
	inner := buildTar(t, []archFile{
		{"cvm41sccp.9-2-1TH1-13.sbn", big},
		{"P00308010200.loads", "loads"},
		{"._P00308010200.loads", "Mac OS X"},
	})
	src := buildZip(t, []archFile{
		{"cme/cme-full.tar", string(inner)},
		{"__MACOSX/cme/._P00308010200.sbn", "Mac OS X"},
		{"cme/P00308010200.sbn", "sbn"},
	})
	dst := t.TempDir()
	res, err := ImportFiles(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"P00308010200.loads", "P00308010200.sbn"}; !slices.Equal(res.Written, want) {
		t.Errorf("Written = %v, want %v", res.Written, want)
	}
	if !slices.Equal(res.OtherModels, []string{"cvm41sccp.9-2-1TH1-13.sbn"}) || len(res.Misnamed) != 0 {
		t.Errorf("OtherModels = %v, Misnamed = %v", res.OtherModels, res.Misnamed)
	}
	// An image over the limit is still refused.
	tooBig := buildZip(t, []archFile{{"x.tar", string(buildTar(t, []archFile{{"P0S3-8-12-00.loads", big}}))}})
	if _, err := ImportFiles(tooBig, t.TempDir()); err == nil || !strings.Contains(err.Error(), "P0S3-8-12-00.loads: larger than") {
		t.Errorf("oversized image: err = %v", err)
	}
}
