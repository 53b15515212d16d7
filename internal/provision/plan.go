package provision

import (
	"github.com/setup-cisco/setup-cisco/internal/render"
	"github.com/setup-cisco/setup-cisco/internal/resync"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// readByEveryPhone are the shared files a SIP phone reads at boot (Cisco
// SIP 7940/7960 administrator guide, "configuration files"): when one
// changes, every phone must reload.
var readByEveryPhone = map[string]bool{"SIPDefault.cnf": true, "dialplan.xml": true, "RINGLIST.DAT": true, "OS79XX.TXT": true}

// makePlan renders and compares, phone by phone, and hands each change to the
// TFTP root's syncdir.Dir: in a real run it is staged beside its target at
// once (so memory stays flat however many phones there are), in a dry run
// it is only reported. A phone whose inputs and files are as the last run
// left them is not rendered at all.
func makePlan(in *inputs, m *runModel, rep *Report) error {
	d := in.dir
	ropts := render.Options{Compact: compact}
	shared, err := in.tmpl.RenderShared(&m.cfg, ropts)
	if err != nil {
		return err
	}
	everyPhone := false
	for _, f := range shared {
		same, err := d.Compare(f.Name, f.Data)
		if err != nil {
			return err
		}
		meta := syncdir.Meta{Inputs: m.shared}
		if same {
			err = d.Accept(f.Name, meta)
		} else {
			everyPhone = everyPhone || readByEveryPhone[f.Name]
			err = d.Write(f.Name, f.Data, meta)
		}
		if err != nil {
			return err
		}
	}

	for i := range m.cfg.Phones {
		p := &m.cfg.Phones[i]
		digest, err := phoneDigest(m.shared, *p)
		if err != nil {
			return err
		}
		names := in.tmpl.PhoneNames(string(p.MAC))
		cnf := "SIP" + string(p.MAC) + ".cnf"
		if !everyPhone {
			if sync, ok := reusable(d, names, cnf, digest); ok {
				p.Sync = sync
				for _, n := range names {
					if err := d.Reuse(n); err != nil {
						return err
					}
				}
				continue
			}
			sync, exists, err := m.gen.oldSync(d, cnf)
			if err != nil {
				return err
			}
			if exists {
				// Rendered with the sync value it has: unchanged unless
				// something else in it moved.
				p.Sync = sync
				files, err := in.tmpl.RenderPhone(&m.cfg, *p, ropts)
				if err != nil {
					return err
				}
				same := len(files) == len(names)
				for _, f := range files {
					s, err := d.Compare(f.Name, f.Data)
					if err != nil {
						return err
					}
					same = same && s
				}
				if same {
					for _, f := range files {
						if err := d.Accept(f.Name, syncdir.Meta{Inputs: digest, Sync: sync}); err != nil {
							return err
						}
					}
					continue
				}
			}
		}
		// Changed: the next generation, rendered once more.
		p.Sync = m.gen.change()
		rep.Changed = append(rep.Changed, p.MAC)
		files, err := in.tmpl.RenderPhone(&m.cfg, *p, ropts)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := d.Put(f.Name, f.Data, syncdir.Meta{Inputs: digest, Sync: p.Sync}); err != nil {
				return err
			}
		}
	}

	rep.Generation = m.gen.final()
	si, err := resync.SyncInfo(rep.Generation)
	if err != nil {
		return err
	}
	if err := d.Put(resync.SyncInfoFile, si, syncdir.Meta{}); err != nil {
		return err
	}
	rep.Config = m.cfg
	return nil
}

// reusable says whether a phone's files are exactly as the last run made
// them from the same inputs; then sync is the value its cnf file holds.
func reusable(d *syncdir.Dir, names []string, cnf string, digest [16]byte) (sync string, ok bool) {
	for _, n := range names {
		r, known := d.Known(n)
		if !known || !r.Intact || r.Inputs != digest {
			return "", false
		}
		if n == cnf {
			sync = r.Sync
		}
	}
	return sync, sync != ""
}
