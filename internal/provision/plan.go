package provision

import (
	"bytes"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
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
	shared, err := in.tmpl.RenderShared(&m.cfg)
	if err != nil {
		return err
	}
	everyPhone := false
	for _, f := range shared {
		meta := syncdir.Meta{Inputs: m.shared}
		if d.Blocked(f.Name) {
			// A directory where it goes: not written (Commit names it),
			// and no reason for every phone to reload, run after run.
			if err := d.Write(f.Name, f.Data, meta); err != nil {
				return err
			}
			continue
		}
		same, err := d.Compare(f.Name, f.Data)
		if err != nil {
			return err
		}
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

	if err := planPhones(in, m, everyPhone, rep); err != nil {
		return err
	}
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

// phoneWork is one phone's share of the plan. A worker fills it in
// (prepare, then render); the planner's goroutine applies it, in order.
type phoneWork struct {
	p      *phonecfg.Phone
	digest [16]byte
	// reuse: its inputs and files are as the last run left them; nothing
	// is rendered.
	reuse bool
	sync  string // the sync value it renders with
	// change: it gets G' (a new phone, or every phone must reload);
	// compare: rendered with the sync value its file holds, to find out
	// whether it changed.
	change, compare bool
	files           []render.File
	pre             []*syncdir.Prestaged // files already written beside their names
	err             error
}

// planPhones plans the phones in batches of 64. Workers, one per CPU,
// do what does not depend on the order: each phone's inputs digest, the
// check that its files are intact (a stat each), rendering, and writing
// the files that are new to the directory (syncdir.Prestage); meanwhile
// this goroutine applies the batch before, in order. A template that reads
// the whole phone list must see the sync values decided so far, so then
// one batch at a time is prepared, has its sync values set, is rendered
// and is applied.
func planPhones(in *inputs, m *runModel, everyPhone bool, rep *Report) error {
	d := in.dir
	// next gives the next phones, up to n: from the store, or parts of
	// cfg.Phones where a template reads the whole list (its phones' sync
	// values must be set where the templates read them).
	var next func(n int) ([]phonecfg.Phone, error)
	if m.store != nil {
		var err error
		if next, err = m.store.reader(); err != nil {
			return err
		}
	} else {
		rest := m.cfg.Phones
		next = func(n int) ([]phonecfg.Phone, error) {
			n = min(n, len(rest))
			b := rest[:n:n]
			rest = rest[n:]
			return b, nil
		}
	}
	// Many new files (a first run): written by the workers, made durable
	// by one syncfs at Commit.
	prestage := d.Many(m.absent * len(in.tmpl.PhoneNames("")))
	listed := in.tmpl.ReadsPhoneList()
	workers := max(1, runtime.GOMAXPROCS(0))
	hashers := make(chan *phoneHasher, workers)
	for range workers {
		hashers <- newPhoneHasher()
	}
	// each runs f on every phone of work, on the workers, and returns at
	// once; the result waits for them.
	each := func(work []phoneWork, f func(*phoneWork, *phoneHasher)) func() {
		var wg sync.WaitGroup
		next := make(chan int, len(work))
		for i := range work {
			next <- i
		}
		close(next)
		for range min(workers, len(work)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := <-hashers
				for i := range next {
					f(&work[i], h)
				}
				hashers <- h
			}()
		}
		return wg.Wait
	}
	prep := func(w *phoneWork, h *phoneHasher) { w.err = prepare(in, m, w, h, everyPhone) }
	rend := func(w *phoneWork, _ *phoneHasher) {
		if w.err == nil && !w.reuse {
			w.err = renderWork(in, m, w, prestage)
		}
	}
	both := func(w *phoneWork, h *phoneHasher) { prep(w, h); rend(w, h) }
	start := func() ([]phoneWork, func(), error) {
		phones, err := next(64)
		if err != nil || len(phones) == 0 {
			return nil, func() {}, err
		}
		work := make([]phoneWork, len(phones))
		for i := range work {
			work[i].p = &phones[i]
		}
		if listed {
			each(work, prep)()
			for i := range work {
				if work[i].err == nil {
					work[i].p.Sync = work[i].sync
				}
			}
			return work, each(work, rend), nil
		}
		return work, each(work, both), nil
	}
	work, wait, err := start()
	for len(work) > 0 && err == nil {
		wait()
		cur := work
		work, wait = nil, func() {}
		if !listed {
			// The next batch is worked on while this one is applied;
			// not when a template reads the phone list: applying a
			// batch can change its phones' sync values.
			work, wait, err = start()
		}
		for i := range cur {
			if err == nil {
				err = apply(in, m, &cur[i], rep)
			}
			if err != nil {
				wait()
				discard(d, cur[i:])
				discard(d, work)
				return err
			}
		}
		if listed {
			work, wait, err = start()
		}
	}
	return err
}

// discard removes the prestaged files of work that were not adopted.
func discard(d *syncdir.Dir, work []phoneWork) {
	for i := range work {
		for _, p := range work[i].pre {
			d.Discard(p)
		}
	}
}

// prepare settles what a phone needs (safe on several workers: it only
// reads the directory and the generation): nothing, when its inputs and
// files are as the last run left them (reuse), or rendering with the sync
// value its file holds (compare) or with G' (change).
func prepare(in *inputs, m *runModel, w *phoneWork, h *phoneHasher, everyPhone bool) error {
	d := in.dir
	digest, err := h.digest(m.shared, *w.p)
	if err != nil {
		return err
	}
	w.digest = digest
	if everyPhone {
		w.sync, w.change = m.gen.next, true
		return nil
	}
	mac := string(w.p.MAC)
	cnf := "SIP" + mac + ".cnf"
	if sync, ok := reusable(d, in.tmpl.PhoneNames(mac), cnf, digest); ok {
		w.sync, w.reuse = sync, true
		return nil
	}
	if d.Blocked(cnf) {
		// A directory where its file goes: it cannot change, so it keeps
		// the sync value it had (G without one): no new generation, run
		// after run, for a file that is never written.
		w.sync, w.compare = m.gen.current, true
		if r, ours := d.Known(cnf); ours && r.Sync != "" {
			w.sync = r.Sync
		}
		return nil
	}
	sync, exists, err := m.gen.oldSync(d, cnf)
	if err != nil {
		return err
	}
	if exists {
		w.sync, w.compare = sync, true
	} else {
		w.sync, w.change = m.gen.next, true
	}
	return nil
}

// renderWork renders a phone with its sync value and, with prestage,
// writes those of its files that are new to the directory straight from
// the renderer's buffer.
func renderWork(in *inputs, m *runModel, w *phoneWork, prestage bool) error {
	p := *w.p
	p.Sync = w.sync
	if !prestage || w.compare {
		files, err := in.tmpl.RenderPhone(&m.cfg, p)
		w.files = files
		return err
	}
	return in.tmpl.EachPhoneFile(&m.cfg, p, func(f render.File) error {
		pre, err := in.dir.Prestage(f.Name, f.Data)
		if err != nil {
			return err
		}
		if pre != nil {
			f.Data = nil // written: apply adopts it
		} else {
			f.Data = bytes.Clone(f.Data)
		}
		w.files = append(w.files, f)
		w.pre = append(w.pre, pre)
		return nil
	})
}

// apply hands a prepared phone to the TFTP root: its files kept as they
// are, or compared and staged. A phone rendered to compare that did change
// gets G' and is rendered once more.
func apply(in *inputs, m *runModel, w *phoneWork, rep *Report) error {
	if w.err != nil {
		return w.err
	}
	d := in.dir
	p := w.p
	p.Sync = w.sync
	if w.reuse {
		for _, n := range in.tmpl.PhoneNames(string(p.MAC)) {
			if err := d.Reuse(n); err != nil {
				return err
			}
		}
		return nil
	}
	if w.change {
		m.gen.change()
	}
	meta := func() syncdir.Meta { return syncdir.Meta{Inputs: w.digest, Sync: p.Sync} }
	if w.compare {
		same := len(w.files) == len(in.tmpl.PhoneNames(string(p.MAC)))
		for _, f := range w.files {
			if d.Blocked(f.Name) {
				continue // cannot change, whatever it holds: not a change
			}
			s, err := d.Compare(f.Name, f.Data)
			if err != nil {
				return err
			}
			same = same && s
		}
		if same {
			for _, f := range w.files {
				var err error
				if d.Blocked(f.Name) {
					err = d.Write(f.Name, f.Data, meta()) // named by Commit
				} else {
					err = d.Accept(f.Name, meta())
				}
				if err != nil {
					return err
				}
			}
			return nil
		}
		p.Sync = m.gen.change()
		var err error
		if w.files, err = in.tmpl.RenderPhone(&m.cfg, *p); err != nil {
			return err
		}
	}
	// Copies: a phone read back from the store is one string, secrets
	// and all, that a part of it kept would keep whole (12 MB at 100,000
	// changed phones).
	mac := macaddr.MAC(strings.Clone(string(p.MAC)))
	rep.Changed = append(rep.Changed, mac)
	if m.resync {
		t := resync.Target{MAC: mac}
		for _, l := range p.Lines {
			t.Lines = append(t.Lines, resync.Line{Ext: strings.Clone(l.Name), Tech: strings.Clone(l.Tech)})
		}
		rep.Resync = append(rep.Resync, t)
	}
	for i, f := range w.files {
		var err error
		if i < len(w.pre) && w.pre[i] != nil {
			err = d.Adopt(w.pre[i], meta())
			w.pre[i] = nil
		} else {
			err = d.Put(f.Name, f.Data, meta())
		}
		if err != nil {
			return err
		}
	}
	w.files = nil
	return nil
}
