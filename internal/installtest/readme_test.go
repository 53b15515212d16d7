package installtest

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeTestPackages: README's list of the packages the test command
// installs is the one need_packages line of scripts/test (issue 15.10).
func TestReadmeTestPackages(t *testing.T) {
	script := read(t, "../../scripts/test")
	i := strings.Index(script, "\nneed_packages ")
	if i < 0 {
		t.Fatal("scripts/test: no need_packages line")
	}
	call := script[i+1:]
	call = call[:strings.Index(call, "\n\n")]
	var want []string
	for _, pair := range strings.Fields(strings.ReplaceAll(call, "\\\n", " "))[1:] {
		_, pkg, ok := strings.Cut(pair, ":")
		if !ok {
			t.Fatalf("scripts/test: need_packages %q: not CMD:PACKAGE", pair)
		}
		if !slices.Contains(want, pkg) {
			want = append(want, pkg)
		}
	}

	readme := read(t, "../../README.md")
	j := strings.Index(readme, "installs the packages it needs")
	if j < 0 {
		t.Fatal("README: the test command's package list is gone")
	}
	item := readme[j:]
	item = item[:strings.Index(item, ";\n")]
	var got []string
	for _, m := range regexp.MustCompile("`([a-z0-9.+-]+)`").FindAllStringSubmatch(item, -1) {
		if m[1] != "scripts/test" && m[1] != "need_packages" {
			got = append(got, m[1])
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("README lists %q; scripts/test installs %q", got, want)
	}
}
