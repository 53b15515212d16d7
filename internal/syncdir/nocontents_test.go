package syncdir

import (
	"os"
	"testing"
)

// A dry run keeps the changes' contents for a diff unless NoContents; it
// makes nothing in the directory either way.
func TestDryRunNoContents(t *testing.T) {
	dir := t.TempDir()
	if _, err := Sync(dir, []File{{"old.cnf", []byte("old")}, {"gone.cnf", []byte("gone")}}, Options{}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(dir)
	for _, no := range []bool{false, true} {
		res, err := Sync(dir, []File{{"old.cnf", []byte("new")}, {"new.cnf", []byte("added")}}, Options{DryRun: true, NoContents: no})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changes) != 3 {
			t.Fatalf("NoContents %v: changes %+v", no, res.Changes)
		}
		for _, c := range res.Changes {
			held := c.Old() != nil || c.New() != nil
			if held == no {
				t.Errorf("NoContents %v: %s %v holds contents %v", no, c.Name, c.Kind, held)
			}
		}
		after, _ := os.ReadDir(dir)
		if len(after) != len(before) {
			t.Errorf("NoContents %v: the dry run changed the directory: %v", no, after)
		}
	}
}
