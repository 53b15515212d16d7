package provision

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// manyPhones adds n 7960s (MACs 000000A00000 on), each with its own
// chan_sip extension 3000+i ("User i", secret "secretNNNN"), and the
// sample's 001122AABBCC.
func manyPhones(t *testing.T, db *testdb.DB, n int) {
	t.Helper()
	var users, devices, secrets, phones, lines []string
	for i := range n {
		ext := fmt.Sprint(3000 + i)
		users = append(users, fmt.Sprintf("('%s', 'User %d')", ext, i))
		devices = append(devices, fmt.Sprintf("('%s', 'sip', 'SIP/%s', 'fixed', '%s', 'User %d')", ext, ext, ext, i))
		secrets = append(secrets, fmt.Sprintf("('%s', 'secret', 'secret%04d', 2), ('%s', 'account', '%s', 20)", ext, i, ext, ext))
		phones = append(phones, fmt.Sprintf("('%012X', '7960')", 0xA00000+i))
		lines = append(lines, fmt.Sprintf("('%012X', 1, '%s')", 0xA00000+i, ext))
	}
	addPhone(t, db, "001122AABBCC", "7960", "1001") // creates the tables
	db.MustExec(t, "INSERT INTO users (extension, name) VALUES "+strings.Join(users, ", "))
	db.MustExec(t, "INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES "+strings.Join(devices, ", "))
	db.MustExec(t, "INSERT INTO sip (id, keyword, data, flags) VALUES "+strings.Join(secrets, ", "))
	db.MustExec(t, "INSERT INTO setup_cisco_phone (mac, model) VALUES "+strings.Join(phones, ", "))
	db.MustExec(t, "INSERT INTO setup_cisco_line (mac, line, ext) VALUES "+strings.Join(lines, ", "))
}

// Enough phones for the workers to write new files themselves and for
// Commit to rename two at a time (run with -race): a first run writes
// every file whole, a rerun touches nothing, one changed name changes that
// phone alone, and a file edited behind our back is repaired.
func TestManyPhones(t *testing.T) {
	db, o := site(t)
	const n = 150
	manyPhones(t, db, n)

	rep := run(t, o)
	if len(rep.Changed) != n+1 {
		t.Fatalf("first run changed %d phones, want %d", len(rep.Changed), n+1)
	}
	for i := range n {
		mac := fmt.Sprintf("%012X", 0xA00000+i)
		cnf := read(t, filepath.Join(o.TFTPRoot, "SIP"+mac+".cnf"))
		if !strings.Contains(cnf, fmt.Sprintf("line1_password: \"secret%04d\"", i)) || !strings.Contains(cnf, fmt.Sprintf("line1_displayname: \"User %d\"", i)) {
			t.Fatalf("SIP%s.cnf:\n%s", mac, cnf)
		}
		if _, err := os.Stat(filepath.Join(o.TFTPRoot, "SEP"+mac+".cnf.xml")); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(o.TFTPRoot)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".setup-cisco-tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	before := snapshot(t, o.TFTPRoot)
	if rep = run(t, o); len(rep.Result.Changes) != 0 {
		t.Errorf("rerun changed %v", rep.Result.Changes)
	}
	if after := snapshot(t, o.TFTPRoot); after != before {
		t.Error("rerun touched the tree")
	}

	db.MustExec(t, "UPDATE users SET name = 'Renamed' WHERE extension = '3077'")
	rep = run(t, o)
	if want := []macaddr.MAC{macaddr.MAC(fmt.Sprintf("%012X", 0xA00000+77))}; !slices.Equal(rep.Changed, want) {
		t.Errorf("one name changed: phones %v changed, want %v", rep.Changed, want)
	}
	path := filepath.Join(o.TFTPRoot, fmt.Sprintf("SIP%012X.cnf", 0xA00000+5))
	os.WriteFile(path, []byte("edited\n"), 0o644)
	run(t, o)
	if got := read(t, path); got == "edited\n" || !strings.Contains(got, `line1_password: "secret0005"`) {
		t.Errorf("edit behind our back not repaired:\n%s", got)
	}
}

// A per-phone template that reads the whole phone list (here every phone's
// sync value) is planned one batch at a time: applying a batch changes its
// phones' sync values, which the next batch's files show (run with -race).
func TestPhoneListTemplateManyPhones(t *testing.T) {
	db, o := site(t)
	manyPhones(t, db, 150)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "SEPMAC.cnf.xml.tmpl"), []byte("<device>{{len .Phones}}{{range .Phones}} {{.MAC}}={{.Sync}}{{end}}</device>\n"), 0o644)
	o.Templates = dir
	run(t, o)
	sep := filepath.Join(o.TFTPRoot, fmt.Sprintf("SEP%012X.cnf.xml", 0xA00000+149))
	if got := read(t, sep); !strings.HasPrefix(got, "<device>151 ") || !strings.Contains(got, fmt.Sprintf(" %012X=", 0xA00000+77)) {
		t.Fatalf("SEP file of the last phone:\n%.200s", got)
	}
	db.MustExec(t, "UPDATE users SET name = 'Renamed' WHERE extension = '3077'")
	rep := run(t, o)
	// Phone 77 changed and got the new generation; the batch after its
	// own was rendered after that and shows it.
	if got, want := read(t, sep), fmt.Sprintf(" %012X=%s ", 0xA00000+77, rep.Generation); !strings.Contains(got, want) {
		t.Errorf("SEP file of the last phone does not show %q:\n%.300s", want, got)
	}
	if cnf := read(t, filepath.Join(o.TFTPRoot, fmt.Sprintf("SIP%012X.cnf", 0xA00000+77))); !strings.Contains(cnf, `line1_displayname: "Renamed"`) {
		t.Errorf("renamed phone:\n%s", cnf)
	}
	// The files of the phones planned before the renamed one showed its
	// old sync value: the next run brings them up to date, then nothing
	// changes.
	run(t, o)
	if rep := run(t, o); len(rep.Result.Changes) != 0 {
		t.Errorf("not settled after two more runs: %d changes", len(rep.Result.Changes))
	}
}
