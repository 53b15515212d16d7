// Package provision is one setup-cisco run, a pipeline of plain values:
//
//	read  (read.go)   site settings, templates, proxy, the FreePBX database and
//	                  inventory, the TFTP root's listing and manifest
//	model (model.go)  phonecfg.Config: phones, lines, ports, rings; firmware
//	                  warnings; the inputs digests of the shared and per-phone
//	                  files
//	plan  (plan.go)   phone by phone: the rendered files and the exact changes,
//	                  each phone's sync value decided once (generation.go)
//	apply (syncdir)   staged beside the targets, one sync, renamed, recorded
//
// --dry-run and --diff run the same stages against a syncdir.Dir that only
// reports. Everything that can fail is checked before the first file
// changes, so a run that cannot be done changes nothing (FatalError); a
// failure after a file changed is a PartialError naming what was written.
package provision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"
	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/dialplan"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/phonecheck"
	"github.com/setup-cisco/setup-cisco/internal/resync"
	"github.com/setup-cisco/setup-cisco/internal/safefs"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
	"github.com/setup-cisco/setup-cisco/internal/tftpargs"

	"golang.org/x/sys/unix"
)

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
	// Diff keeps, in a dry run, every changed file's old and new contents
	// in Report.Result.Changes (--diff); without it they are not held.
	Diff     bool
	LockWait time.Duration
	// DefaultProxy finds this host's address when none is configured.
	DefaultProxy func() (string, error)
	// Strict makes firmware warnings fatal: nothing is written.
	Strict bool
	// CheckWritable fills Report.Writable and Report.Firmware even when
	// nothing changed (-v).
	CheckWritable bool
	Sync          syncdir.SyncMode
	// AsteriskConf is Asterisk's configuration directory, where chan_sip's
	// options in sip_general_custom.conf are read (freepbx.ReadSIPCustom);
	// "" is /etc/asterisk where it exists.
	AsteriskConf string
	// Resync keeps, in Report.Resync, the lines of each phone whose files
	// changed, for check-sync (package resync).
	Resync bool
	// StateDir is where root's runs keep a copy of the manifest of a TFTP
	// root others can write (syncdir.Options.CopyDir); "" is
	// DefaultStateDir as root, none otherwise.
	StateDir string
}

// DefaultStateDir is root's private directory for the copies of manifests.
const DefaultStateDir = "/var/lib/setup-cisco"

func (o Options) stateDir() string {
	switch {
	case o.StateDir != "":
		return o.StateDir
	case os.Geteuid() == 0:
		return DefaultStateDir
	}
	return ""
}

// Report is what a run did, or would do with DryRun.
type Report struct {
	Root string
	// Config is the model without its phones (Config.Phones is nil but
	// where a template reads the whole phone list): a run hands them from
	// the model to the plan through a temporary file (phoneStore), and
	// Phones counts them.
	Config   phonecfg.Config
	Phones   int
	Result   syncdir.Result
	Notes    []string
	DBSource string
	Site     siteconf.Site
	// Generation is the sync value of syncinfo.xml after the run; Changed
	// the phones whose files changed and got it (see package resync).
	Generation string
	Changed    []macaddr.MAC
	// Resync are the changed phones with their lines, in plan order, for
	// check-sync (Options.Resync); retired ones are not among them.
	Resync []resync.Target
	// Retired are the phones gone from the inventory whose SIP<MAC>.cnf
	// is kept with every per-phone key reset (retire.go), sorted.
	Retired []macaddr.MAC
	// Firmware lists problems with the site or pinned images (missing
	// files) and with the moves the site image and each changed phone's
	// SIP<MAC>.cnf tell phones to make (signed downgrade, skipped step:
	// firmwareWarnings); fatal with Strict.
	Firmware []string
	// PinWarnings are new pins that cannot reach a phone still on an SCCP
	// load before 6.x (pinWarnings): said like Firmware, but setup-cisco
	// cannot see what a phone runs, so never fatal with Strict.
	PinWarnings []string
	// Directory lists the company directory's files that changed.
	Directory []DirectoryChange
	// Writable is what in the TFTP root every user can write (issue 11.2);
	// the caller warns about it.
	Writable safefs.Exposure
	// NotWritten names the files of the TFTP root that could not be put in
	// place (a directory where each goes; replaced during the run by
	// another user): the caller says everything else, then fails with it.
	NotWritten error
}

// PartialError is a failure after files had changed (in the TFTP root, or
// company directory pages in the web root): Written names them (the rest
// were left as they were).
type PartialError struct {
	Err     error
	Written []string
}

func (e *PartialError) Error() string {
	const show = 10
	names := e.Written
	more := ""
	if len(names) > show {
		more = fmt.Sprintf(" and %d more", len(names)-show)
		names = names[:show]
	}
	return fmt.Sprintf("%v; %d file(s) had already been written: %s%s", e.Err, len(e.Written), strings.Join(names, ", "), more)
}
func (e *PartialError) Unwrap() error { return e.Err }

// FatalError means nothing could be done and nothing was changed.
type FatalError struct{ Err error }

func (e *FatalError) Error() string { return e.Err.Error() }
func (e *FatalError) Unwrap() error { return e.Err }

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
		if site.ImageVersion, err = siteconf.ImageVersion(o.Image); err != nil {
			return site, fmt.Errorf("--image-version: %v", err)
		}
	}
	if o.Proxy != "" {
		if err := siteconf.CheckHost(o.Proxy); err != nil {
			return site, fmt.Errorf("--proxy: %v", err)
		}
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
	cfg, err := mysql.ParseDSN(r.DSN)
	if err != nil {
		return nil, r.Source, fmt.Errorf("database (credentials from %s): %w", r.Source, err)
	}
	dlog := &driverLog{}
	cfg.Logger = dlog
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, r.Source, fmt.Errorf("database (credentials from %s): %w", r.Source, err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(2)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, r.Source, fmt.Errorf("database unreachable (credentials from %s, %s): %w", r.Source, dbconf.Redact(r.DSN), dlog.explain(err))
	}
	return db, r.Source, nil
}

// Tables tells which of the tables setup-cisco reads (FreePBX's and the
// inventories') exist, in one query.
func Tables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	names := append(append([]string{}, freepbx.TablesToCheck...), inventory.TablesToCheck...)
	return freepbx.Tables(ctx, db, append(names, dialplan.Tables...)...)
}

// StoredInventory reads the inventory as stored (ours and the Endpoint
// Manager's), with only the rows' own problems: what a phone's DHCP
// reservation needs (MAC, model, fixed address) does not depend on its
// lines being usable in FreePBX.
func StoredInventory(ctx context.Context, o dbconf.Options) (inventory.Inventory, error) {
	return loadInventory(ctx, o, false)
}

// Inventory reads the phones (ours and the Endpoint Manager's) with the
// same checks against FreePBX as a run's (internal/phonecheck), so that
// doctor, watch and phone list report what a run would.
func Inventory(ctx context.Context, o dbconf.Options) (inventory.Inventory, error) {
	return loadInventory(ctx, o, true)
}

func loadInventory(ctx context.Context, o dbconf.Options, check bool) (inventory.Inventory, error) {
	db, _, err := Open(ctx, o)
	if err != nil {
		return inventory.Inventory{}, err
	}
	defer db.Close()
	have, err := Tables(ctx, db)
	if err != nil {
		return inventory.Inventory{}, err
	}
	inv, err := inventory.Load(ctx, db, have)
	if err != nil || !check {
		return inv, err
	}
	pbx, err := freepbx.Read(ctx, db, have)
	if err != nil {
		return inv, err
	}
	return phonecheck.Inventory(inv, pbx), nil
}

// Run does one provisioning run: read, model, plan, apply. A *FatalError
// means nothing was changed; a *PartialError that some files were written
// before the failure; otherwise Report.Config.Problems lists bad rows whose
// phones were skipped (their files left as they were).
func Run(ctx context.Context, o Options) (Report, error) {
	var rep Report
	in, err := readInputs(ctx, o, &rep)
	if in != nil {
		// Also on error: readInputs may fail after taking the lock (the
		// database unreachable), and a process that runs again (tests,
		// a long-lived caller) must not find it still held.
		defer in.close()
	}
	if err != nil {
		return rep, &FatalError{err}
	}
	m, err := buildModel(in, o, &rep)
	if err != nil {
		return rep, &FatalError{err}
	}
	if err := makePlan(in, m, &rep); err != nil {
		return rep, &FatalError{err}
	}
	if err := checkFirmware(in, m, o, &rep); err != nil {
		return rep, &FatalError{err}
	}
	if err := writeDirectory(in, &rep); err != nil {
		// The pages go in one by one: a failure after some were
		// replaced or removed has changed the web root.
		if len(rep.Directory) == 0 || o.DryRun {
			return rep, &FatalError{err}
		}
		var written []string
		for _, c := range rep.Directory {
			written = append(written, c.Path)
		}
		return rep, &PartialError{Err: err, Written: written}
	}
	// apply: what plan staged goes into place, recorded in the manifest.
	res, err := in.dir.Commit()
	rep.Result = res
	if err != nil {
		written := res.Written
		if !o.DryRun {
			for _, c := range rep.Directory {
				written = append(written, c.Path)
			}
		}
		if len(written) == 0 {
			return rep, &FatalError{err}
		}
		return rep, &PartialError{Err: err, Written: written}
	}
	rep.NotWritten = in.dir.NotWritten()
	// What others can write in the root (a warning only; doctor reports
	// errors): looked at when the run changed something or is asked to, so
	// a cron run with nothing to do does not stat every file twice.
	if o.CheckWritable || len(res.Changes) > 0 {
		rep.Writable, _ = in.dir.Exposure()
	}
	if !o.DryRun {
		in.removeOldState()
	}
	return rep, nil
}

// checkRoot makes sure the TFTP root exists and can be written, before
// anything else is done.
func checkRoot(root string, dryRun bool) error {
	fi, err := os.Stat(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("TFTP root %s does not exist (%s)", root, missingRootHint("/", root))
		}
		return fmt.Errorf("TFTP root: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("TFTP root %s is not a directory", root)
	}
	if err := systemDir(root); err != nil {
		return err
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

// systemDirs are directories no TFTP root can be: a run writes thousands of
// files into its root and prunes the ones it wrote before, so a wrong
// variable in a cron line (-r "$ROOT" with ROOT unset is "-r /") must stop
// before anything is written. The roots the daemons ship with (/srv/tftp,
// /tftpboot, /var/lib/tftpboot) are none of these.
var systemDirs = []string{"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32",
	"/lib64", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr",
	"/var", "/var/lib", "/var/tmp"}

// underOnly are trees whose every subdirectory is off limits as well (not
// /dev: a root on tmpfs in /dev/shm is fine).
var underOnly = []string{"/boot", "/etc", "/proc", "/sys"}

// systemDir refuses a TFTP root that is, or (for /etc, /proc, ...) lies in,
// a system directory; symlinks are resolved first.
func systemDir(root string) error {
	abs, err := filepath.Abs(root)
	if err != nil {
		return fmt.Errorf("TFTP root %s: %w", root, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for _, d := range systemDirs {
		if abs == d {
			return fmt.Errorf("TFTP root %s is the system directory %s: refusing to write phone files there (check tftp_root / --tftp-root)", root, d)
		}
	}
	for _, d := range underOnly {
		if strings.HasPrefix(abs, d+"/") {
			return fmt.Errorf("TFTP root %s is inside the system directory %s: refusing to write phone files there (check tftp_root / --tftp-root)", root, d)
		}
	}
	return nil
}

// ringFiles picks the .raw ring tones from the TFTP root's listing, for
// RINGLIST.DAT, and the .raw files left out because their names cannot be
// written there (badRingName).
func ringFiles(names iter.Seq[string]) (raw, bad []string) {
	for n := range names {
		if !strings.HasSuffix(strings.ToLower(n), ".raw") || strings.HasPrefix(n, ".") {
			continue
		}
		if badRingName(n) {
			bad = append(bad, n)
		} else {
			raw = append(raw, n)
		}
	}
	sort.Strings(raw)
	return raw, bad
}

// badRingName says whether a file name cannot stand in a new RINGLIST.DAT
// line, LABEL<TAB>FILE, one a line, whose file a reader takes as the last
// field (package ringlist): white space (a name another user chose could
// turn part of itself into a label, "A Chirp1.raw"), a control character
// (a newline or tab adds lines of its own), or not UTF-8.
func badRingName(n string) bool {
	return !utf8.ValidString(n) || strings.ContainsFunc(n, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}

// tftpDaemonRoots are the installed TFTP daemons' Debian configuration:
// the file their service takes its words from, and the directory the
// daemon's command line then serves (tftpargs). The daemon's program must
// be there too: a removed package leaves its conffile behind.
var tftpDaemonRoots = []struct {
	bin, file string
	root      func(env map[string]string) (dir, what string)
}{
	{"usr/sbin/atftpd", "etc/default/atftpd", atftpdDefaultRoot},
	{"usr/sbin/in.tftpd", "etc/default/tftpd-hpa", hpaDefaultRoot},
}

// atftpdDefaultRoot is the directory Debian's atftpd serves with env from
// /etc/default/atftpd: atftpd.service runs `/usr/sbin/in.tftpd $OPTIONS`
// (and /etc/init.d/atftpd `atftpd --daemon $OPTIONS`), so it is the first
// operand of OPTIONS wherever it stands, Debian's /srv/tftp without one.
func atftpdDefaultRoot(env map[string]string) (dir, what string) {
	c := tftpargs.Atftpd(append([]string{"in.tftpd"}, strings.Fields(env["OPTIONS"])...))
	if len(c.Operands) == 0 {
		return tftpargs.AtftpdRoot(c), "atftpd's default: OPTIONS in /etc/default/atftpd names no directory"
	}
	return tftpargs.AtftpdRoot(c), "the directory operand of OPTIONS in /etc/default/atftpd"
}

// hpaDefaultRoot is the directory Debian's tftpd-hpa serves with env from
// /etc/default/tftpd-hpa: /etc/init.d/tftpd-hpa runs `in.tftpd --listen
// --user $TFTP_USERNAME --address $TFTP_ADDRESS $TFTP_OPTIONS
// $TFTP_DIRECTORY`, so it is the first directory operand of that line
// (one in TFTP_OPTIONS comes first); "" when none.
func hpaDefaultRoot(env map[string]string) (dir, what string) {
	args := []string{"in.tftpd", "--listen", "--user"}
	args = append(args, strings.Fields(env["TFTP_USERNAME"])...)
	args = append(append(args, "--address"), strings.Fields(env["TFTP_ADDRESS"])...)
	args = append(args, strings.Fields(env["TFTP_OPTIONS"])...)
	what = "TFTP_DIRECTORY in /etc/default/tftpd-hpa"
	if len(tftpargs.HPA(args).Operands) > 0 {
		what = "the directory operand of TFTP_OPTIONS in /etc/default/tftpd-hpa"
	}
	args = append(args, strings.Fields(env["TFTP_DIRECTORY"])...)
	return tftpargs.HPARoot(tftpargs.HPA(args)), what
}

// usualTFTPRoots are the directories TFTP daemons serve by default on
// Debian (/srv/tftp), Red Hat (/var/lib/tftpboot) and trixbox (/tftpboot).
var usualTFTPRoots = []string{"/srv/tftp", "/var/lib/tftpboot", "/tftpboot"}

// missingRootHint says what to do about a missing TFTP root: name the
// directory the installed TFTP daemon is configured to serve, else the
// usual roots that exist, else create it. sys is the file system's root
// ("/"; tests pass a temporary directory).
func missingRootHint(sys, root string) string {
	for _, d := range tftpDaemonRoots {
		if _, err := os.Stat(filepath.Join(sys, d.bin)); err != nil {
			continue
		}
		env := map[string]string{}
		if err := tftpargs.ReadEnvFile(filepath.Join(sys, d.file), env); err != nil {
			continue
		}
		dir, what := d.root(env)
		if strings.HasPrefix(dir, "/") && filepath.Clean(dir) != filepath.Clean(root) {
			return fmt.Sprintf("the installed TFTP daemon serves %s (%s): set tftp_root = %s in the settings file, or --tftp-root %s; creating %s would write where no daemon serves", dir, what, dir, dir, root)
		}
	}
	var exist []string
	for _, d := range usualTFTPRoots {
		if fi, err := os.Stat(filepath.Join(sys, d)); err == nil && fi.IsDir() && filepath.Clean(d) != filepath.Clean(root) {
			exist = append(exist, d)
		}
	}
	if len(exist) > 0 {
		return fmt.Sprintf("%s exists: set tftp_root / --tftp-root to the directory your TFTP daemon serves, or create %s if it serves that", strings.Join(exist, " and "), root)
	}
	return "create it, or set tftp_root / --tftp-root"
}
