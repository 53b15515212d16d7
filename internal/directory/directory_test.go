package directory_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/directory"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/phoneemu"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// httpd starts busybox's httpd serving root on a loopback port: a real web
// server, as the phone meets one. It returns the base URL.
func httpd(t *testing.T, root string) string {
	t.Helper()
	bin := testdb.Tool(t, "busybox")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "httpd", "-f", "-p", addr, "-h", root)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if i == 100 {
			t.Fatalf("httpd did not listen on %s: %s", addr, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "http://" + addr
}

// users fills FreePBX's users table with n people, some with names that
// need the phone's text safety, and reads them back as setup-cisco does.
func users(t *testing.T, db *testdb.DB, n int) []freepbx.User {
	t.Helper()
	first := []string{"Jürgen", "Zoë", "Ann & Bob", "<Lobby>", "O'Brien", "Émile", "Łukasz", "Søren", "\"Quote\"", "李"}
	var b strings.Builder
	b.WriteString("INSERT INTO users (extension, name) VALUES ")
	if n == 0 {
		b.Reset()
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		name := fmt.Sprintf("%c%s %d", 'A'+i%26, strings.Repeat("x", i%5), i)
		if i < len(first) {
			name = first[i]
		}
		fmt.Fprintf(&b, "('%d', '%s')", 10000+i, strings.ReplaceAll(name, "'", "''"))
	}
	if n > 0 {
		db.MustExec(t, b.String())
	}
	u, err := freepbx.ReadUsers(context.Background(), db.DB)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestDirectoryOverHTTP writes 2,000 users' directory into a web root,
// has the emulated phone browse it through busybox httpd, and checks that
// every user is there once with a safe name, that a second run writes
// nothing, that a change rewrites only the pages it concerns, and that a
// failed write leaves the old pages.
func TestDirectoryOverHTTP(t *testing.T) {
	db := testdb.New(t)
	list := users(t, db, 2000)
	root := t.TempDir()
	web := filepath.Join(root, "cisco")
	os.Mkdir(web, 0o755)
	base := httpd(t, root) + "/cisco"

	entries, skipped := directory.Entries(list)
	if len(skipped) != 0 || len(entries) != 2000 {
		t.Fatalf("%d entries, skipped %v", len(entries), skipped)
	}
	changes, err := directory.Write(web, directory.Pages(entries, base), false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := phoneemu.BrowseDirectory(directory.URL(base))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Entries) != 2000 || d.Menus != 1 || d.Pages < 2000/32 || len(changes) != d.Pages+1 {
		t.Fatalf("browsed %d entries on %d pages, %d menus; %d files written", len(d.Entries), d.Pages, d.Menus, len(changes))
	}
	byExt := map[string]string{}
	for _, e := range d.Entries {
		if _, dup := byExt[e.Telephone]; dup {
			t.Errorf("%s listed twice", e.Telephone)
		}
		byExt[e.Telephone] = e.Name
	}
	for ext, want := range map[string]string{"10000": "Jurgen", "10001": "Zoe", "10002": "Ann & Bob", "10003": "<Lobby>",
		"10004": "O'Brien", "10005": "Emile", "10006": "Lukasz", "10007": "Soren", "10008": "Quote", "10009": "10009", "11999": "Xxxxx 1999"} {
		if byExt[ext] != want {
			t.Errorf("%s: name %q, want %q", ext, byExt[ext], want)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(web, "directory-A-1.xml"))
	if !bytes.Contains(raw, []byte("<Name>Ann &amp; Bob</Name>")) || !bytes.Contains(raw, []byte("<Name>Next</Name>")) {
		t.Errorf("directory-A-1.xml:\n%s", raw)
	}

	// Unchanged: nothing written.
	if changes, err = directory.Write(web, directory.Pages(entries, base), false); err != nil || len(changes) != 0 {
		t.Fatalf("second write: %v %v", changes, err)
	}

	// One user renamed from Zoë to Yvonne: the Y and Z pages and the
	// index (counts) change, nothing else.
	db.MustExec(t, "UPDATE users SET name = 'Yvonne' WHERE extension = '10001'")
	entries, _ = directory.Entries(users(t, db, 0))
	changes, err = directory.Write(web, directory.Pages(entries, base), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if !strings.HasPrefix(c.Name, "directory-Y-") && !strings.HasPrefix(c.Name, "directory-Z-") && c.Name != directory.Index {
			t.Errorf("rename touched %v", c)
		}
	}
	if len(changes) == 0 {
		t.Error("rename changed nothing")
	}

	// A failed write leaves every old file as it was.
	before := snapshot(t, web)
	os.Mkdir(filepath.Join(web, "directory-Q-9.xml"), 0o755)
	db.MustExec(t, "INSERT INTO users (extension, name) VALUES ('19999', 'Quentin')")
	many := users(t, db, 0)
	for i := 0; i < 300; i++ {
		many = append(many, freepbx.User{Extension: fmt.Sprint(20000 + i), Name: "Quinn"})
	}
	entries, _ = directory.Entries(many)
	if _, err := directory.Write(web, directory.Pages(entries, base), false); err == nil || !strings.Contains(err.Error(), "directory-Q-9.xml is a directory") {
		t.Fatalf("write over a directory: %v", err)
	}
	os.Remove(filepath.Join(web, "directory-Q-9.xml"))
	if after := snapshot(t, web); after != before {
		t.Error("a failed write changed the pages")
	}
}

func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		fmt.Fprintf(&b, "%s %x\n", e.Name(), data)
	}
	return b.String()
}

// A small site is one page: no menu.
func TestOnePage(t *testing.T) {
	entries, skipped := directory.Entries([]freepbx.User{{Extension: "201", Name: "Reception"}, {Extension: "20 1", Name: "Bad"}, {Extension: "202"}})
	files := directory.Pages(entries, "http://pbx/cisco/")
	if len(files) != 1 || files[0].Name != "directory.xml" || len(skipped) != 1 ||
		!strings.Contains(string(files[0].Data), "<Name>202</Name>") || strings.Contains(string(files[0].Data), "Next") {
		t.Fatalf("%v %s", skipped, files[0].Data)
	}
}
