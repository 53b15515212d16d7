package udiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	b := "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n"
	got := Unified("a", "b", a, b)
	want := `--- a
+++ b
@@ -1,6 +1,6 @@
 1
 2
-3
+three
 4
 5
 6
@@ -10,3 +10,4 @@
 10
 11
 12
+13
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if Unified("a", "b", a, a) != "" {
		t.Error("equal inputs gave a diff")
	}
}

// The output must be what patch(1) accepts: apply it and compare.
func TestPatchApplies(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch not installed")
	}
	cases := [][2]string{
		{"", "new\nfile\n"},
		{"old\n", ""},
		{"a\nb\nc\n", "a\nc\nd\n"},
		{"x\ny", "x\nz"},
		{strings.Repeat("same\n", 20) + "end\n", "start\n" + strings.Repeat("same\n", 20)},
	}
	for _, c := range cases {
		dir := t.TempDir()
		f := filepath.Join(dir, "f")
		os.WriteFile(f, []byte(c[0]), 0o644)
		d := Unified("f", "f", c[0], c[1])
		cmd := exec.Command(patch, "-s", f)
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("patch failed on %q->%q: %v\n%s\n%s", c[0], c[1], err, out, d)
			continue
		}
		got, _ := os.ReadFile(f)
		if string(got) != c[1] {
			t.Errorf("patched %q, want %q\n%s", got, c[1], d)
		}
	}
}
