package dbconf

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestB12FreePBXConfEnvMissingFile: $FREEPBX_CONF names the file a FreePBX
// instance's scripts read instead of /etc/freepbx.conf (framework
// installlib/files/amportal.conf documents it). FreePBX's own scripts do
// if (!@include_once(getenv('FREEPBX_CONF') ? getenv('FREEPBX_CONF') :
// '/etc/freepbx.conf')) include_once('/etc/asterisk/freepbx.conf');
// (module sources, e.g. UCP, hotelwakeup): once FREEPBX_CONF is set,
// /etc/freepbx.conf is never read. With FREEPBX_CONF=/etc/freepbx-lab.conf
// mistyped or not yet written, Resolve skips it as if unset and reads
// /etc/freepbx.conf: on a host with a second (production) instance the lab
// run takes production's extensions and writes phone files from them; with
// no other file the error is the generic "no database credentials" and never
// names the file $FREEPBX_CONF points at. Right: a set FREEPBX_CONF that
// cannot be read is an error naming it.
func TestB12FreePBXConfEnvMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "freepbx-lab.conf")
	getenv := func(k string) string {
		if k == "FREEPBX_CONF" {
			return missing
		}
		return ""
	}
	r, err := Resolve(Options{Getenv: getenv, SocketCandidates: []string{}})
	if err == nil {
		t.Fatalf("FREEPBX_CONF=%s does not exist, yet credentials were taken from %s", missing, r.Source)
	}
	if !strings.Contains(err.Error(), missing) {
		t.Errorf("FREEPBX_CONF=%s does not exist; the error does not name it: %v", missing, err)
	}
}
