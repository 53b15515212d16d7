package installtest

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestShippedImportsNoTestCode: the two binaries link no test code, such as
// the phone emulator with its DHCP and TFTP clients or a test helper
// (issue 12: "nothing shipped imports test code"; README says the
// emulator is not shipped).
func TestShippedImportsNoTestCode(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}",
		"./cmd/setup-cisco", "./cmd/setup-dhcp")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	testCode := regexp.MustCompile(`/(phoneemu|testdb|testscript|[a-z]*test)(/|$)|go-internal`)
	var bad []string
	for _, p := range strings.Fields(string(out)) {
		if testCode.MatchString(p) {
			bad = append(bad, p)
		}
	}
	if len(bad) > 0 {
		t.Errorf("shipped binaries import test code: %s", strings.Join(bad, " "))
	}
}
