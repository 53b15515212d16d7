// Package provision is one setup-cisco run: read the site settings and the
// FreePBX database, build every phone's settings, render the files and make
// the TFTP root hold them. Everything that can fail is checked before the
// first file changes, so a run that cannot be done changes nothing.
package provision

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/renameio/v2"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/render"
	"github.com/setup-cisco/setup-cisco/internal/resync"
	"github.com/setup-cisco/setup-cisco/internal/runlock"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
	"github.com/setup-cisco/setup-cisco/internal/version"

	_ "github.com/go-sql-driver/mysql" // the database/sql driver
	"golang.org/x/sys/unix"
)

// LockFile is the lock taken in the TFTP root for the whole run.
const LockFile = ".setup-cisco.lock"

// Options are the run's inputs (flags override the config file).
type Options struct {
	DB         dbconf.Options
	ConfigPath string
	// ConfigNamed: the user named the config file, so it must exist.
	ConfigNamed bool
	TFTPRoot    string // overrides tftp_root
	Image       string // overrides image_version
	Proxy       string // overrides proxy_address
	Templates   string // overrides templates
	DryRun      bool
	LockWait    time.Duration
	// DefaultProxy finds this host's address when none is configured.
	DefaultProxy func() (string, error)
	// Strict makes firmware warnings fatal: nothing is written.
	Strict bool
	Sync   syncdir.SyncMode
}

// Report is what a run did, or would do with DryRun.
type Report struct {
	Root     string
	Config   phonecfg.Config
	Result   syncdir.Result
	Notes    []string
	DBSource string
	Site     siteconf.Site
	// Generation is the sync value of syncinfo.xml after the run; Changed
	// the phones whose files changed and got it (see package resync).
	Generation string
	Changed    []macaddr.MAC
	// Firmware lists problems with the site or pinned images (missing
	// files, signed downgrade, skipped step); fatal with Strict.
	Firmware []string
}

// FatalError means nothing could be done and nothing was changed.
type FatalError struct{ Err error }

func (e *FatalError) Error() string { return e.Err.Error() }
func (e *FatalError) Unwrap() error { return e.Err }

func fatal(format string, a ...any) error { return &FatalError{fmt.Errorf(format, a...)} }

// Settings loads the site settings with the flag overrides applied.
func Settings(o Options) (siteconf.Site, error) {
	site, err := siteconf.Load(o.ConfigPath, !o.ConfigNamed)
	if err != nil {
		return site, err
	}
	if o.TFTPRoot != "" {
		site.TFTPRoot = o.TFTPRoot
	}
	if o.Image != "" {
		site.ImageVersion = o.Image
	}
	if o.Proxy != "" {
		site.ProxyAddress = o.Proxy
	}
	if o.Templates != "" {
		site.Templates = o.Templates
	}
	return site, nil
}

// Open connects to the FreePBX database and checks that it answers.
func Open(ctx context.Context, o dbconf.Options) (*sql.DB, string, error) {
	r, err := dbconf.Resolve(o)
	if err != nil {
		return nil, "", err
	}
	db, err := sql.Open("mysql", r.DSN)
	if err != nil {
		return nil, r.Source, fmt.Errorf("database (credentials from %s): %w", r.Source, err)
	}
	db.SetMaxOpenConns(2)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, r.Source, fmt.Errorf("database unreachable (credentials from %s, %s): %w", r.Source, dbconf.Redact(r.DSN), err)
	}
	return db, r.Source, nil
}

// Tables tells which of the tables setup-cisco reads (FreePBX's and the
// inventories') exist, in one query.
func Tables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	return freepbx.Tables(ctx, db, append(append([]string{}, freepbx.TablesToCheck...), inventory.TablesToCheck...)...)
}

// Inventory reads the phones (ours and the Endpoint Manager's), for the
// commands that need only them (doctor, setup-dhcp --reservations).
func Inventory(ctx context.Context, o dbconf.Options) (inventory.Inventory, error) {
	db, _, err := Open(ctx, o)
	if err != nil {
		return inventory.Inventory{}, err
	}
	defer db.Close()
	have, err := Tables(ctx, db)
	if err != nil {
		return inventory.Inventory{}, err
	}
	return inventory.Load(ctx, db, have)
}

// Run does one provisioning run. A *FatalError means nothing was changed;
// otherwise Report.Config.Problems lists bad rows whose phones were skipped.
func Run(ctx context.Context, o Options) (Report, error) {
	var rep Report
	site, err := Settings(o)
	if err != nil {
		return rep, &FatalError{err}
	}
	root := site.TFTPRoot
	rep.Root = root
	if err := checkRoot(root, o.DryRun); err != nil {
		return rep, &FatalError{err}
	}
	tmpl, err := render.Load(site.Templates)
	if err != nil {
		return rep, &FatalError{err}
	}
	proxy := site.ProxyAddress
	if proxy == "" {
		if o.DefaultProxy == nil {
			return rep, fatal("no proxy address: set proxy_address in the config file or give --proxy")
		}
		if proxy, err = o.DefaultProxy(); err != nil {
			return rep, fatal("finding this host's address for the phones' proxy (set proxy_address or --proxy): %v", err)
		}
		rep.Notes = append(rep.Notes, "proxy address "+proxy+" (this host's primary IPv4)")
	}

	// Lock before reading, so a slower run can never write older data over
	// a newer run's files.
	if !o.DryRun {
		lock, err := runlock.Acquire(filepath.Join(root, LockFile), o.LockWait)
		if err != nil {
			return rep, &FatalError{err}
		}
		defer lock.Release()
	}

	db, source, err := Open(ctx, o.DB)
	rep.DBSource = source
	if err != nil {
		return rep, &FatalError{err}
	}
	defer db.Close()
	have, err := Tables(ctx, db)
	if err != nil {
		return rep, &FatalError{err}
	}
	pbx, err := freepbx.Read(ctx, db, have)
	if err != nil {
		return rep, &FatalError{err}
	}
	rep.Notes = append(rep.Notes, pbx.Notes...)
	inv, err := inventory.Load(ctx, db, have)
	if err != nil {
		return rep, &FatalError{err}
	}
	rep.Notes = append(rep.Notes, inv.Notes...)
	rings, err := ringFiles(root)
	if err != nil {
		return rep, &FatalError{err}
	}

	cfg := phonecfg.Build(phonecfg.Input{Site: site, Proxy: proxy, Inventory: inv, FreePBX: pbx, RingFiles: rings})
	rep.Config = cfg
	rep.Site = site
	if rep.Firmware, err = firmwareWarnings(root, &cfg); err != nil {
		return rep, &FatalError{err}
	}
	if o.Strict && len(rep.Firmware) > 0 {
		return rep, fatal("--strict: %d firmware problem(s), nothing written:\n  %s", len(rep.Firmware), strings.Join(rep.Firmware, "\n  "))
	}
	keep := make([]string, 0, len(cfg.Bad))
	for _, m := range cfg.Bad {
		keep = append(keep, "SIP"+string(m)+".cnf", "SEP"+string(m)+".cnf.xml")
	}
	gen, err := resync.ReadGeneration(root)
	if err != nil {
		return rep, &FatalError{err}
	}
	// Each phone keeps the sync value of its file on disk, so that a phone
	// with nothing new renders byte for byte the same. The values are
	// remembered in SyncFile, so that a run reads one file, not one per
	// phone; a phone missing there is read from its SIP<MAC>.cnf.
	known := readSyncFile(root)
	for i := range cfg.Phones {
		p := &cfg.Phones[i]
		p.Sync = gen
		if v, ok := known[p.MAC]; ok {
			p.Sync = v
		} else if data, err := os.ReadFile(filepath.Join(root, "SIP"+string(p.MAC)+".cnf")); err == nil {
			if v, ok := resync.CnfSync(data); ok {
				p.Sync = v
			}
		}
	}
	// Nothing to do when every input of the files is what the last
	// complete run rendered and every file is as that run left it: then
	// the files need neither rendering nor comparing.
	rep.Generation = gen
	digest, err := inputsDigest(tmpl, &cfg, gen, keep)
	if err != nil {
		return rep, &FatalError{err}
	}
	if readInputsFile(root) == digest {
		if n, ok := syncdir.Intact(root); ok {
			rep.Config = cfg
			rep.Result = syncdir.Result{Unchanged: n}
			return rep, nil
		}
	}
	out, err := renderAll(tmpl, &cfg, gen)
	if err != nil {
		return rep, err
	}
	sopts := syncdir.Options{Keep: keep, DryRun: true}
	first, err := syncdir.Sync(root, out, sopts)
	if err != nil {
		return rep, &FatalError{err}
	}
	// The phones whose files change get the next generation, so that a
	// check-sync NOTIFY makes exactly them reboot, once.
	if changed := changedPhones(&cfg, first.Changes); len(changed) > 0 {
		rep.Generation = resync.NextGeneration(gen)
		var again []phonecfg.Phone
		for i := range cfg.Phones {
			if changed[cfg.Phones[i].MAC] {
				cfg.Phones[i].Sync = rep.Generation
				rep.Changed = append(rep.Changed, cfg.Phones[i].MAC)
				again = append(again, cfg.Phones[i])
			}
		}
		// Only those phones' files and syncinfo.xml depend on the
		// generation: render just them again.
		if out, err = rerender(tmpl, &cfg, again, rep.Generation, out); err != nil {
			return rep, err
		}
	}
	rep.Config = cfg
	if o.DryRun {
		sopts.DryRun = true
	} else {
		sopts.DryRun = false
		sopts.Sync = o.Sync
	}
	// The sync values are recorded before the files change: after a crash
	// the next run then renders the phones already written exactly as they
	// are, and the others again with the same generation.
	if !o.DryRun {
		if err := writeSyncFile(root, known, cfg.Phones); err != nil {
			return rep, &FatalError{err}
		}
	}
	res, err := syncdir.Sync(root, out, sopts)
	rep.Result = res
	if err != nil {
		return rep, err
	}
	if !o.DryRun {
		// The inputs that produced the files now on disk: with the phones'
		// sync values after this run, as the next run will see them.
		if digest, err = inputsDigest(tmpl, &cfg, rep.Generation, keep); err == nil {
			err = writeInputsFile(root, digest)
		}
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// InputsFile records the digest of the inputs of the last complete run.
const InputsFile = ".setup-cisco-inputs"

// inputsDigest hashes everything the files are rendered from: the model
// (site settings, proxy, ports, ring files, every phone with its lines,
// secrets and sync value, bad phones), the generation, the templates and
// the build.
func inputsDigest(tmpl *render.Set, cfg *phonecfg.Config, gen string, keep []string) (string, error) {
	h := sha256.New()
	// The build is an input too: a new setup-cisco may render differently.
	fmt.Fprintf(h, "setup-cisco inputs v1\n%s\n%s\n%x\n", version.String(), gen, tmpl.Fingerprint())
	enc := json.NewEncoder(h)
	if err := enc.Encode(cfg); err != nil {
		return "", fmt.Errorf("hashing the inputs: %w", err)
	}
	if err := enc.Encode(keep); err != nil {
		return "", fmt.Errorf("hashing the inputs: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readInputsFile(root string) string {
	data, err := os.ReadFile(filepath.Join(root, InputsFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

func writeInputsFile(root, digest string) error {
	if readInputsFile(root) == digest {
		return nil
	}
	if err := renameio.WriteFile(filepath.Join(root, InputsFile), []byte(digest+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(root, InputsFile), err)
	}
	return nil
}

// SyncFile remembers each phone's sync value (see Run).
const SyncFile = ".setup-cisco-sync"

func readSyncFile(root string) map[macaddr.MAC]string {
	out := map[macaddr.MAC]string{}
	data, err := os.ReadFile(filepath.Join(root, SyncFile))
	if err != nil {
		return out
	}
	for _, l := range strings.Split(string(data), "\n") {
		if mac, v, ok := strings.Cut(l, " "); ok && len(mac) == 12 && v != "" {
			out[macaddr.MAC(mac)] = v
		}
	}
	return out
}

// writeSyncFile records the phones' sync values when they differ from what
// the file holds, so a run that changes nothing writes nothing.
func writeSyncFile(root string, known map[macaddr.MAC]string, phones []phonecfg.Phone) error {
	same := len(known) == len(phones)
	var b strings.Builder
	for _, p := range phones {
		if known[p.MAC] != p.Sync {
			same = false
		}
		fmt.Fprintf(&b, "%s %s\n", p.MAC, p.Sync)
	}
	if same {
		return nil
	}
	if err := renameio.WriteFile(filepath.Join(root, SyncFile), []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(root, SyncFile), err)
	}
	return nil
}

// renderAll renders every file plus syncinfo.xml for generation gen.
func renderAll(tmpl *render.Set, cfg *phonecfg.Config, gen string) ([]syncdir.File, error) {
	files, err := tmpl.Render(cfg, render.Options{Compact: compact})
	if err != nil {
		return nil, &FatalError{err}
	}
	out := make([]syncdir.File, 0, len(files)+1)
	for _, f := range files {
		out = append(out, syncdir.File{Name: f.Name, Data: f.Data})
	}
	si, err := syncInfo(cfg, gen)
	if err != nil {
		return nil, err
	}
	return append(out, si), nil
}

// syncInfo is syncinfo.xml for generation gen.
func syncInfo(cfg *phonecfg.Config, gen string) (syncdir.File, error) {
	si, err := resync.SyncInfo(gen)
	if err != nil {
		return syncdir.File{}, &FatalError{fmt.Errorf("%s in %s: %w", resync.SyncInfoFile, cfg.Site.TFTPRoot, err)}
	}
	return syncdir.File{Name: resync.SyncInfoFile, Data: si}, nil
}

// rerender replaces, in out, the per-phone files of phones and syncinfo.xml
// with their content for generation gen.
func rerender(tmpl *render.Set, cfg *phonecfg.Config, phones []phonecfg.Phone, gen string, out []syncdir.File) ([]syncdir.File, error) {
	files, err := tmpl.RenderPhones(cfg, phones, render.Options{Compact: compact})
	if err != nil {
		return nil, &FatalError{err}
	}
	si, err := syncInfo(cfg, gen)
	if err != nil {
		return nil, err
	}
	files = append(files, render.File{Name: si.Name, Data: si.Data})
	at := make(map[string]int, len(out))
	for i, f := range out {
		at[f.Name] = i
	}
	for _, f := range files {
		if i, ok := at[f.Name]; ok {
			out[i].Data = f.Data
		} else {
			out = append(out, syncdir.File{Name: f.Name, Data: f.Data})
		}
	}
	return out, nil
}

// changedPhones tells which phones a set of changes concerns: a phone's own
// files, or every phone when a file they all read changed.
func changedPhones(cfg *phonecfg.Config, changes []syncdir.Change) map[macaddr.MAC]bool {
	out := map[macaddr.MAC]bool{}
	own := map[string]macaddr.MAC{}
	for _, p := range cfg.Phones {
		own["SIP"+string(p.MAC)+".cnf"] = p.MAC
		own["SEP"+string(p.MAC)+".cnf.xml"] = p.MAC
	}
	for _, c := range changes {
		if c.Kind == syncdir.Removed {
			continue
		}
		if m, ok := own[c.Name]; ok {
			out[m] = true
			continue
		}
		switch c.Name {
		case "SIPDefault.cnf", "dialplan.xml", "RINGLIST.DAT", "OS79XX.TXT":
			for _, p := range cfg.Phones {
				out[p.MAC] = true
			}
			return out
		}
	}
	return out
}

// checkRoot makes sure the TFTP root exists and can be written, before
// anything else is done.
func checkRoot(root string, dryRun bool) error {
	fi, err := os.Stat(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("TFTP root %s does not exist (create it, or set tftp_root / --tftp-root)", root)
		}
		return fmt.Errorf("TFTP root: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("TFTP root %s is not a directory", root)
	}
	if dryRun {
		return nil
	}
	// access(2), not a probe file: a run with nothing to do writes nothing.
	if err := unix.Access(root, unix.W_OK|unix.X_OK); err != nil {
		return fmt.Errorf("TFTP root %s is not writable: %w", root, err)
	}
	return nil
}

// ringFiles lists the .raw ring tones in the TFTP root, for RINGLIST.DAT.
func ringFiles(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", root, err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(strings.ToLower(e.Name()), ".raw") && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}
