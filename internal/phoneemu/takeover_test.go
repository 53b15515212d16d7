package phoneemu

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/provision"
	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

// handMadeRoot is a TFTP root as a site had it before setup-cisco: the
// given SIPDefault.cnf and the 8.12 load's files.
func handMadeRoot(t *testing.T, sipDefault string) string {
	t.Helper()
	root := t.TempDir()
	write(t, root, "SIPDefault.cnf", sipDefault, 0o644)
	for _, f := range []string{"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"} {
		write(t, root, f, "image", 0o644)
	}
	return root
}

// takeOver puts mac (a 7960 on extension 1001) in a fresh database's
// inventory and returns a run of setup-cisco over root with the settings
// file conf; run runs it.
func takeOver(t *testing.T, root, mac, conf string) (run func()) {
	t.Helper()
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	if err := inventory.Add(ctx, db.DB, inventory.Phone{MAC: macaddr.MAC(mac), Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}); err != nil {
		t.Fatal(err)
	}
	o := provision.Options{DB: dbconf.Options{DSN: db.DSN}, ConfigPath: conf,
		TFTPRoot: root, Proxy: "192.0.2.10", Templates: filepath.Join(t.TempDir(), "none"), LockWait: time.Second}
	return func() {
		t.Helper()
		if _, err := provision.Run(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
}

// A phone set up by hand before keeps in flash the other proxies and
// URLs its old SIPDefault.cnf gave it; after setup-cisco's run they are
// empty (a port 5060, Cisco's default), unless the settings file sets
// them, and then they are that.
func TestTakeOverClearsOtherProxies(t *testing.T) {
	const mac = "001B54796001"
	old := map[string]string{"outbound_proxy": "192.0.2.99", "outbound_proxy_port": "5070", "proxy_backup": "192.0.2.98",
		"proxy_emergency": "192.0.2.97", "services_url": "http://192.0.2.99/svc.xml", "logo_url": "http://192.0.2.99/logo.bmp"}
	text := "image_version: \"P0S3-8-12-00\"\nproxy1_address: \"192.0.2.10\"\nproxy_register: \"1\"\n"
	for k, v := range old {
		text += k + ": \"" + v + "\"\n"
	}
	root := handMadeRoot(t, text)
	write(t, root, "SIP"+mac+".cnf", "line1_name: \"1004\"\nline1_authname: \"1004\"\nline1_password: \"oldpass\"\n", 0o644)
	c := serve(t, root)
	p := Phone{MAC: mac, Model: "7960", Running: "P0S3-8-12-00"}
	r := Boot(c, p, nil)
	for k, v := range old {
		if r.Flash[k] != v {
			t.Fatalf("hand-made root: flash %s = %q, want %q", k, r.Flash[k], v)
		}
	}
	p.Flash = r.Flash

	conf := filepath.Join(t.TempDir(), "site.conf")
	run := takeOver(t, root, mac, conf)
	run()
	r = Boot(c, p, nil)
	if !r.OK() {
		t.Fatalf("after the run: %s", r.Failure)
	}
	for k := range old {
		want := ""
		if strings.HasSuffix(k, "_port") {
			want = "5060"
		}
		if v, ok := r.Flash[k]; !ok || v != want {
			t.Errorf("after the run: flash %s = %q (set %v), want %q", k, v, ok, want)
		}
	}

	// The settings file sets the outbound proxy: the phone gets it.
	if err := os.WriteFile(conf, []byte("outbound_proxy = 192.0.2.5\noutbound_proxy_port = 5080\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run()
	p.Flash = r.Flash
	r = Boot(c, p, nil)
	if r.Flash["outbound_proxy"] != "192.0.2.5" || r.Flash["outbound_proxy_port"] != "5080" || r.Flash["proxy_backup"] != "" {
		t.Errorf("with outbound_proxy set: flash %q:%q, backup %q", r.Flash["outbound_proxy"], r.Flash["outbound_proxy_port"], r.Flash["proxy_backup"])
	}
}
