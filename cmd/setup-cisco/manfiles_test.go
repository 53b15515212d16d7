package main

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/hook"
	"github.com/setup-cisco/setup-cisco/internal/provision"
)

// Every file the hook keeps (hook.Paths) is named in the hook commands'
// --help and in the man page's FILES, and so is the state directory of
// the run; every file any command's --help names is in the page. A path
// added to the code without its line in the manual fails here.
func TestManPageFilesComplete(t *testing.T) {
	var b bytes.Buffer
	if code := Main([]string{"man-page"}, &b, os.Stderr); code != 0 {
		t.Fatalf("man-page: exit %d", code)
	}
	page := strings.ReplaceAll(b.String(), `\-`, "-")
	p := hook.DefaultPaths("/")
	v := reflect.ValueOf(p)
	for i := range v.NumField() {
		name, path := v.Type().Field(i).Name, v.Field(i).String()
		switch name {
		case "PathEnabled": // the link systemctl enable makes
			continue
		case "Spool":
			path = p.Trigger()
		}
		if !strings.Contains(hookFiles, path) || !strings.Contains(page, path) {
			t.Errorf("hook.Paths.%s %s: not in hook status --help and the man page", name, path)
		}
	}
	if !strings.Contains(page, provision.DefaultStateDir) || !strings.Contains(files, provision.DefaultStateDir) {
		t.Errorf("the state directory %s is not in the run's --help Files and the man page", provision.DefaultStateDir)
	}
	for path, d := range commandDocs {
		for _, l := range strings.Split(d.files, "\n") {
			if strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   ") {
				tag, _, _ := strings.Cut(strings.TrimSpace(l), "  ")
				if !strings.Contains(page, tag) {
					t.Errorf("%s --help names %s; the man page does not", path, tag)
				}
			}
		}
	}
}
