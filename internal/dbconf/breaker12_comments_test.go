package dbconf

import (
	"strings"
	"testing"
)

// TestB12CommentedAssignmentsIgnored: an admin who moved the FreePBX
// database to another server edits /etc/freepbx.conf the way PHP admins
// do, keeping the old value in a comment (the habit shows in public code,
// e.g. a FreePBX add-on's config with "//$amp_conf['AMPDBHOST'] =
// 'localhost';" lines). PHP never reads a commented line, so FreePBX talks
// to 10.0.0.5. Today ParsePHP matches every $amp_conf[...] = '...'; in the
// file, comments included, and the last one wins: setup-cisco connects to
// the old local server (often still running with the stale asterisk
// database after a migration) and writes phone files from it, exit 0.
// Right: assignments inside //, # and /* */ comments are not read.
func TestB12CommentedAssignmentsIgnored(t *testing.T) {
	for name, conf := range map[string]string{
		"slashes": `<?php
$amp_conf['AMPDBUSER'] = 'freepbxuser';
$amp_conf['AMPDBPASS'] = 'newpw';
$amp_conf['AMPDBHOST'] = '10.0.0.5';
//$amp_conf['AMPDBHOST'] = 'localhost';
//$amp_conf['AMPDBPASS'] = 'oldpw';
$amp_conf['AMPDBNAME'] = 'asterisk';
$amp_conf['AMPDBENGINE'] = 'mysql';
$amp_conf['datasource'] = ''; //for sqlite3

require_once('/var/www/html/admin/bootstrap.php');
?>
`,
		"hash": `<?php
$amp_conf['AMPDBUSER'] = 'freepbxuser';
$amp_conf['AMPDBPASS'] = 'newpw';
$amp_conf['AMPDBHOST'] = '10.0.0.5';
# $amp_conf['AMPDBHOST'] = 'localhost';
# $amp_conf['AMPDBPASS'] = 'oldpw';
$amp_conf['AMPDBNAME'] = 'asterisk';
$amp_conf['AMPDBENGINE'] = 'mysql';
require_once('/var/www/html/admin/bootstrap.php');
`,
		"block": `<?php
$amp_conf['AMPDBUSER'] = 'freepbxuser';
$amp_conf['AMPDBPASS'] = 'newpw';
$amp_conf['AMPDBHOST'] = '10.0.0.5';
/* before the move to the database cluster:
$amp_conf['AMPDBHOST'] = 'localhost';
$amp_conf['AMPDBPASS'] = 'oldpw';
*/
$amp_conf['AMPDBNAME'] = 'asterisk';
$amp_conf['AMPDBENGINE'] = 'mysql';
require_once('/var/www/html/admin/bootstrap.php');
`,
	} {
		t.Run(name, func(t *testing.T) {
			p := write(t, "freepbx.conf", conf)
			r, err := Resolve(Options{FreePBXConf: p, Getenv: noenv, SocketCandidates: []string{}})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(r.DSN, "freepbxuser:newpw@tcp(10.0.0.5:3306)/asterisk?") {
				t.Errorf("DSN %s: want the live assignments (freepbxuser:newpw@tcp(10.0.0.5:3306)), not the commented-out ones", r.DSN)
			}
		})
	}
}
