package provision

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/setup-cisco/setup-cisco/internal/dialplan"
	"github.com/setup-cisco/setup-cisco/internal/directory"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/render"
	"github.com/setup-cisco/setup-cisco/internal/runlock"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// inputs is what the read stage gathers: everything the files are made
// from, and the TFTP root as it is.
type inputs struct {
	site  siteconf.Site
	tmpl  *render.Set
	proxy string
	pbx   freepbx.Data
	inv   *inventory.Stored // the good phones in a temporary file; closed by buildModel
	dial  dialplan.FreePBX  // routes, feature codes, users
	dir   *syncdir.Dir      // the TFTP root: listing and manifest; apply writes through it
	dry   bool
	store *phoneStore // the model's phones (runModel.store), closed with the rest

	lock *runlock.Lock
	db   *sql.DB
}

func (in *inputs) close() {
	if in.inv != nil {
		in.inv.Close()
	}
	if in.store != nil {
		in.store.close()
	}
	if in.dir != nil {
		in.dir.Close()
	}
	if in.db != nil {
		in.db.Close()
	}
	in.lock.Release()
}

// readInputs is the first stage: site settings with the flags applied, the
// templates, the proxy address, the lock, the database, the TFTP root.
// Nothing it does changes a file, so every error is fatal.
func readInputs(ctx context.Context, o Options, rep *Report) (*inputs, error) {
	in := &inputs{dry: o.DryRun}
	site, err := Settings(o)
	if err != nil {
		return in, err
	}
	in.site = site
	rep.Root = site.TFTPRoot
	rep.Site = site
	if err := checkRoot(site.TFTPRoot, o.DryRun); err != nil {
		return in, err
	}
	if in.tmpl, err = render.Load(site.Templates); err != nil {
		return in, err
	}
	in.proxy = site.ProxyAddress
	if in.proxy == "" {
		if o.DefaultProxy == nil {
			return in, fmt.Errorf("no proxy address: set proxy_address in the config file or give --proxy")
		}
		if in.proxy, err = o.DefaultProxy(); err != nil {
			return in, fmt.Errorf("finding this host's address for the phones' proxy (set proxy_address or --proxy): %v", err)
		}
		rep.Notes = append(rep.Notes, "proxy address "+in.proxy+" (this host's primary IPv4)")
	}

	// Lock before reading, so a slower run can never write older data over
	// a newer run's files.
	if !o.DryRun {
		if in.lock, err = runlock.Acquire(site.TFTPRoot, o.LockWait); err != nil {
			return in, err
		}
	}
	// The TFTP root's listing is read while the database answers (a tenth
	// of a run with nothing to do, at 10,000 phones); its manifest once the
	// rows are in the model (buildModel).
	type opened struct {
		dir *syncdir.Dir
		err error
	}
	dirc := make(chan opened, 1)
	go func() {
		d, err := syncdir.Open(site.TFTPRoot, syncdir.Options{DryRun: o.DryRun, NoContents: !o.Diff, Sync: o.Sync, ManifestLater: true, CopyDir: o.stateDir()})
		dirc <- opened{d, err}
	}()
	err = readDB(ctx, o, in, rep)
	od := <-dirc
	in.dir = od.dir
	if err != nil {
		return in, err
	}
	return in, od.err
}

// readDB reads the FreePBX database and the inventory into in.
func readDB(ctx context.Context, o Options, in *inputs, rep *Report) error {
	db, source, err := Open(ctx, o.DB)
	rep.DBSource = source
	if err != nil {
		return err
	}
	in.db = db
	have, err := Tables(ctx, db)
	if err != nil {
		return err
	}
	// The inventory, then FreePBX's tables, one after the other: read at
	// once, on two connections, what each holds while it reads (the
	// Endpoint Manager's phones, the users, the dial plan's work) added up
	// to 32-33 MB of live heap at 100,000 phones, past what the collector's
	// limit holds (26 MB one after the other), for 20 ms saved at 10,000
	// (the TFTP root's listing is read meanwhile either way).
	if err := freepbx.CheckTables(have); err != nil {
		return err
	}
	if in.inv, err = inventory.LoadStored(ctx, db, have); err != nil {
		return err
	}
	// The dial plan and Messages key from FreePBX's routes and feature
	// codes, where the settings file does not set them: made from the
	// users before the devices are read (at 100,000 extensions its work
	// and FreePBX's devices are 6 and 8 MB, not to be held at once).
	users, err := freepbx.ReadUsers(ctx, db)
	if err != nil {
		return err
	}
	if in.dial, err = dialplan.Read(ctx, db, have, users); err != nil {
		return err
	}
	dialNotes, err := dialplan.Apply(&in.site, in.dial)
	if err != nil {
		rep.Notes = append(rep.Notes, dialNotes...)
		return err
	}
	if in.pbx, err = freepbx.ReadWith(ctx, db, have, users); err != nil {
		return err
	}
	freepbx.ReadSIPCustom(&in.pbx, o.AsteriskConf, o.AsteriskConf != "")
	rep.Notes = append(rep.Notes, in.pbx.Notes...)
	rep.Notes = append(rep.Notes, in.inv.Notes...)
	if note := in.inv.Note(); note != "" {
		rep.Notes = append(rep.Notes, "the inventory: "+note)
	}
	rep.Notes = append(rep.Notes, dialNotes...)
	if in.site.DirectoryRoot != "" {
		in.site.DirectoryURL = directory.URL(in.site.DirectoryBase)
	} else {
		// Only the company directory reads the users after this: not
		// held through the model and the plan for nothing (6 MB at
		// 100,000 users).
		in.dial.Users, in.pbx.Users = nil, nil
	}
	rep.Site = in.site
	db.Close()
	in.db = nil
	return nil
}

// Earlier versions kept the phones' sync values and an inputs digest in
// files of their own; the manifest holds both now.
var oldStateFiles = []string{".setup-cisco-sync", ".setup-cisco-inputs"}

// removeOldState removes those files when they are plain files of ours.
func (in *inputs) removeOldState() {
	for _, n := range oldStateFiles {
		in.dir.RemoveState(n)
	}
}
