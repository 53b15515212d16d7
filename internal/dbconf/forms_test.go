package dbconf

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestParsePHPAsPHPReadsIt: only PHP code counts; strings that look like
// comments are values, comments that look like assignments are not.
func TestParsePHPAsPHPReadsIt(t *testing.T) {
	conf := `# not PHP yet: $amp_conf['AMPDBHOST'] = 'html';
<?php
$amp_conf['AMPDBUSER'] = 'u'; /* $amp_conf['AMPDBUSER'] = 'old'; */
$amp_conf['AMPDBPASS'] = 'pw#1//x/*y';
$amp_conf['AMPDBNAME'] = "ast";   # $amp_conf['AMPDBNAME'] = 'old';
// a line comment ends at ?> $amp_conf['AMPDBHOST'] = 'old'; ?>text $amp_conf['AMPDBPORT'] = '1';<?php
$amp_conf['AMPDBHOST'] = 'db.example.net'; $x = "$amp_conf['AMPDBHOST'] = 'instring';";
`
	kv, err := ParsePHP([]byte(conf))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"AMPDBUSER": "u", "AMPDBPASS": "pw#1//x/*y", "AMPDBNAME": "ast", "AMPDBHOST": "db.example.net"}
	if len(kv) != len(want) {
		t.Errorf("got %q, want %q", kv, want)
	}
	for k, v := range want {
		if kv[k] != v {
			t.Errorf("%s = %q, want %q", k, kv[k], v)
		}
	}
	if _, err := ParsePHP([]byte("<?php\n// $amp_conf['AMPDBUSER'] = 'u';\n")); err == nil || !strings.Contains(err.Error(), "outside comments") {
		t.Errorf("all settings commented out: %v", err)
	}
}

// TestAmportalHostForms: AMPDBHOST as FreePBX 2.x's PEAR DB and PHP's
// mysql_connect read it.
func TestAmportalHostForms(t *testing.T) {
	for _, c := range []struct{ host, port, want, errHas string }{
		{host: "[2001:db8::5]:3307", want: "@tcp([2001:db8::5]:3307)/"},
		{host: "2001:db8::5", want: "@tcp([2001:db8::5]:3306)/"},
		{host: "db.example.net:3307", port: "3307", want: "@tcp(db.example.net:3307)/"},
		{host: "localhost:/var/lib/mysql/mysql.sock", want: "@unix(/var/lib/mysql/mysql.sock)/"},
		{host: "unix(/run/mysqld/mysqld.sock)", want: "@unix(/run/mysqld/mysqld.sock)/"},
		{host: "db.example.net:3307", port: "3306", errHas: "AMPDBPORT"},
		{host: "db.example.net:mysql", errHas: `AMPDBHOST "db.example.net:mysql": port "mysql"`},
		{host: "2001:db8::5:x", errHas: "AMPDBHOST"},
	} {
		conf := "AMPDBUSER=u\nAMPDBPASS=p\nAMPDBHOST=" + c.host + "\n"
		if c.port != "" {
			conf += "AMPDBPORT=" + c.port + "\n"
		}
		r, err := Resolve(Options{Amportal: write(t, "amportal.conf", conf), Getenv: noenv, SocketCandidates: []string{}})
		switch {
		case c.errHas != "" && (err == nil || !strings.Contains(err.Error(), c.errHas)):
			t.Errorf("AMPDBHOST=%s: got %v (%s), want an error with %q", c.host, err, r.DSN, c.errHas)
		case c.errHas == "" && err != nil:
			t.Errorf("AMPDBHOST=%s: %v", c.host, err)
		case c.errHas == "" && !strings.Contains(r.DSN, c.want):
			t.Errorf("AMPDBHOST=%s: DSN %s, want %s", c.host, r.DSN, c.want)
		}
	}
}

// TestSearchOrder: $ISSABELPBX_CONF and $FREEPBX_CONF are never skipped;
// issabelpbx.conf beats a leftover freepbx.conf.
func TestSearchOrder(t *testing.T) {
	dir := t.TempDir()
	issabel := write(t, "issabelpbx.conf", "<?php $amp_conf['AMPDBUSER'] = 'issabel';")
	freepbx := write(t, "freepbx.conf", "<?php $amp_conf['AMPDBUSER'] = 'leftover';")
	files := []string{filepath.Join(dir, "none.conf"), issabel, freepbx}
	r, err := Resolve(Options{Getenv: noenv, SocketCandidates: []string{}, Files: files})
	if err != nil || r.Source != issabel {
		t.Errorf("got %s, %v; want %s", r.Source, err, issabel)
	}
	missing := filepath.Join(dir, "typo.conf")
	for _, env := range []string{"ISSABELPBX_CONF", "FREEPBX_CONF"} {
		getenv := func(k string) string {
			if k == env {
				return missing
			}
			return ""
		}
		r, err := Resolve(Options{Getenv: getenv, SocketCandidates: []string{}, Files: files})
		if err == nil || !strings.Contains(err.Error(), "$"+env) || !strings.Contains(err.Error(), missing) {
			t.Errorf("%s=%s (missing): got %s, %v; want an error naming both", env, missing, r.Source, err)
		}
	}
}

// TestDSNForms: FreePBX 2.x's PEAR URL is taken as meant; other forms get
// the accepted ones in the error.
func TestDSNForms(t *testing.T) {
	for in, want := range map[string]string{
		"mysql://asteriskuser:p%40ss:w@db.example.net:3307/asterisk?new_link=true": "asteriskuser:p@ss:w@tcp(db.example.net:3307)/asterisk?",
		"mysqli://u:p@w@unix(/run/mysqld/mysqld.sock)/ast":                         "u:p@w@unix(/run/mysqld/mysqld.sock)/ast?",
		"mysql://u:p@localhost/asterisk":                                           "u:p@tcp(127.0.0.1:3306)/asterisk?",
		"u:p@tcp(10.0.0.5:3306)/asterisk":                                          "u:p@tcp(10.0.0.5:3306)/asterisk?",
	} {
		r, err := Resolve(Options{DSN: in, Getenv: noenv, SocketCandidates: []string{}})
		if err != nil || !strings.HasPrefix(r.DSN, want) {
			t.Errorf("--db-dsn %s: %s, %v; want %s...", in, r.DSN, err, want)
		}
	}
	for _, in := range []string{"u:p@foo(bar)/asterisk", "mysql://db.example.net/asterisk", "mysql:dbname=asterisk;host=db"} {
		_, err := Resolve(Options{DSN: in, Getenv: noenv})
		if err == nil || !strings.Contains(err.Error(), "--db-dsn") || !strings.Contains(err.Error(), "user:pw@unix(") {
			t.Errorf("--db-dsn %s: %v; want an error showing the accepted forms", in, err)
		}
	}
}
