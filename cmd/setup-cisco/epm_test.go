package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// caseSite is a database with the FreePBX schema and one field case's rows
// (shared/cases, copied to testdata/cases), a TFTP root and a settings file.
type caseSite struct {
	t    *testing.T
	db   *testdb.DB
	dsn  string
	root string
	conf string
}

func newCaseSite(t *testing.T, sqlFiles ...string) *caseSite {
	t.Helper()
	base := testdb.BaseDSN(t)
	db, cleanup, err := testdb.Create(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	for _, f := range sqlFiles {
		b, err := os.ReadFile(filepath.Join("testdata/cases", f))
		if err != nil {
			t.Fatal(err)
		}
		db.MustExec(t, string(b))
	}
	dir := reachableTempDir(t)
	s := &caseSite{t: t, db: db, dsn: db.DSN, root: filepath.Join(dir, "tftp"), conf: filepath.Join(dir, "site.conf")}
	os.MkdirAll(s.root, 0o755)
	os.WriteFile(s.conf, []byte("proxy_address = 192.0.2.10\ntemplates = "+dir+"/templates\n"), 0o644)
	return s
}

// cli runs setup-cisco with the site's database, settings and root.
func (s *caseSite) cli(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(append([]string{"--db-dsn", s.dsn, "-c", s.conf, "-r", s.root}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func (s *caseSite) file(name string) string {
	b, err := os.ReadFile(filepath.Join(s.root, name))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

func match(t *testing.T, what, re, s string) {
	t.Helper()
	if !regexp.MustCompile(re).MatchString(s) {
		t.Errorf("%s: no match for %q in:\n%s", what, re, s)
	}
}

// The field case: an Endpoint Manager 7940 with three lines (the Endpoint
// Manager allows four). Keys 1 and 2 are written, line 3 is named as
// dropped by the run, phone list and doctor alike.
func TestEPM7940ThreeLines(t *testing.T) {
	s := newCaseSite(t, "epm-7940-three-lines.sql")
	code, _, stderr := s.cli()
	if code != exitBadRows {
		t.Errorf("run: exit %d, want %d (a line is not written)", code, exitBadRows)
	}
	dropped := `phone 001122334416 line 3 \(extension 1004\) \[endpointman\]: line 3 is beyond the 7940's 2 lines \(the Endpoint Manager allows 4, the phone has 2 line keys\); this line is left out, the phone's other lines are written`
	match(t, "run stderr", `(?m)^setup-cisco: `+dropped+`$`, stderr)
	cnf := s.file("SIP001122334416.cnf")
	match(t, "cnf", `(?m)^line1_name: "2001"$`, cnf)
	match(t, "cnf", `(?m)^line2_name: "1003"$`, cnf)
	if strings.Contains(cnf, "1004") || strings.Contains(cnf, "line3_") {
		t.Errorf("line 3 written:\n%s", cnf)
	}

	code, stdout, stderr := s.cli("phone", "list")
	if code != exitBadRows {
		t.Errorf("phone list: exit %d", code)
	}
	match(t, "phone list", `(?m)^001122334416\s+7940\s+endpointman\s+1:2001,2:1003\s`, stdout)
	match(t, "phone list", dropped, stderr)

	_, stdout, _ = s.cli("doctor")
	match(t, "doctor", `phone 001122334416.*line 3 is beyond the 7940's 2 lines`, stdout)
}

// A line on an IAX2 device: the run rejects the phone, and phone list and
// doctor say the same (phone list used to exit 0).
func TestIAXLineSameEverywhere(t *testing.T) {
	s := newCaseSite(t, "lab-phone-2113.sql")
	s.db.MustExec(t, `INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES ('2200', 'iax2', 'IAX2/2200', 'fixed', '2200', 'Old Softphone');
		INSERT INTO endpointman_brand_list (id, name, directory, installed) VALUES ('7', 'Cisco/Linksys', 'cisco', 1);
		INSERT INTO endpointman_model_list (id, brand, model, max_lines, product_id, enabled) VALUES ('712', 7, '7960', 6, '71', 1);
		INSERT INTO endpointman_mac_list (id, mac, model) VALUES (1, '0011223344aa', '712');
		INSERT INTO endpointman_line_list (mac_id, line, ext, description) VALUES (1, 1, '2113', 'Lab'), (1, 2, '2200', 'Soft')`)
	want := `phone 0011223344AA line 2 \(extension 2200\) \[endpointman\]: unknown extension: 2200 is an IAX2 device in FreePBX, not SIP or PJSIP; a Cisco SIP phone cannot register it`
	code, _, stderr := s.cli()
	if code != exitBadRows {
		t.Errorf("run: exit %d", code)
	}
	match(t, "run", want+`; its files were left as they were`, stderr)
	if _, err := os.Stat(filepath.Join(s.root, "SIP0011223344AA.cnf")); err == nil {
		t.Error("the bad phone's file was written")
	}
	code, _, stderr = s.cli("phone", "list")
	if code != exitBadRows {
		t.Errorf("phone list: exit %d", code)
	}
	match(t, "phone list", want, stderr)
	code, stdout, _ := s.cli("doctor")
	if code == 0 {
		t.Error("doctor: exit 0")
	}
	match(t, "doctor", `phone 0011223344AA.*2200 is an IAX2 device`, stdout)
	// phone add refuses it in the same terms.
	code, _, stderr = s.cli("phone", "add", "001122334477", "2113,2200", "--model", "7960")
	if code != exitFatal {
		t.Errorf("phone add: exit %d", code)
	}
	match(t, "phone add", `line 2: extension 2200 is not a SIP or PJSIP extension in FreePBX \(it is an IAX2 device\)`, stderr)
}
