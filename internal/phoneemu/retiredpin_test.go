package phoneemu

import (
	"context"
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

// A phone pinned to P0S3-05-1-00 on an 8.12 site (phone set --image), then
// removed from the inventory while still on a desk: at its next boot it
// reads the retired SIP<MAC>.cnf setup-cisco keeps, loses its line and
// stays on 5.1. It is never told to go from 5.1 straight to 8.12, a step
// Cisco forbids (CME-INST) and the emulator refuses.
func TestRetiredPinnedPhoneStaysOnItsLoad(t *testing.T) {
	const mac = "001B54796001"
	root := handMadeRoot(t, "image_version: \"P0S3-8-12-00\"\n")
	for _, f := range []string{"P0S3-05-1-00.bin", "P0S3-05-1-00.sbn"} {
		write(t, root, f, "image", 0o644)
	}
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	ctx := context.Background()
	image := "P0S3-05-1-00"
	if err := inventory.Add(ctx, db.DB, inventory.Phone{MAC: mac, Model: "7960", Lines: []inventory.Line{{N: 1, Ext: "1001"}}}); err != nil {
		t.Fatal(err)
	}
	if err := inventory.Set(ctx, db.DB, mac, inventory.Change{Image: &image}); err != nil {
		t.Fatal(err)
	}
	o := provision.Options{DB: dbconf.Options{DSN: db.DSN}, ConfigPath: filepath.Join(t.TempDir(), "none.conf"),
		TFTPRoot: root, Proxy: "192.0.2.10", Templates: filepath.Join(t.TempDir(), "none"), LockWait: time.Second,
		StateDir: t.TempDir()}
	if _, err := provision.Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	c := serve(t, root)
	p := Phone{MAC: mac, Model: "7960", Running: image}
	r := Boot(c, p, nil)
	if !r.OK() || r.Image != image || r.Upgrade || len(r.Lines) != 1 {
		t.Fatalf("pinned phone: %q, image %s (upgrade %v), lines %v", r.Failure, r.Image, r.Upgrade, r.Lines)
	}
	p.Flash = r.Flash

	if err := inventory.Remove(ctx, db.DB, macaddr.MAC(mac)); err != nil {
		t.Fatal(err)
	}
	if rep, err := provision.Run(ctx, o); err != nil || len(rep.Retired) != 1 {
		t.Fatalf("retiring run: %v (retired %v)", err, rep.Retired)
	}
	r = Boot(c, p, nil)
	if r.Image != image || r.Upgrade || strings.Contains(r.Failure, "skips a step") || len(r.Lines) != 0 {
		t.Errorf("retired phone: %q, image %s from %s (upgrade %v), lines %v", r.Failure, r.Image, r.ImageFrom, r.Upgrade, r.Lines)
	}
}
