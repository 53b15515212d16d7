package dbconf

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const freepbxConf = `<?php
$amp_conf['AMPDBUSER'] = 'freepbxuser';
$amp_conf['AMPDBPASS'] = 'p@ss\'w:rd/x';
$amp_conf['AMPDBHOST'] = 'db.example.net';
$amp_conf['AMPDBPORT'] = '3307';
$amp_conf['AMPDBNAME'] = 'asterisk';
$amp_conf['AMPDBENGINE'] = 'mysql';
$amp_conf['datasource'] = ''; //for sqlite3

require_once('/var/www/html/admin/bootstrap.php');
?>
`

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func noenv(string) string { return "" }

func TestFreePBXConfTCP(t *testing.T) {
	p := write(t, "freepbx.conf", freepbxConf)
	r, err := Resolve(Options{FreePBXConf: p, Getenv: noenv})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.DSN, `freepbxuser:p@ss'w:rd/x@tcp(db.example.net:3307)/asterisk?`) {
		t.Errorf("DSN = %s", r.DSN)
	}
	if r.Source != p {
		t.Errorf("Source = %s", r.Source)
	}
}

func TestLocalhostMeansSocket(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "mysqld.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	conf := `<?php
$amp_conf["AMPDBUSER"] = "u";
$amp_conf["AMPDBPASS"] = "pw";
$amp_conf["AMPDBHOST"] = "localhost";
$amp_conf["AMPDBPORT"] = "80";
`
	p := write(t, "freepbx.conf", conf)
	r, err := Resolve(Options{FreePBXConf: p, Getenv: noenv, SocketCandidates: []string{filepath.Join(dir, "none"), sock}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.DSN, "u:pw@unix("+sock+")/asterisk?") {
		t.Errorf("DSN = %s", r.DSN)
	}
	// No socket present: TCP on 127.0.0.1, port 3306 because 80 <= 1024.
	r, err = Resolve(Options{FreePBXConf: p, Getenv: noenv, SocketCandidates: []string{filepath.Join(dir, "none")}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.DSN, "u:pw@tcp(127.0.0.1:3306)/asterisk?") {
		t.Errorf("DSN = %s", r.DSN)
	}
}

func TestAMPDBSOCKWins(t *testing.T) {
	p := write(t, "freepbx.conf", freepbxConf+"<?php $amp_conf['AMPDBSOCK'] = '/var/lib/mysql/my.sock';\n")
	r, err := Resolve(Options{FreePBXConf: p, Getenv: noenv})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.DSN, "@unix(/var/lib/mysql/my.sock)/asterisk") {
		t.Errorf("DSN = %s", r.DSN)
	}
}

func TestAmportal(t *testing.T) {
	p := write(t, "amportal.conf", "# trixbox\nAMPDBHOST=10.0.0.5\nAMPDBUSER=asteriskuser\nAMPDBPASS=amp109\\ x\nAMPDBNAME=asterisk\nAMPMGRPASS=\"secret\"\n")
	r, err := Resolve(Options{Amportal: p, Getenv: noenv})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.DSN, "asteriskuser:amp109 x@tcp(10.0.0.5:3306)/asterisk?") {
		t.Errorf("DSN = %s", r.DSN)
	}
	// A modern mirror without credentials is an error naming the file.
	p = write(t, "amportal.conf", "AMPWEBROOT=/var/www/html\n")
	if _, err := Resolve(Options{Amportal: p, Getenv: noenv}); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("err = %v", err)
	}
}

func TestOrder(t *testing.T) {
	conf := write(t, "freepbx.conf", freepbxConf)
	r, err := Resolve(Options{DSN: "a:b@tcp(h:1)/d", FreePBXConf: conf})
	if err != nil || r.Source != "--db-dsn" || !strings.HasPrefix(r.DSN, "a:b@tcp(h:1)/d?") {
		t.Errorf("dsn first: %+v %v", r, err)
	}
	r, err = Resolve(Options{Getenv: func(k string) string {
		if k == "FREEPBX_CONF" {
			return conf
		}
		return ""
	}})
	if err != nil || r.Source != conf {
		t.Errorf("FREEPBX_CONF: %+v %v", r, err)
	}
	if _, err := Resolve(Options{FreePBXConf: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("missing explicit file accepted")
	}
	if _, err := Resolve(Options{DSN: "not a dsn"}); err == nil || !strings.Contains(err.Error(), "--db-dsn") {
		t.Errorf("bad dsn: %v", err)
	}
	if _, err := Resolve(Options{FreePBXConf: write(t, "x.conf", "<?php echo 1;")}); err == nil {
		t.Error("file without settings accepted")
	}
}

func TestRedact(t *testing.T) {
	if got := Redact("u:secret@tcp(h:1)/d"); strings.Contains(got, "secret") {
		t.Errorf("Redact = %s", got)
	}
}
