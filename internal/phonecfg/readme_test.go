package phonecfg_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite README.md's key list from the key table")

const (
	keysBegin = "<!-- BEGIN keys: generated from internal/phonecfg/keys.go by `go test ./internal/phonecfg -update-readme` -->\n"
	keysEnd   = "<!-- END keys -->"
)

// README's key list is the key table (issue 10.8).
func TestReadmeKeyList(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, keysBegin), strings.Index(s, keysEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q section", strings.TrimSpace(keysBegin), keysEnd)
	}
	want := phonecfg.KeyTableMarkdown()
	if got := s[i+len(keysBegin) : j]; got != want {
		if *updateReadme {
			if err := os.WriteFile(path, []byte(s[:i+len(keysBegin)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's key list differs from the key table; run go test ./internal/phonecfg -update-readme\n got:\n%s\nwant:\n%s", got, want)
	}
}
