package provision

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"slices"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
	"github.com/setup-cisco/setup-cisco/internal/version"
)

// runModel is what the model stage decides before anything is rendered.
type runModel struct {
	cfg  phonecfg.Config
	keep []string // files of bad phones, left exactly as they are
	gen  generation
	// shared is the digest of everything the site-wide files are made
	// from; a phone's files are made from that and the phone.
	shared [16]byte
	hasher *phoneHasher
	// retired: phones gone from the inventory whose SIP<MAC>.cnf is ours
	// (retire.go).
	retired []macaddr.MAC
	// store holds the good phones for the plan, which reads them back a
	// batch at a time (cfg.Phones is nil then); nil when a template reads
	// the whole phone list, which then stays in cfg.Phones.
	store *phoneStore
	// phones counts the good phones; macs are theirs and the bad ones',
	// as numbers, sorted (has); pins are the good phones with a pinned
	// image (MAC and Image only), for the firmware checks; absent counts
	// the phones whose SIP<MAC>.cnf is not in the TFTP root.
	phones, absent int
	macs           []uint64
	pins           []phonecfg.Phone
	// resync: the lines of each phone whose files changed are kept in
	// Report.Resync (Options.Resync).
	resync bool
}

// note records what later stages need of a good phone, once the phone
// itself has been stored.
func (m *runModel) note(p *phonecfg.Phone, d *syncdir.Dir) {
	m.phones++
	m.macs = append(m.macs, p.MAC.Number())
	if p.Image != "" {
		// Copies: p's strings are parts of its inventory entry, read back
		// whole from its temporary file.
		m.pins = append(m.pins, phonecfg.Phone{MAC: macaddr.MAC(strings.Clone(string(p.MAC))), Image: strings.Clone(p.Image)})
	}
	if d.Absent("SIP" + string(p.MAC) + ".cnf") {
		m.absent++
	}
}

// has says whether the model has a phone of that MAC, good or bad.
func (m *runModel) has(mac macaddr.MAC) bool {
	_, found := slices.BinarySearch(m.macs, mac.Number())
	return found
}

// buildModel builds the phones' settings from what read gathered and
// finds the generation and the inputs digests.
func buildModel(in *inputs, o Options, rep *Report) (*runModel, error) {
	m := &runModel{hasher: newPhoneHasher(), resync: o.Resync}
	input := phonecfg.Input{Site: in.site, Proxy: in.proxy, Inventory: in.inv.Inventory, Each: in.inv.Each,
		FreePBX: in.pbx, RingFiles: ringTones(in.dir)}
	m.macs = make([]uint64, 0, in.inv.Len()+len(in.inv.Bad))
	if in.tmpl.ReadsPhoneList() {
		var phones []phonecfg.Phone
		var err error
		if m.cfg, err = phonecfg.BuildEach(input, func(p phonecfg.Phone) error {
			phones = append(phones, p)
			return nil
		}); err != nil {
			return nil, err
		}
		// By MAC, as a template that reads the list has always seen them.
		slices.SortFunc(phones, func(a, b phonecfg.Phone) int { return strings.Compare(string(a.MAC), string(b.MAC)) })
		m.cfg.Phones = phones
		for i := range m.cfg.Phones {
			m.note(&m.cfg.Phones[i], in.dir)
		}
	} else {
		m.store = newPhoneStore("")
		in.store = m.store
		var err error
		m.cfg, err = phonecfg.BuildEach(input, func(p phonecfg.Phone) error {
			m.note(&p, in.dir)
			return m.store.add(&p)
		})
		if err != nil {
			return nil, err
		}
		if note := m.store.s.Note(); note != "" {
			rep.Notes = append(rep.Notes, "the phones' settings: "+note)
		}
	}
	for _, mac := range m.cfg.Bad {
		m.macs = append(m.macs, mac.Number())
	}
	slices.Sort(m.macs)
	slices.SortFunc(m.pins, func(a, b phonecfg.Phone) int { return strings.Compare(string(a.MAC), string(b.MAC)) })
	// The rows are in the model now: let the collector have them before
	// the manifest is read and the plan renders.
	in.inv.Close()
	in.inv, in.pbx, input = nil, freepbx.Data{}, phonecfg.Input{}
	if err := in.dir.ReadManifest(); err != nil {
		return nil, err
	}
	var err error
	var notes, warns []string
	var keepRings bool
	if m.cfg.Rings, notes, warns, keepRings, err = ringEntries(in.dir); err != nil {
		return nil, err
	}
	rep.Notes = append(rep.Notes, notes...)
	m.cfg.Warnings = append(m.cfg.Warnings, warns...)
	if keepRings { // a RINGLIST.DAT with no .raw file in sight: not ours to change
		m.keep = append(m.keep, "RINGLIST.DAT")
	}
	rep.Config, rep.Phones = m.cfg, m.phones
	for _, mac := range m.cfg.Bad {
		m.keep = append(m.keep, in.tmpl.PhoneNames(string(mac))...)
	}
	in.dir.Keep(m.keep...)
	m.retired = findRetired(in.dir, m.has)
	if m.gen, err = readGeneration(in.dir); err != nil {
		return nil, err
	}
	if m.gen.note != "" {
		rep.Notes = append(rep.Notes, m.gen.note)
	}
	rep.Generation = m.gen.current
	if m.shared, err = sharedDigest(in, &m.cfg); err != nil {
		return nil, err
	}
	return m, nil
}

// ringTones are the .raw files RINGLIST.DAT can name.
func ringTones(d *syncdir.Dir) []string {
	raw, _ := ringFiles(d.Files())
	return raw
}

// sharedDigest hashes everything the site-wide files are rendered from, and
// that every phone's files depend on too: the build (a new setup-cisco may
// render differently), the templates, and the model without the phones;
// with the phones as well when a template reads the whole list.
func sharedDigest(in *inputs, cfg *phonecfg.Config) ([16]byte, error) {
	h := sha256.New()
	fp := in.tmpl.Fingerprint()
	fmt.Fprintf(h, "setup-cisco inputs v2\n%s\n%x\n", version.String(), fp)
	c := *cfg
	c.Phones, c.Problems, c.PortNotes, c.PortWarnings, c.Warnings = nil, nil, nil, nil, nil
	if in.tmpl.ReadsPhoneList() {
		c.Phones = cfg.Phones
	}
	if err := json.NewEncoder(h).Encode(&c); err != nil {
		return [16]byte{}, fmt.Errorf("hashing the inputs: %w", err)
	}
	var out [16]byte
	copy(out[:], h.Sum(nil))
	return out, nil
}

// phoneHasher hashes what a phone's files are made from: the shared inputs
// and the phone, without its sync value (which the plan decides). One is
// reused for every phone of a run. Each field is written with its length
// (no two phones share an encoding); by hand, not encoding/json, which was
// a third of a no-change run's per-phone work. TestPhoneDigestCoversEveryField
// fails when Phone or Line gains a field this does not hash. The digests are
// stored in the manifest, but they include the build (sharedDigest), so a
// new encoding only means one run that renders to compare.
type phoneHasher struct {
	h   hash.Hash
	buf []byte
	sum []byte
}

func newPhoneHasher() *phoneHasher {
	return &phoneHasher{h: sha256.New()}
}

func (ph *phoneHasher) str(s string) {
	ph.buf = binary.AppendUvarint(ph.buf, uint64(len(s)))
	ph.buf = append(ph.buf, s...)
}

func (ph *phoneHasher) num(n int) { ph.buf = binary.AppendVarint(ph.buf, int64(n)) }

func (ph *phoneHasher) digest(shared [16]byte, p phonecfg.Phone) ([16]byte, error) {
	b := append(ph.buf[:0], "phone v3\x00"...)
	ph.buf = append(b, shared[:]...)
	ph.str(string(p.MAC))
	ph.str(p.Model)
	ph.str(p.Label)
	ph.str(p.Image)
	retired := 0
	if p.Retired {
		retired = 1
	}
	ph.num(retired)
	ph.num(len(p.Lines))
	for _, l := range p.Lines {
		ph.num(l.N)
		ph.str(l.Name)
		ph.str(l.Password)
		ph.str(l.DisplayName)
		ph.str(l.ShortName)
		ph.str(l.Proxy)
		ph.num(l.Port)
		ph.str(l.Tech)
	}
	ph.h.Reset()
	ph.h.Write(ph.buf)
	ph.sum = ph.h.Sum(ph.sum[:0])
	var out [16]byte
	copy(out[:], ph.sum)
	return out, nil
}

// checkFirmware checks the site and pinned images against the TFTP root
// (firmwareWarnings), before anything is written. The warnings are only
// said when a run changes something or with -v, so a run with nothing to
// do skips the scan unless --strict makes them fatal.
func checkFirmware(in *inputs, m *runModel, o Options, rep *Report) error {
	if !o.Strict && !o.CheckWritable && !in.dir.Pending() {
		return nil
	}
	var err error
	if rep.Firmware, err = firmwareWarnings(in.dir, &m.cfg, m.pins, m.retired, rep.Changed); err != nil {
		return err
	}
	rep.PinWarnings = pinWarnings(in.dir, &m.cfg, m.pins)
	if o.Strict && len(rep.Firmware) > 0 {
		return fmt.Errorf("--strict: %d firmware problem(s), nothing written:\n  %s", len(rep.Firmware), strings.Join(rep.Firmware, "\n  "))
	}
	return nil
}
