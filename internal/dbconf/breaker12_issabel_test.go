package dbconf

import (
	"strings"
	"testing"
)

// TestB12IssabelPBXConf: Issabel, the maintained successor of Elastix (a
// FreePBX 2.11 fork, common on the sites that still run 7940/7960s), renamed
// FreePBX's bootstrap file. Its admin pages do: if
// (is_file('/etc/issabelpbx.conf')) include ISSABELPBX_CONF or
// /etc/issabelpbx.conf (else /etc/asterisk/issabelpbx.conf); only when there
// is no /etc/issabelpbx.conf, FREEPBX_CONF or /etc/freepbx.conf. Its RPM
// writes the database password into /etc/issabelpbx.conf (issabelpbx.spec
// %post: sed on $amp_conf['AMPDBPASS']), and keeps an older IssabelPBX's
// /etc/freepbx.conf. setup-cisco looks for $FREEPBX_CONF, /etc/freepbx.conf,
// /etc/asterisk/freepbx.conf and /etc/amportal.conf only: the Issabel file
// is never read, and where a leftover /etc/freepbx.conf exists it wins over
// the file Issabel itself uses. Right: the IssabelPBX names are searched as
// Issabel does (here: $ISSABELPBX_CONF is read).
func TestB12IssabelPBXConf(t *testing.T) {
	p := write(t, "issabelpbx.conf", `<?php
$amp_conf['AMPDBUSER']  = 'asteriskuser';
$amp_conf['AMPDBPASS']  = 'issabelAmiPw';
$amp_conf['AMPDBHOST']  = 'localhost';
$amp_conf['AMPDBNAME']  = 'asterisk';
$amp_conf['AMPDBENGINE'] = 'mysql';
$amp_conf['datasource']  = ''; //for sqlite3

require_once('/var/www/html/admin/bootstrap.php');
?>
`)
	getenv := func(k string) string {
		if k == "ISSABELPBX_CONF" {
			return p
		}
		return ""
	}
	r, err := Resolve(Options{Getenv: getenv, SocketCandidates: []string{}})
	if err != nil {
		t.Fatalf("ISSABELPBX_CONF=%s: %v", p, err)
	}
	if r.Source != p || !strings.HasPrefix(r.DSN, "asteriskuser:issabelAmiPw@") {
		t.Errorf("credentials from %s (%s), want %s", r.Source, Redact(r.DSN), p)
	}
}
