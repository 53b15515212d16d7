package provision

import (
	"runtime"
	"sort"
	"sync"

	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
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

	// Phones go in batches: decide for each whether it needs rendering,
	// render the batch on every CPU, then compare and stage in order.
	// The next batch renders on the other CPUs while this one is staged
	// (file creation is the other half of a full run's time), unless a
	// template reads the whole phone list, which staging changes.
	const batch = 64
	overlap := !in.tmpl.ReadsPhoneList()
	next := func(start int) ([]phoneWork, func() error, error) {
		var work []phoneWork
		for i := start; i < min(start+batch, len(m.cfg.Phones)); i++ {
			w, err := decide(in, m, &m.cfg.Phones[i], everyPhone)
			if err != nil {
				return nil, nil, err
			}
			if w != nil {
				work = append(work, *w)
			}
		}
		if !overlap {
			err := renderAll(in, m, work, runtime.GOMAXPROCS(0))
			return work, func() error { return err }, nil
		}
		// Staging keeps one CPU busy; the others render.
		done := make(chan error, 1)
		go func() { done <- renderAll(in, m, work, max(1, runtime.GOMAXPROCS(0)-1)) }()
		return work, func() error { return <-done }, nil
	}
	work, wait, err := next(0)
	if err != nil {
		return err
	}
	for start := 0; start < len(m.cfg.Phones); start += batch {
		if err := wait(); err != nil {
			return err
		}
		cur := work
		if work, wait, err = next(start + batch); err != nil {
			return err
		}
		for i := range cur {
			if err := stage(in, m, &cur[i], rep); err != nil {
				wait()
				return err
			}
		}
	}
	wait()
	if err := planRetired(in, m, everyPhone, rep); err != nil {
		return err
	}
	for _, mac := range rep.Retired {
		rep.Notes = append(rep.Notes, "phone "+string(mac)+" is not in the inventory: its SIP"+string(mac)+
			".cnf is kept with every line key empty, so it stops registering; `setup-cisco phone forget "+string(mac)+"` deletes it")
	}
	sort.Slice(rep.Changed, func(i, j int) bool { return rep.Changed[i] < rep.Changed[j] })

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

// phoneWork is one phone that needs rendering.
type phoneWork struct {
	p      *phonecfg.Phone
	digest [16]byte
	// compare: rendered with the sync value its file holds, to find out
	// whether it changed; else it changed for sure (p.Sync is G').
	compare bool
	files   []render.File
	err     error
}

// decide settles what a phone needs: nothing (its inputs and files are as
// the last run left them: reused, nil), or rendering.
func decide(in *inputs, m *runModel, p *phonecfg.Phone, everyPhone bool) (*phoneWork, error) {
	d := in.dir
	digest, err := m.hasher.digest(m.shared, *p)
	if err != nil {
		return nil, err
	}
	w := &phoneWork{p: p, digest: digest}
	if everyPhone {
		p.Sync = m.gen.change()
		return w, nil
	}
	names := in.tmpl.PhoneNames(string(p.MAC))
	cnf := "SIP" + string(p.MAC) + ".cnf"
	if sync, ok := reusable(d, names, cnf, digest); ok {
		p.Sync = sync
		for _, n := range names {
			if err := d.Reuse(n); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	sync, exists, err := m.gen.oldSync(d, cnf)
	if err != nil {
		return nil, err
	}
	if exists {
		// Rendered with the sync value it has: unchanged unless something
		// else in it moved.
		p.Sync, w.compare = sync, true
	} else {
		p.Sync = m.gen.change()
	}
	return w, nil
}

// renderAll renders the phones of work on workers goroutines (templates
// may be executed concurrently).
func renderAll(in *inputs, m *runModel, work []phoneWork, workers int) error {
	ropts := render.Options{Compact: compact}
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, len(work)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				work[i].files, work[i].err = in.tmpl.RenderPhone(&m.cfg, *work[i].p, ropts)
			}
		}()
	}
	for i := range work {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, w := range work {
		if w.err != nil {
			return w.err
		}
	}
	return nil
}

// stage compares a rendered phone with its files and hands the changes to
// the TFTP root; a phone rendered to compare that did change gets G' and
// is rendered once more.
func stage(in *inputs, m *runModel, w *phoneWork, rep *Report) error {
	d := in.dir
	p := w.p
	if w.compare {
		same := len(w.files) == len(in.tmpl.PhoneNames(string(p.MAC)))
		for _, f := range w.files {
			s, err := d.Compare(f.Name, f.Data)
			if err != nil {
				return err
			}
			same = same && s
		}
		if same {
			for _, f := range w.files {
				if err := d.Accept(f.Name, syncdir.Meta{Inputs: w.digest, Sync: p.Sync}); err != nil {
					return err
				}
			}
			return nil
		}
		p.Sync = m.gen.change()
		var err error
		if w.files, err = in.tmpl.RenderPhone(&m.cfg, *p, render.Options{Compact: compact}); err != nil {
			return err
		}
	}
	rep.Changed = append(rep.Changed, p.MAC)
	for _, f := range w.files {
		if err := d.Put(f.Name, f.Data, syncdir.Meta{Inputs: w.digest, Sync: p.Sync}); err != nil {
			return err
		}
	}
	w.files = nil
	return nil
}
