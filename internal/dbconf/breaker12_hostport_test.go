package dbconf

import (
	"strings"
	"testing"
)

// TestB12AmportalHostWithPort: FreePBX 2.x (trixbox, Elastix) had no
// AMPDBPORT; it connected through PEAR DB with the DSN
// 'mysql://'.$db_user.':'.$db_pass.'@'.$db_host.'/'.$db_name (framework
// common/db_connect.php; the same line in Elastix's own FreePBX glue), and
// PEAR's DB::parseDSN splits "host:port". So a trixbox whose database is on
// another server's port 3307 says AMPDBHOST=192.0.2.77:3307 in
// /etc/amportal.conf. Today setup-cisco builds tcp([192.0.2.77:3307]:3306)
// and stops with "lookup 192.0.2.77:3307: no such host" (exit 2). Right:
// host 192.0.2.77, port 3307 (or an error that names AMPDBHOST and says a
// port belongs in AMPDBPORT).
func TestB12AmportalHostWithPort(t *testing.T) {
	p := write(t, "amportal.conf", `# FreePBX Database configuration
AMPDBHOST=192.0.2.77:3307
AMPDBENGINE=mysql
AMPDBUSER=asteriskuser
AMPDBPASS=amp109
`)
	r, err := Resolve(Options{Amportal: p, Getenv: noenv, SocketCandidates: []string{}})
	if err != nil {
		if !strings.Contains(err.Error(), "AMPDBHOST") {
			t.Fatalf("error does not name AMPDBHOST: %v", err)
		}
		return
	}
	if !strings.Contains(r.DSN, "@tcp(192.0.2.77:3307)/") {
		t.Errorf("DSN %s: want tcp(192.0.2.77:3307), as PEAR DB (FreePBX 2.x) reads AMPDBHOST=192.0.2.77:3307", r.DSN)
	}
}
