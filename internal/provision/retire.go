package provision

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/runlock"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// Retired phones. A 7940/7960 keeps in flash every value no file sets
// (fact sheet §7; ADM40-p2-4): a phone whose SIP<MAC>.cnf is deleted keeps
// its old lines and goes on registering as those extensions until it is
// factory reset. So when a phone leaves the inventory (phone remove, or
// gone from the Endpoint Manager) its SIP<MAC>.cnf is not removed but
// rewritten "retired": every per-phone key of the key table at its reset
// value (phonecfg.RetiredPhone), which clears its lines at its next boot.
// Its image_version pin, if it had one, is kept (retiredPin): retiring a
// phone changes its lines, never the load it is told to run.
//
// The file stays ours (in the manifest) and is kept, run after run, until
// the admin forgets the phone (Forget, `phone forget MAC`) or deletes it: a
// retired file that is gone is dropped from the manifest and never made
// again. Adding the phone back replaces it with the phone's normal file.
// Its other per-phone files (SEP<MAC>.cnf.xml) are removed as before.

// retiredMAC returns the MAC of name when it is a phone's SIP<MAC>.cnf.
func retiredMAC(name string) (macaddr.MAC, bool) {
	s, ok := strings.CutPrefix(name, "SIP")
	if !ok {
		return "", false
	}
	if s, ok = strings.CutSuffix(s, ".cnf"); !ok || len(s) != 12 {
		return "", false
	}
	mac, err := macaddr.Parse(s)
	if err != nil || string(mac) != s {
		return "", false
	}
	return mac, true
}

// findRetired lists the phones whose SIP<MAC>.cnf is a file of ours in the
// TFTP root (recorded in the manifest and still there; or a directory
// planted in its place, or gone since, its record kept meanwhile) that the
// model has no phone for, good or bad (has says which it has); sorted.
func findRetired(d *syncdir.Dir, has func(macaddr.MAC) bool) []macaddr.MAC {
	var out []macaddr.MAC
	for n := range d.Recorded() {
		mac, ok := retiredMAC(n)
		if !ok || has(mac) {
			continue
		}
		r, ours := d.Known(n)
		typ, there := d.Type(n)
		switch {
		case !ours:
		case there && typ.IsRegular():
			out = append(out, mac)
		case there && typ.IsDir():
			// A directory planted where its file is: the run cannot
			// reset the file, and must say so rather than forget it.
			out = append(out, mac)
		case !there && r.Pending:
			// Its record kept while a directory stood there: the reset
			// file is written now it is gone.
			out = append(out, mac)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// planRetired stages the retired phones' SIP<MAC>.cnf the way makePlan
// stages a phone's files: reused when its inputs and file are as the last
// run left them, else rendered from the templates with the sync value it
// holds, and given G' (so check-sync reboots the phone) only when it
// changes.
func planRetired(in *inputs, m *runModel, everyPhone bool, rep *Report) error {
	d := in.dir
	for _, mac := range m.retired {
		cnf := "SIP" + string(mac) + ".cnf"
		p := phonecfg.RetiredPhone(mac)
		// It keeps its pin: a phone still on a desk that lost its
		// image_version would take SIPDefault.cnf's, a move its load may
		// not be allowed to make (5.1 straight to 8.12; CME-INST).
		p.Image = retiredPin(d, mac)
		digest, err := m.hasher.digest(m.shared, p)
		if err != nil {
			return err
		}
		meta := syncdir.Meta{Inputs: digest}
		if !everyPhone {
			if _, ok := reusable(d, []string{cnf}, cnf, digest); ok {
				if err := d.Reuse(cnf); err != nil {
					return err
				}
				rep.Retired = append(rep.Retired, mac)
				continue
			}
		}
		compare := false
		if !everyPhone {
			var err error
			if p.Sync, compare, err = m.gen.oldSync(d, cnf); err != nil {
				return err
			}
		}
		if !compare {
			p.Sync = m.gen.change()
		}
		data, err := renderRetired(in, m, p, cnf)
		if err != nil {
			return err
		}
		if compare {
			same, err := d.Compare(cnf, data)
			if err != nil {
				return err
			}
			if same {
				meta.Sync = p.Sync
				if err := d.Accept(cnf, meta); err != nil {
					return err
				}
				rep.Retired = append(rep.Retired, mac)
				continue
			}
			p.Sync = m.gen.change()
			if data, err = renderRetired(in, m, p, cnf); err != nil {
				return err
			}
		}
		meta.Sync = p.Sync
		if err := d.Put(cnf, data, meta); err != nil {
			return err
		}
		rep.Retired = append(rep.Retired, mac)
		rep.Changed = append(rep.Changed, mac)
	}
	return nil
}

// renderRetired renders p's SIP<MAC>.cnf with the phone's template (only
// that file: the others are removed).
func renderRetired(in *inputs, m *runModel, p phonecfg.Phone, cnf string) ([]byte, error) {
	files, err := in.tmpl.RenderPhone(&m.cfg, p)
	if err != nil {
		return nil, fmt.Errorf("retired phone %s: %w", p.MAC, err)
	}
	for _, f := range files {
		if f.Name == cnf {
			return f.Data, nil
		}
	}
	return nil, fmt.Errorf("retired phone %s: the templates make no %s", p.MAC, cnf)
}

// retiredIn lists the retired phones of the TFTP root at root: its
// SIP<MAC>.cnf files of ours whose phone inv does not have. A root that
// does not exist has none.
func retiredIn(root, stateDir string, inv inventory.Inventory) ([]macaddr.MAC, error) {
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	d, err := syncdir.Open(root, syncdir.Options{DryRun: true, CopyDir: stateDir})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	have := map[macaddr.MAC]bool{}
	for _, p := range inv.Phones {
		have[p.MAC] = true
	}
	for _, m := range inv.Bad {
		have[m] = true
	}
	return findRetired(d, func(m macaddr.MAC) bool { return have[m] }), nil
}

// Retired lists the retired phones (see above) of the TFTP root the
// options name, for phone list and doctor: phones inv does not have whose
// SIP<MAC>.cnf is a file of ours. Between `phone remove` and the next run
// the file is still the phone's old one; the run resets it.
func Retired(o Options, inv inventory.Inventory) (root string, macs []macaddr.MAC, err error) {
	site, err := Settings(o)
	if err != nil {
		return "", nil, err
	}
	macs, err = retiredIn(site.TFTPRoot, o.stateDir(), inv)
	return site.TFTPRoot, macs, err
}

// ErrNotRetired: Forget was asked about a phone that has no retired file.
var ErrNotRetired = errors.New("not a retired phone")

// Forget removes a retired phone's SIP<MAC>.cnf from the TFTP root, under
// the run lock, and drops it from the manifest, so that no run makes it
// again. The phone must not be in the inventory (remove it first), and
// the file must be ours (else ErrNotRetired). It returns the file's path.
func Forget(ctx context.Context, o Options, mac macaddr.MAC) (string, error) {
	site, err := Settings(o)
	if err != nil {
		return "", err
	}
	lock, err := runlock.Acquire(site.TFTPRoot, o.LockWait)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	inv, err := Inventory(ctx, o.DB)
	if err != nil {
		return "", err
	}
	cnf := "SIP" + string(mac) + ".cnf"
	path := filepath.Join(site.TFTPRoot, cnf)
	for _, p := range inv.Phones {
		if p.MAC == mac {
			return path, fmt.Errorf("phone %s is in the inventory (%s): remove it first (phone remove, or in the Endpoint Manager)", mac, p.Source)
		}
	}
	if slices.Contains(inv.Bad, mac) {
		return path, fmt.Errorf("phone %s is in the inventory: remove it first", mac)
	}
	d, err := syncdir.Open(site.TFTPRoot, syncdir.Options{Sync: o.Sync, CopyDir: o.stateDir()})
	if err != nil {
		return path, err
	}
	defer d.Close()
	if !slices.Contains(findRetired(d, func(macaddr.MAC) bool { return false }), mac) {
		return path, fmt.Errorf("phone %s: %w (no %s of setup-cisco's in %s)", mac, ErrNotRetired, cnf, site.TFTPRoot)
	}
	// Everything else stays exactly as it is; Commit removes what is
	// neither kept nor put.
	var keep []string
	for _, n := range d.Names() {
		if n != cnf {
			keep = append(keep, n)
		}
	}
	d.Keep(keep...)
	if _, err := d.Commit(); err != nil {
		return path, err
	}
	return path, nil
}
