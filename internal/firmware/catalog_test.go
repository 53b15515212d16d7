package firmware

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// openTempDir is a t.TempDir that a daemon running as another user could
// enter (t.TempDir's parent is created 0700).
func openTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if blocked, err := blockedDirs(dir); err != nil || len(blocked) > 0 {
		t.Skipf("temporary directory not reachable by other users (%v %v); set TMPDIR", blocked, err)
	}
	return dir
}

// tftpRoot makes a TFTP root holding the given files (name -> mode).
func tftpRoot(t *testing.T, files map[string]os.FileMode) string {
	t.Helper()
	dir := openTempDir(t)
	for name, mode := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(name), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // umask-proof
			t.Fatal(err)
		}
	}
	return dir
}

func TestScan(t *testing.T) {
	dir := tftpRoot(t, map[string]os.FileMode{
		// 8.12 complete
		"P0S3-8-12-00.loads": 0o644, "P0S3-8-12-00.sb2": 0o644, "P003-8-12-00.bin": 0o644, "P003-8-12-00.sbn": 0o644,
		// 8.6 without its loader .sbn, and its .sb2 unreadable by the daemon
		"P0S3-08-6-00.loads": 0o644, "P0S3-08-6-00.sb2": 0o600, "P003-08-6-00.bin": 0o644,
		// 7.5: the three required files plus the optional .bin
		"P0S3-07-5-00.loads": 0o644, "P0S3-07-5-00.sb2": 0o644, "P003-07-5-00.sbn": 0o644, "P0S3-07-5-00.bin": 0o644,
		// 5.1 only as .sbn
		"P0S3-05-1-00.sbn": 0o644,
		// 4.4 and the 8.3 bridge
		"P0S3-04-4-00.bin": 0o644, "P0S30203.bin": 0o644,
		// 6.3 in lower case: present but misnamed
		"p0s3-06-3-00.bin": 0o644, "P0S3-06-3-00.sbn": 0o644,
		// not firmware
		"OS79XX.TXT": 0o644, "SIPDefault.cnf": 0o644, "RINGLIST.DAT": 0o600,
	})
	cat, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.BlockedDirs) != 0 {
		t.Fatalf("BlockedDirs = %v", cat.BlockedDirs)
	}
	var got []string
	for _, e := range cat.Entries {
		got = append(got, e.Image.Name)
	}
	want := []string{"P0S30203", "P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00", "P0S3-07-5-00", "P0S3-08-6-00", "P0S3-8-12-00"}
	if !slices.Equal(got, want) {
		t.Fatalf("entries %v, want %v", got, want)
	}

	e, _ := cat.Lookup("P0S3-08-6-00")
	if !slices.Equal(e.Missing, []string{"P003-08-6-00.sbn"}) || !slices.Equal(e.Unreadable, []string{"P0S3-08-6-00.sb2"}) {
		t.Errorf("8.6: missing %v unreadable %v", e.Missing, e.Unreadable)
	}
	e, _ = cat.Lookup("p0s3-05-1-00.sbn")
	if !slices.Equal(e.Missing, []string{"P0S3-05-1-00.bin"}) {
		t.Errorf("5.1: missing %v", e.Missing)
	}
	e, _ = cat.Lookup("P0S3-06-3-00")
	if !slices.Equal(e.Missing, []string{"P0S3-06-3-00.bin"}) ||
		!slices.Equal(e.Misnamed, []Rename{{Have: "p0s3-06-3-00.bin", Want: "P0S3-06-3-00.bin"}}) {
		t.Errorf("6.3: missing %v misnamed %v", e.Missing, e.Misnamed)
	}
	e, _ = cat.Lookup("P003-07-5-00") // a loader name finds its bundle
	if len(e.Missing) != 0 || len(e.Present) != 4 {
		t.Errorf("7.5: missing %v present %v", e.Missing, e.Present)
	}

	for name, want := range map[string]bool{
		"P0S3-8-12-00": true, "P0S3-08-12-00": true, "P0S3-07-5-00": true, "P0S3-04-4-00": true, "P0S30203": true,
		"P0S3-08-6-00": false, "P0S3-05-1-00": false, "P0S3-06-3-00": false, "P0S3-08-11-00": false, "garbage": false,
	} {
		if got := cat.Complete(name); got != want {
			t.Errorf("Complete(%s) = %v, want %v", name, got, want)
		}
	}
	if img, ok := cat.Newest(); !ok || img.Name != "P0S3-8-12-00" {
		t.Errorf("Newest = %v, %v", img, ok)
	}

	var fams []Family
	for _, g := range cat.Groups() {
		fams = append(fams, g.Family)
	}
	if !slices.Equal(fams, []Family{Family3, Family4, FamilySigned, Family8}) {
		t.Errorf("groups %v", fams)
	}
	if g := cat.Groups()[2]; len(g.Entries) != 3 {
		t.Errorf("5.x-7.x group holds %d entries", len(g.Entries))
	}

	// The catalog feeds the planner: the incomplete 5.1 and 6.3 fall back to
	// default names, flagged.
	steps, err := Plan(MustParse("P0S3-04-4-00"), MustParse(DefaultTarget), cat.Available()...)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(steps); !slices.Equal(got, []string{"P0S3-05-1-00", "P0S3-06-3-00", "P0S3-07-5-00", "P0S3-8-12-00"}) {
		t.Errorf("plan from catalog %v", got)
	}
	if !steps[0].Default || !steps[1].Default || steps[2].Default || steps[3].Default {
		t.Errorf("default flags wrong: %+v", steps)
	}
}

func TestScanNewestSkipsIncomplete(t *testing.T) {
	dir := tftpRoot(t, map[string]os.FileMode{
		"P0S3-8-12-00.loads": 0o644, "P0S3-8-12-00.sb2": 0o644, "P003-8-12-00.sbn": 0o644, // no .bin
		"P0S3-08-2-00.loads": 0o644, "P0S3-08-2-00.sb2": 0o644, "P003-08-2-00.bin": 0o644, "P003-08-2-00.sbn": 0o640,
		"P0S3-07-5-00.loads": 0o444, "P0S3-07-5-00.sb2": 0o444, "P003-07-5-00.sbn": 0o444,
	})
	cat, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if img, ok := cat.Newest(); !ok || img.Name != "P0S3-07-5-00" {
		t.Errorf("Newest = %v, %v; want the 7.5 (8.12 lacks a file, 8.2 has a 0640 file)", img, ok)
	}
	empty, err := Scan(openTempDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := empty.Newest(); ok || len(empty.Entries) != 0 {
		t.Errorf("empty root: %+v", empty)
	}
}

func TestScanBlockedDir(t *testing.T) {
	base := openTempDir(t)
	root := filepath.Join(base, "private", "tftpboot")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(base, "private"), 0o750); err != nil {
		t.Fatal(err)
	}
	for _, f := range RequiredFiles(MustParse("P0S3-8-12-00")) {
		if err := os.WriteFile(filepath.Join(root, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cat.BlockedDirs, []string{filepath.Join(base, "private")}) {
		t.Fatalf("BlockedDirs = %v", cat.BlockedDirs)
	}
	if cat.Complete("P0S3-8-12-00") || cat.Available() != nil {
		t.Error("a load behind a blocked directory counts as complete")
	}
	ws := CheckSite(MustParse("P0S3-8-12-00"), cat)
	if len(ws) != 1 || !slices.Equal(ws[0].Files, []string{filepath.Join(base, "private")}) {
		t.Errorf("CheckSite = %v", ws)
	}

	if _, err := Scan(filepath.Join(base, "nonexistent")); err == nil {
		t.Error("Scan of a missing directory succeeded")
	}
}

func TestCheckSite(t *testing.T) {
	dir := tftpRoot(t, map[string]os.FileMode{
		"P0S3-8-12-00.loads": 0o644, "P0S3-8-12-00.sb2": 0o600, "P003-8-12-00.sbn": 0o644, "P003-08-12-00.bin": 0o644,
		"P0S3-04-4-00.bin": 0o644,
	})
	cat, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		site  string
		want  []string // substrings, one per warning
		files [][]string
	}{
		{"P0S3-04-4-00", nil, nil},
		{"P0S3-8-12-00",
			[]string{"missing", "phones ask for P003-8-12-00.bin", "not readable"},
			[][]string{{"P003-8-12-00.bin"}, {"P003-08-12-00.bin"}, {"P0S3-8-12-00.sb2"}}},
		{"P0S3-07-5-00", []string{"no files of this load"}, [][]string{RequiredFiles(MustParse("P0S3-07-5-00"))}},
		{"P003-8-12-00", []string{"universal loader, not a load for image_version; use P0S3-8-12-00"}, [][]string{nil}},
		{"P00308010200", []string{"SCCP load"}, [][]string{nil}},
	}
	for _, tt := range tests {
		ws := CheckSite(MustParse(tt.site), cat)
		if len(ws) != len(tt.want) {
			t.Errorf("CheckSite(%s) = %v, want %d warnings", tt.site, ws, len(tt.want))
			continue
		}
		for i, w := range ws {
			if !strings.Contains(w.String(), tt.want[i]) || !slices.Equal(w.Files, tt.files[i]) {
				t.Errorf("CheckSite(%s)[%d] = %q %v, want %q %v", tt.site, i, w, w.Files, tt.want[i], tt.files[i])
			}
		}
	}
}

func TestRequiredFiles(t *testing.T) {
	tests := map[string][]string{
		"P0S3-8-12-00":  {"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"},
		"P003-8-12-00":  {"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"},
		"P0S3-08-11-00": {"P0S3-08-11-00.loads", "P0S3-08-11-00.sb2", "P003-08-11-00.bin", "P003-08-11-00.sbn"},
		"P0S3-08-2-00":  {"P0S3-08-2-00.loads", "P0S3-08-2-00.sb2", "P003-08-2-00.bin", "P003-08-2-00.sbn"},
		"P0S3-07-5-00":  {"P0S3-07-5-00.loads", "P0S3-07-5-00.sb2", "P003-07-5-00.sbn"},
		"P0S3-06-3-00":  {"P0S3-06-3-00.bin", "P0S3-06-3-00.sbn"},
		"P0S3-05-1-00":  {"P0S3-05-1-00.bin", "P0S3-05-1-00.sbn"},
		"P0S3-04-4-00":  {"P0S3-04-4-00.bin"},
		"P0S30203":      {"P0S30203.bin"},
		"P003AM30":      {"P003AM30.bin"},
		"P00308010200":  {"P00308010200.loads", "P00308010200.sb2", "P00308010200.sbn", "P00308010200.bin"},
		"P00305000200":  {"P00305000200.bin", "P00305000200.sbn"},
		"P0M3-07-1-00":  nil,
	}
	for in, want := range tests {
		if got := RequiredFiles(MustParse(in)); !slices.Equal(got, want) {
			t.Errorf("RequiredFiles(%s) = %v, want %v", in, got, want)
		}
	}
	if got := OptionalFiles(MustParse("P0S3-07-5-00")); !slices.Equal(got, []string{"P003-07-5-00.bin", "P0S3-07-5-00.bin"}) {
		t.Errorf("OptionalFiles(7.5) = %v", got)
	}
	if got := OptionalFiles(MustParse("P0S3-8-12-00")); got != nil {
		t.Errorf("OptionalFiles(8.12) = %v", got)
	}
}

// TestScanNotImagesAndOwners: files of a load that cannot be its images (a
// sparse file of gigabytes, an HTML page) make it incomplete; files of
// another user are named (Foreign) without making it so.
func TestScanNotImagesAndOwners(t *testing.T) {
	root := openTempDir(t)
	for _, f := range sip812 {
		if err := os.WriteFile(filepath.Join(root, f.name), []byte(f.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := Scan(root)
	if e, _ := cat.Lookup("P0S3-8-12-00"); err != nil || !e.Complete() {
		t.Fatalf("healthy load: %+v, %v", cat, err)
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(filepath.Join(root, "P003-8-12-00.bin"), 65534, 65534); err != nil {
			t.Fatal(err)
		}
		cat, _ = Scan(root)
		e, _ := cat.Lookup("P0S3-8-12-00")
		if !e.Complete() || len(e.Foreign) != 1 || e.Foreign[0] != (Owned{"P003-8-12-00.bin", 65534}) {
			t.Errorf("another user's file: complete %v, Foreign %v", e.Complete(), e.Foreign)
		}
	}
	if err := os.Truncate(filepath.Join(root, "P0S3-8-12-00.sb2"), 20<<30); err != nil {
		t.Skipf("sparse file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(root, "P003-8-12-00.sbn"), []byte("<html><head><title>Login</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, _ = Scan(root)
	e, _ := cat.Lookup("P0S3-8-12-00")
	if e.Complete() || len(e.Invalid) != 2 || e.Invalid[0].Name != "P003-8-12-00.sbn" || !strings.Contains(e.Invalid[1].Why, "20.0 GiB") {
		t.Errorf("not images: complete %v, Invalid %v", e.Complete(), e.Invalid)
	}
	if ws := CheckSite(MustParse("P0S3-8-12-00"), cat); len(ws) != 2 {
		t.Errorf("CheckSite = %v", ws)
	}
}
