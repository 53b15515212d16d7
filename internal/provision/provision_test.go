package provision

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/runlock"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// site creates a database with the sample FreePBX data and a TFTP root.
func site(t *testing.T) (*testdb.DB, Options) {
	t.Helper()
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	root := t.TempDir()
	o := Options{
		DB:         dbconf.Options{DSN: db.DSN},
		ConfigPath: filepath.Join(t.TempDir(), "none.conf"),
		TFTPRoot:   root,
		Proxy:      "192.0.2.10",
		Templates:  filepath.Join(t.TempDir(), "no-templates"),
		LockWait:   time.Second,
		StateDir:   filepath.Join(t.TempDir(), "state"),
	}
	return db, o
}

func addPhone(t *testing.T, db *testdb.DB, mac, model string, exts ...string) {
	t.Helper()
	db.MustExec(t, "CREATE TABLE IF NOT EXISTS setup_cisco_phone (mac CHAR(12) NOT NULL PRIMARY KEY, model VARCHAR(8) NOT NULL, label VARCHAR(40) NOT NULL DEFAULT '', image VARCHAR(32) NOT NULL DEFAULT '', ip VARCHAR(15) NOT NULL DEFAULT '')")
	db.MustExec(t, "CREATE TABLE IF NOT EXISTS setup_cisco_line (mac CHAR(12) NOT NULL, line TINYINT UNSIGNED NOT NULL, ext VARCHAR(20) NOT NULL, label VARCHAR(40) NOT NULL DEFAULT '', PRIMARY KEY (mac, line))")
	db.MustExec(t, "INSERT INTO setup_cisco_phone (mac, model) VALUES (?, ?)", mac, model)
	for i, e := range exts {
		db.MustExec(t, "INSERT INTO setup_cisco_line (mac, line, ext) VALUES (?, ?, ?)", mac, i+1, e)
	}
}

func run(t *testing.T, o Options) Report {
	t.Helper()
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// snapshot describes every entry of dir: name, mode, inode, mtime, content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		fi, _ := e.Info()
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		fmt.Fprintf(&b, "%s %v %d %d %q\n", e.Name(), fi.Mode(), fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime().UnixNano(), data)
	}
	return b.String()
}

func problems(rep Report) string {
	var s []string
	for _, p := range rep.Config.Problems {
		s = append(s, p.Error())
	}
	sort.Strings(s)
	return strings.Join(s, "\n")
}

func TestWritesBootableTree(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "001122AABBCC", "7960", "1001", "1002", "1003")
	db.MustExec(t, `INSERT INTO endpointman_mac_list (id, mac, model) VALUES (5, '00aabbccddee', '711');
		INSERT INTO endpointman_line_list (mac_id, line, ext, description) VALUES (5, 1, '1004', 'Support'), (5, 2, '2001', '')`)
	rep := run(t, o)
	if p := problems(rep); p != "" {
		t.Fatalf("problems: %s", p)
	}
	root := o.TFTPRoot
	def := read(t, filepath.Join(root, "SIPDefault.cnf"))
	if !strings.HasPrefix(def, "image_version: \"P0S3-8-12-00\"\n") {
		t.Errorf("SIPDefault.cnf does not start with image_version:\n%s", def)
	}
	if got := read(t, filepath.Join(root, "OS79XX.TXT")); got != "P0S3-8-12-00" {
		t.Errorf("OS79XX.TXT = %q", got)
	}
	p := read(t, filepath.Join(root, "SIP001122AABBCC.cnf"))
	for _, want := range []string{
		"line1_name: \"1001\"\n", "line1_authname: \"1001\"\n", "line1_password: \"a3f1c9e07b2d4e6f8a1b3c5d7e9f0a12\"\n",
		"line1_displayname: \"Alice Reception\"\n", "proxy1_address: \"192.0.2.10\"\n", "proxy1_port: \"5060\"\n",
		"line3_displayname: \"Jurgen Muller\"\n", "proxy3_port: \"5160\"\n", // chan_sip on 5160
	} {
		if !strings.Contains(p, want) {
			t.Errorf("SIP001122AABBCC.cnf lacks %q:\n%s", want, p)
		}
	}
	if strings.Contains(p, "image_version") {
		t.Error("unpinned phone has its own image_version")
	}
	e := read(t, filepath.Join(root, "SIP00AABBCCDDEE.cnf"))
	if !strings.Contains(e, "line1_shortname: \"Support\"\n") || !strings.Contains(e, "line2_name: \"2001\"\n") {
		t.Errorf("Endpoint Manager phone:\n%s", e)
	}
	for _, f := range []string{"SIPDefault.cnf", "SIP001122AABBCC.cnf", "SIP00AABBCCDDEE.cnf", "OS79XX.TXT", "dialplan.xml"} {
		fi, err := os.Stat(filepath.Join(root, f))
		if err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v %v", f, fi.Mode(), err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "RINGLIST.DAT")); !os.IsNotExist(err) {
		t.Error("RINGLIST.DAT written without ring files")
	}
}

func TestIdempotentAndPrune(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	addPhone(t, db, "001122AABBCD", "7940", "1002")
	os.WriteFile(filepath.Join(o.TFTPRoot, "P0S3-8-12-00.loads"), []byte("firmware"), 0o644)
	os.WriteFile(filepath.Join(o.TFTPRoot, "SIP0000000000AA.cnf"), []byte("admin's own"), 0o644)
	run(t, o)
	before := snapshot(t, o.TFTPRoot)
	time.Sleep(20 * time.Millisecond)
	rep := run(t, o)
	if len(rep.Result.Changes) != 0 {
		t.Errorf("second run changed %v", rep.Result.Changes)
	}
	if after := snapshot(t, o.TFTPRoot); after != before {
		t.Errorf("second run touched the tree:\n%s\n---\n%s", before, after)
	}
	db.MustExec(t, "DELETE FROM setup_cisco_phone WHERE mac = '001122AABBCD'; DELETE FROM setup_cisco_line WHERE mac = '001122AABBCD'")
	run(t, o)
	// Reset, not deleted (retire.go, TestRetiredPhone).
	if !strings.Contains(read(t, filepath.Join(o.TFTPRoot, "SIP001122AABBCD.cnf")), "line1_name: \"\"\n") {
		t.Error("removed phone's file not reset")
	}
	for _, keep := range []string{"P0S3-8-12-00.loads", "SIP0000000000AA.cnf", "SIP001122AABBCC.cnf"} {
		if _, err := os.Stat(filepath.Join(o.TFTPRoot, keep)); err != nil {
			t.Errorf("%s: %v", keep, err)
		}
	}
}

func TestBadRows(t *testing.T) {
	db, o := site(t)
	db.MustExec(t, `INSERT INTO users (extension, name) VALUES ('3001','No Secret'), ('3002','Hash Only'), ('3003','Quote Secret');
		INSERT INTO devices (id, tech, user, description) VALUES ('3001','sip','3001',''), ('3002','pjsip','3002',''), ('3003','sip','3003','');
		INSERT INTO sip (id, keyword, data) VALUES ('3001','secret',''), ('3002','md5_cred','5f4dcc3b5aa765d61d8327deb882cf99'), ('3003','secret','ab"c;d')`)
	addPhone(t, db, "00000000AA01", "7960", "1001") // good
	addPhone(t, db, "00000000AA02", "7960", "9999") // unknown extension
	addPhone(t, db, "00000000AA03", "7940", "3001") // empty secret
	addPhone(t, db, "00000000AA04", "7940", "3002") // md5_cred only
	addPhone(t, db, "00000000AA05", "7940", "3003") // secret the file cannot hold
	addPhone(t, db, "ZZ0000000006", "7940", "1002") // invalid MAC
	addPhone(t, db, "00000000AA07", "7950", "1002") // unknown model
	addPhone(t, db, "00000000AA08", "7940")         // no lines
	db.MustExec(t, `INSERT INTO endpointman_mac_list (id, mac, model) VALUES (1, '00000000bb01', '711'), (2, '00000000bb02', '711'), (3, 'nonsense', '712');
		INSERT INTO endpointman_line_list (mac_id, line, ext) VALUES (1, 3, '1002'), (2, 1, '1002'), (2, 1, '1003'), (3, 1, '1001')`)
	rep := run(t, o)
	want := []string{
		`phone 00000000AA02 line 1 (extension 9999) [setup-cisco]: unknown extension`,
		`phone 00000000AA03 line 1 (extension 3001) [setup-cisco]: empty secret`,
		`phone 00000000AA04 line 1 (extension 3002) [setup-cisco]: authenticates by md5_cred only`,
		`phone 00000000AA05 line 1 (extension 3003) [setup-cisco]: secret contains '"'`,
		`phone ZZ0000000006 [setup-cisco]: invalid MAC address`,
		`phone 00000000AA07 [setup-cisco]: unknown model "7950"`,
		`phone 00000000AA08 [setup-cisco]: no lines`,
		`phone 00000000BB01 line 3 (extension 1002) [endpointman]: line 3 is beyond the 7940's 2 lines`,
		`phone 00000000BB02 line 1 (extension 100`, `[endpointman]: duplicate line 1`,
		`phone nonsense [endpointman]: invalid MAC address`,
	}
	got := problems(rep)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing problem %q in:\n%s", w, got)
		}
	}
	if n := len(rep.Config.Problems); n != len(want)-1 {
		t.Errorf("%d problems, want %d:\n%s", n, len(want), got)
	}
	entries, _ := os.ReadDir(o.TFTPRoot)
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "SIP0") {
			names = append(names, e.Name())
		}
	}
	if strings.Join(names, " ") != "SIP00000000AA01.cnf" {
		t.Errorf("phone files: %v", names)
	}
}

func TestBadPhoneKeepsPreviousFile(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7960", "1001")
	addPhone(t, db, "00000000AA02", "7960", "1002")
	run(t, o)
	path := filepath.Join(o.TFTPRoot, "SIP00000000AA02.cnf")
	before := snapshot(t, o.TFTPRoot)
	// 1002 loses its secret; 1001's name changes.
	db.MustExec(t, "UPDATE sip SET data = '' WHERE id = '1002' AND keyword = 'secret'; UPDATE users SET name = 'Alice Front' WHERE extension = '1001'")
	rep := run(t, o)
	if len(rep.Config.Problems) != 1 {
		t.Fatalf("problems: %s", problems(rep))
	}
	if !strings.Contains(read(t, filepath.Join(o.TFTPRoot, "SIP00000000AA01.cnf")), "Alice Front") {
		t.Error("good phone not updated")
	}
	lineOf := func(s, name string) string {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, name+" ") {
				return l
			}
		}
		return ""
	}
	if a, b := lineOf(before, "SIP00000000AA02.cnf"), lineOf(snapshot(t, o.TFTPRoot), "SIP00000000AA02.cnf"); a != b || a == "" {
		t.Errorf("bad phone's file changed:\n%s\n%s", a, b)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
}

// Hostile text from the database never changes a file's structure: every
// line is a comment, blank, or `key: value` with a key from Cisco's list,
// and no key appears twice.
func TestHostileNames(t *testing.T) {
	db, o := site(t)
	hostile := []string{"Evil\" \nimage_version: \"P0S3-04-4-00", "Semi;colon # hash", "Zoë Ångström-Øre", "\t\r\n", "漢字", "A very very very long display name that goes on"}
	for i, name := range hostile {
		ext := fmt.Sprint(4000 + i)
		db.MustExec(t, "INSERT INTO users (extension, name) VALUES (?, ?)", ext, name)
		db.MustExec(t, "INSERT INTO devices (id, tech, user, description) VALUES (?, 'pjsip', ?, ?)", ext, ext, name)
		db.MustExec(t, "INSERT INTO sip (id, keyword, data) VALUES (?, 'secret', 'pw4000x'), (?, 'account', ?)", ext, ext, ext)
	}
	addPhone(t, db, "00000000CC01", "7960", "4000", "4001", "4002", "4003", "4004", "4005")
	db.MustExec(t, "UPDATE setup_cisco_phone SET label = 'Lobby \"#;\n' WHERE mac = '00000000CC01'")
	db.MustExec(t, "UPDATE setup_cisco_line SET label = 'x\ny: \"z' WHERE mac = '00000000CC01' AND line = 2")
	rep := run(t, o)
	if p := problems(rep); p != "" {
		t.Fatalf("problems: %s", p)
	}
	data := read(t, filepath.Join(o.TFTPRoot, "SIP00000000CC01.cnf"))
	checkCnf(t, "SIP00000000CC01.cnf", data)
	checkCnf(t, "SIPDefault.cnf", read(t, filepath.Join(o.TFTPRoot, "SIPDefault.cnf")))
	for _, want := range []string{`line1_displayname: "Evil image_version: P0S3-04-4-0"`, `line2_displayname: "Semicolon hash"`,
		`line3_displayname: "Zoe Angstrom-Ore"`, `line4_displayname: "4003"`, `line5_displayname: "4004"`,
		`line6_displayname: "A very very very long display n"`, `phone_label: "Lobby"`, `line2_shortname: "x y: z"`} {
		if !strings.Contains(data, want+"\n") {
			t.Errorf("missing %s in\n%s", want, data)
		}
	}
}

// Keys from Cisco's SIP admin guide for the 7940/7960 (7.5 appendix D,
// 8.0 guide), that our templates may use.
var documented = regexp.MustCompile(`^(image_version|proxy[1-6]_(address|port)|proxy_register|timer_register_expires|preferred_codec|voip_control_port|start_media_port|end_media_port|nat_enable|nat_address|sntp_mode|sntp_server|time_zone|dst_auto_adjust|dst_offset|dst_(start|stop)_(month|day|day_of_week|week_of_month|time)|date_format|time_format_24hr|dial_template|messages_uri|directory_url|tftp_cfg_dir|outbound_proxy|outbound_proxy_port|proxy_backup|proxy_backup_port|proxy_emergency|proxy_emergency_port|services_url|logo_url|telnet_level|phone_password|sync|phone_label|line[1-6]_(name|authname|password|displayname|shortname))$`)

var cnfLine = regexp.MustCompile(`^([a-z0-9_]+): ("[ !#-~]*"|[A-Za-z0-9./*-]+)$`)

func checkCnf(t *testing.T, name, data string) {
	t.Helper()
	seen := map[string]bool{}
	for i, l := range strings.Split(strings.TrimSuffix(data, "\n"), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m := cnfLine.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("%s:%d: not `key: value`: %q", name, i+1, l)
			continue
		}
		if strings.ContainsAny(strings.Trim(m[2], `"`), `"#;`) {
			t.Errorf("%s:%d: structural character in value: %q", name, i+1, l)
		}
		if !documented.MatchString(m[1]) {
			t.Errorf("%s:%d: undocumented key %q", name, i+1, m[1])
		}
		if seen[m[1]] {
			t.Errorf("%s:%d: key %q twice", name, i+1, m[1])
		}
		seen[m[1]] = true
	}
}

func TestFatalChangesNothing(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7960", "1001")
	run(t, o)
	before := snapshot(t, o.TFTPRoot)
	db.MustExec(t, "UPDATE users SET name = 'Changed' WHERE extension = '1001'") // a run would change files
	badConf := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(badConf, []byte("image_verison = P0S3-08-6-00\n"), 0o644)
	badTmpl := t.TempDir()
	os.WriteFile(filepath.Join(badTmpl, "SIPMAC.cnf.tmpl"), []byte("{{.Phone.Nope}}"), 0o644)
	cases := map[string]func(o *Options){
		"unreachable database": func(o *Options) { o.DB.DSN = "root@unix(/nonexistent/mysqld.sock)/asterisk" },
		"bad credentials":      func(o *Options) { o.DB.DSN = strings.Replace(db.DSN, "root@", "nobody:wrong@", 1) },
		"unknown database":     func(o *Options) { o.DB.DSN = strings.Replace(db.DSN, db.Name, "no_such_db", 1) },
		"bad config file":      func(o *Options) { o.ConfigPath, o.ConfigNamed = badConf, true },
		"missing config file":  func(o *Options) { o.ConfigPath, o.ConfigNamed = badConf+".missing", true },
		"broken template":      func(o *Options) { o.Templates = badTmpl },
		"missing tables":       func(o *Options) { db.MustExec(t, "RENAME TABLE sip TO sip_gone") },
	}
	for name, breakIt := range cases {
		o2 := o
		breakIt(&o2)
		_, err := Run(context.Background(), o2)
		var fe *FatalError
		if !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want a FatalError", name, err)
		}
		if after := snapshot(t, o.TFTPRoot); after != before {
			t.Errorf("%s: the tree changed", name)
		}
		if name == "missing tables" {
			db.MustExec(t, "RENAME TABLE sip_gone TO sip")
		}
	}
	o2 := o
	o2.TFTPRoot = filepath.Join(t.TempDir(), "missing")
	if _, err := Run(context.Background(), o2); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing root: %v", err)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7960", "1001")
	before := snapshot(t, o.TFTPRoot)
	o.DryRun = true
	rep := run(t, o)
	if len(rep.Result.Changes) != 8 { // 4 + SEP<MAC>.cnf.xml, XMLDefault.cnf.xml and its alias, syncinfo.xml
		t.Errorf("dry run lists %d changes", len(rep.Result.Changes))
	}
	if after := snapshot(t, o.TFTPRoot); after != before {
		t.Errorf("dry run wrote:\n%s", after)
	}
}

func TestPinAndRingList(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7940", "1001")
	db.MustExec(t, "UPDATE setup_cisco_phone SET image = 'P0S3-06-3-00' WHERE mac = '00000000AA01'")
	os.WriteFile(filepath.Join(o.TFTPRoot, "Chirp1.raw"), make([]byte, 480), 0o644)
	os.WriteFile(filepath.Join(o.TFTPRoot, "Ring2.raw"), make([]byte, 480), 0o644)
	o.Image = "P0S3-08-6-00"
	run(t, o)
	if p := read(t, filepath.Join(o.TFTPRoot, "SIP00000000AA01.cnf")); !strings.HasPrefix(p, "image_version: \"P0S3-06-3-00\"\n") {
		t.Errorf("pinned phone:\n%s", p)
	}
	if d := read(t, filepath.Join(o.TFTPRoot, "SIPDefault.cnf")); !strings.HasPrefix(d, "image_version: \"P0S3-08-6-00\"\n") {
		t.Errorf("site image:\n%s", d)
	}
	if r := read(t, filepath.Join(o.TFTPRoot, "RINGLIST.DAT")); r != "Chirp1\tChirp1.raw\nRing2\tRing2.raw\n" {
		t.Errorf("RINGLIST.DAT = %q", r)
	}
}

func TestTemplateOverride(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7940", "1001")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "dialplan.xml.tmpl"), []byte("<DIALTEMPLATE><TEMPLATE MATCH=\"1...\" Timeout=\"0\"/></DIALTEMPLATE>\n"), 0o644)
	o.Templates = dir
	run(t, o)
	if d := read(t, filepath.Join(o.TFTPRoot, "dialplan.xml")); !strings.Contains(d, `MATCH="1..."`) {
		t.Errorf("override not used: %s", d)
	}
	os.WriteFile(filepath.Join(dir, "SIPDefualt.cnf.tmpl"), []byte("x"), 0o644)
	if _, err := Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), "SIPDefualt.cnf.tmpl") {
		t.Errorf("misspelt override: %v", err)
	}
}

func TestLockedRunWaitsThenGivesUp(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7960", "1001")
	held, err := runlock.Acquire(o.TFTPRoot, 0)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, o.TFTPRoot)
	o.LockWait = 300 * time.Millisecond
	_, err = Run(context.Background(), o)
	var fe *FatalError
	if !errors.As(err, &fe) || !errors.Is(err, runlock.ErrBusy) {
		t.Fatalf("err = %v", err)
	}
	if after := snapshot(t, o.TFTPRoot); after != before {
		t.Error("locked-out run changed the tree")
	}
	held.Release()
	run(t, o)
}

// Only the phones whose files change get the next sync generation, so a
// check-sync NOTIFY reboots exactly them, once (see package resync).
func TestSyncGeneration(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7960", "1001")
	addPhone(t, db, "00000000AA02", "7960", "1002")
	rep := run(t, o)
	if rep.Generation != "2" || len(rep.Changed) != 2 {
		t.Fatalf("first run: generation %s, changed %v", rep.Generation, rep.Changed)
	}
	syncOf := func(mac string) string {
		for _, l := range strings.Split(read(t, filepath.Join(o.TFTPRoot, "SIP"+mac+".cnf")), "\n") {
			if v, ok := strings.CutPrefix(l, "sync: "); ok {
				return v
			}
		}
		return ""
	}
	if syncOf("00000000AA01") != "2" || !strings.Contains(read(t, filepath.Join(o.TFTPRoot, "syncinfo.xml")), `SYNC="2"`) {
		t.Fatal("first run: sync values")
	}
	rep = run(t, o)
	if rep.Generation != "2" || len(rep.Changed) != 0 || len(rep.Result.Changes) != 0 {
		t.Fatalf("no-change run: generation %s, changed %v, %d changes", rep.Generation, rep.Changed, len(rep.Result.Changes))
	}
	db.MustExec(t, "UPDATE users SET name = 'Bob Two' WHERE extension = '1002'")
	rep = run(t, o)
	if rep.Generation != "3" || len(rep.Changed) != 1 || rep.Changed[0] != "00000000AA02" {
		t.Fatalf("one phone changed: generation %s, changed %v", rep.Generation, rep.Changed)
	}
	if syncOf("00000000AA01") != "2" || syncOf("00000000AA02") != "3" || !strings.Contains(read(t, filepath.Join(o.TFTPRoot, "syncinfo.xml")), `SYNC="3"`) {
		t.Errorf("sync values: AA01 %s, AA02 %s", syncOf("00000000AA01"), syncOf("00000000AA02"))
	}
	// A file every phone reads changes: every phone gets the next generation.
	o.Image = "P0S3-08-6-00"
	rep = run(t, o)
	if rep.Generation != "4" || len(rep.Changed) != 2 {
		t.Fatalf("site image changed: generation %s, changed %v", rep.Generation, rep.Changed)
	}
}

// A rerun whose inputs are unchanged skips rendering; it must still notice
// a file changed behind its back, a template change and a database change.
func TestUnchangedInputsFastPath(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7960", "1001")
	run(t, o)
	rep := run(t, o)
	if len(rep.Result.Changes) != 0 || rep.Result.Unchanged == 0 {
		t.Fatalf("rerun: %+v", rep.Result)
	}
	path := filepath.Join(o.TFTPRoot, "SIP00000000AA01.cnf")
	good := read(t, path)
	time.Sleep(20 * time.Millisecond)
	os.WriteFile(path, []byte(strings.Replace(good, "1001", "9999", 1)), 0o644) // same size
	rep = run(t, o)
	// Repaired, with the next sync generation (the phone may have read the
	// bad file), and syncinfo.xml to match.
	if len(rep.Result.Changes) != 2 || read(t, path) != strings.Replace(good, "sync: 2", "sync: 3", 1) {
		t.Errorf("edit behind our back not repaired: %d changes\n%s", len(rep.Result.Changes), read(t, path))
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "dialplan.xml.tmpl"), []byte("<DIALTEMPLATE/>\n"), 0o644)
	o.Templates = dir
	if rep = run(t, o); read(t, filepath.Join(o.TFTPRoot, "dialplan.xml")) != "<DIALTEMPLATE/>\n" {
		t.Errorf("template change not written: %v", rep.Result.Changes)
	}
	db.MustExec(t, "UPDATE sip SET data = 'fresh-secret' WHERE id = '1001' AND keyword = 'secret'")
	run(t, o)
	if !strings.Contains(read(t, path), `line1_password: "fresh-secret"`) {
		t.Error("database change not written")
	}
	if rep = run(t, o); len(rep.Result.Changes) != 0 {
		t.Errorf("final rerun changed %v", rep.Result.Changes)
	}
}

// A ring no phone plays (ringlist.Playable) is left out whether the run
// found it or the admin's RINGLIST.DAT lists it, and said as a warning
// once, as is one whose name cannot stand in a line (a space); a playable
// one the admin labelled keeps its label.
func TestRingListUnplayable(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "00000000AA01", "7940", "1001")
	for name, n := range map[string]int{"Good.raw": 2400, "Short.raw": 100, "Odd.raw": 2401, "Admin-Long.raw": 24000, "Old Phone.raw": 2400} {
		os.WriteFile(filepath.Join(o.TFTPRoot, name), make([]byte, n), 0o644)
	}
	os.WriteFile(filepath.Join(o.TFTPRoot, "RINGLIST.DAT"), []byte("Mine\tGood.raw\nToo Long\tAdmin-Long.raw\n"), 0o644)
	rep := run(t, o)
	if r := read(t, filepath.Join(o.TFTPRoot, "RINGLIST.DAT")); r != "Mine\tGood.raw\n" {
		t.Errorf("RINGLIST.DAT = %q", r)
	}
	w := strings.Join(rep.Config.Warnings, "\n")
	for _, f := range []string{"Short.raw", "Odd.raw", "Admin-Long.raw", "Old Phone.raw"} {
		if strings.Count(w, f+" left out") != 1 {
			t.Errorf("%s not warned about once: %q", f, w)
		}
	}
}
