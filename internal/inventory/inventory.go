// Package inventory knows which phone (MAC, model) carries which
// extensions on which line keys. It keeps its own two tables in the FreePBX
// database (created on first use) and also reads, never writes, the OSS
// Endpoint Manager's tables when they exist; a MAC in both is taken from
// ours.
package inventory

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"github.com/setup-cisco/setup-cisco/internal/dbrows"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/spill"
)

// Table names of our own inventory.
const (
	PhoneTable = "setup_cisco_phone"
	LineTable  = "setup_cisco_line"
)

// Sources of a phone's entry.
const (
	Ours        = "setup-cisco"
	EndpointMan = "endpointman"
	// Endpoint is Sangoma's commercial Endpoint Manager (FreePBX module
	// "endpoint", on FreePBX Distro sites).
	Endpoint = "endpoint"
)

// Models and their line keys: the 7960 has 6, the 7940 2 (Cisco admin
// guide 7.5, auto_answer: "7960 0 to 63, 7940 0 to 3"; fact sheet §3).
var Models = map[string]int{"7940": 2, "7960": 6}

// EPMLines are the lines the OSS Endpoint Manager lets each model have
// (provisioner endpoint/cisco/sip79xx/family_data.json: 7940 "lines":"4",
// 7960 6; fact sheet §4). A line beyond the phone's keys but within these
// is dropped and named, and the phone is written with the others.
var EPMLines = map[string]int{"7940": 4, "7960": 6}

// Phone is one phone's entry.
type Phone struct {
	MAC    macaddr.MAC
	Model  string // "7940" or "7960"
	Label  string // phone_label; empty: derived from line 1
	Image  string // image_version pin; empty: the site image
	IP     string // fixed address for DHCP reservations; empty: none
	Source string
	Lines  []Line // sorted by N
}

// Line is one line key.
type Line struct {
	N     int    // 1-based line key
	Ext   string // FreePBX extension (devices.id)
	Label string // lineN_shortname; empty: from the user's name
}

// Problem is a bad inventory row; the phone it names is not written.
type Problem struct {
	MAC    string // as stored, possibly malformed
	Source string
	Line   int
	Ext    string
	Msg    string
	// Dropped: only this line is left out; the phone is written with its
	// other lines (it is not in Inventory.Bad).
	Dropped bool
}

func (p Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "phone %s", p.MAC)
	if p.Line > 0 {
		fmt.Fprintf(&b, " line %d", p.Line)
	}
	if p.Ext != "" {
		fmt.Fprintf(&b, " (extension %s)", p.Ext)
	}
	fmt.Fprintf(&b, " [%s]: %s", p.Source, p.Msg)
	if p.Dropped {
		b.WriteString("; this line is left out, the phone's other lines are written")
	}
	return b.String()
}

// Inventory is the merged view.
type Inventory struct {
	Phones   []Phone   // good phones, sorted by MAC
	Problems []Problem // rows that could not be used
	Notes    []string  // things worth telling, e.g. a MAC in both sources
	// Warnings: lines that work only in part (phonecheck.Shared: one
	// extension on more phones than can register it); the phones are
	// still written.
	Warnings []string
	// Bad lists MACs with a problem: their previous files must stay.
	Bad []macaddr.MAC
}

// raw is one row before validation, from either source.
type raw struct {
	mac, model, label, image, ip, source string
	lines                                []rawLine
}

type rawLine struct {
	n          int
	ext, label string
}

// Load reads both sources (each only if its tables exist) and validates
// MACs, models and line numbers. Extensions are checked later, against
// FreePBX's tables.
func Load(ctx context.Context, db *sql.DB, have map[string]bool) (Inventory, error) {
	return newMerger().load(ctx, db, have)
}

// load reads the sources into m, each only if its tables exist.
func (m *merger) load(ctx context.Context, db *sql.DB, have map[string]bool) (Inventory, error) {
	// Each source is validated into the inventory as soon as it is read,
	// so its rows can go before the next source is read.
	if have[PhoneTable] && have[LineTable] {
		m.source()
		if err := loadOurs(ctx, db, m.row); err != nil {
			return Inventory{}, err
		}
	}
	if have["endpointman_mac_list"] && have["endpointman_model_list"] && have["endpointman_brand_list"] {
		m.source()
		probs, notes := len(m.inv.Problems), len(m.inv.Notes)
		if err := loadEPM(ctx, db, have["endpointman_line_list"], m.row); err != nil {
			return Inventory{}, err
		}
		m.inOrder(probs, notes)
	}
	if have["endpoint_extensions"] {
		commercial, err := loadEndpoint(ctx, db)
		if err != nil {
			return Inventory{}, err
		}
		m.add(commercial)
	}
	if m.err != nil {
		return Inventory{}, m.err
	}
	return m.done(), nil
}

// TablesToCheck are the tables Load looks for.
var TablesToCheck = []string{PhoneTable, LineTable, "endpointman_mac_list", "endpointman_line_list", "endpointman_model_list", "endpointman_brand_list", "endpoint_extensions"}

// loadOurs reads our inventory in one query, phones with their lines in
// MAC order, and hands each phone to add as its last line arrives: no row
// is held for the next query (at 100,000 phones the rows and their index
// were 30 MB). A line belongs to the phone of exactly its MAC, as stored.
func loadOurs(ctx context.Context, db *sql.DB, add func(raw)) error {
	var cur raw
	have := false
	err := dbrows.Each(ctx, db, PhoneTable, "SELECT p.mac, p.model, p.label, p.image, p.ip, l.mac, l.line, l.ext, l.label FROM "+
		PhoneTable+" p LEFT JOIN "+LineTable+" l ON l.mac = p.mac ORDER BY p.mac, l.line", func(s dbrows.Scanner) error {
		var mac, model, label, image, ip string
		var lmac, ext, llabel sql.NullString
		var n sql.NullInt64
		if err := s.Scan(&mac, &model, &label, &image, &ip, &lmac, &n, &ext, &llabel); err != nil {
			return err
		}
		if !have || mac != cur.mac {
			if have {
				add(cur)
			}
			cur, have = raw{mac: mac, model: model, label: label, image: image, ip: ip, source: Ours}, true
		}
		if lmac.Valid && lmac.String == mac {
			cur.lines = append(cur.lines, rawLine{n: int(n.Int64), ext: ext.String, label: llabel.String})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if have {
		add(cur)
	}
	return nil
}

// loadEPM reads the Endpoint Manager's Cisco 7940/7960 phones and hands
// each to add once its lines are read: one query per table, joined here.
// The module's line_list has no index on mac_id, so a SQL join grows with
// the square of the phones (14 s at 10,000). Models are matched by name,
// not by id: ids are brand+family+model strings that differ between
// installs (fact sheet §4). Without line_list (the Endpoint Manager 2.2.x,
// install.php $version "2.2.3") a phone has one line: mac_list's own ext
// and description columns, ext 'Not Assigned' (the column's default) for
// none. The phones are read in id order, their lines by mac_id, so a phone
// goes to add as soon as the next one's lines begin: what is held is a MAC
// and an id a phone (at 100,000 phones the rows held whole were 20 MB).
func loadEPM(ctx context.Context, db *sql.DB, lineList bool, add func(raw)) error {
	cisco := map[string]bool{}
	if err := dbrows.Each(ctx, db, "endpointman_brand_list", "SELECT id FROM endpointman_brand_list WHERE LOWER(directory) = 'cisco' OR LOWER(name) LIKE 'cisco%'", func(s dbrows.Scanner) error {
		var id string
		err := s.Scan(&id)
		cisco[id] = true
		return err
	}); err != nil {
		return err
	}
	models := map[string]string{} // model_list.id -> "7940" or "7960"
	if err := dbrows.Each(ctx, db, "endpointman_model_list", "SELECT id, brand, model FROM endpointman_model_list WHERE model LIKE '%7940%' OR model LIKE '%7960%'", func(s dbrows.Scanner) error {
		var id, brand, model string
		if err := s.Scan(&id, &brand, &model); err != nil {
			return err
		}
		if cisco[brand] {
			models[id] = "7940"
			if strings.Contains(model, "7960") {
				models[id] = "7960"
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if !lineList {
		return dbrows.Each(ctx, db, "endpointman_mac_list", "SELECT mac, model, ext, description FROM endpointman_mac_list ORDER BY mac", func(s dbrows.Scanner) error {
			var mac, model, ext, desc sql.NullString
			if err := s.Scan(&mac, &model, &ext, &desc); err != nil {
				return err
			}
			if m, ok := models[model.String]; ok {
				r := raw{mac: mac.String, model: m, source: EndpointMan}
				if e := strings.TrimSpace(ext.String); e != "" && e != "Not Assigned" {
					r.lines = []rawLine{{n: 1, ext: e, label: desc.String}}
				}
				add(r)
			}
			return nil
		})
	}
	type phone struct {
		id    int64
		mac   string
		model string // a constant of models'
		done  bool
	}
	var phones []phone // by id
	if err := dbrows.Each(ctx, db, "endpointman_mac_list", "SELECT id, mac, model FROM endpointman_mac_list ORDER BY id", func(s dbrows.Scanner) error {
		var id int64
		var mac, model sql.NullString
		if err := s.Scan(&id, &mac, &model); err != nil {
			return err
		}
		if m, ok := models[model.String]; ok {
			phones = append(phones, phone{id: id, mac: mac.String, model: m})
		}
		return nil
	}); err != nil {
		return err
	}
	var cur raw
	at := -1 // cur's phone in phones; -1: none
	flush := func() {
		if at >= 0 {
			add(cur)
			phones[at].done = true
			phones[at].mac = ""
		}
		at = -1
	}
	if err := dbrows.Each(ctx, db, "endpointman_line_list", "SELECT mac_id, line, ext, description FROM endpointman_line_list ORDER BY mac_id, line", func(s dbrows.Scanner) error {
		var macID, line int64
		var ext, desc sql.NullString
		if err := s.Scan(&macID, &line, &ext, &desc); err != nil {
			return err
		}
		if at < 0 || phones[at].id != macID {
			flush()
			i, found := slices.BinarySearchFunc(phones, macID, func(p phone, id int64) int { return cmp.Compare(p.id, id) })
			if !found {
				return nil // not a Cisco 7940/7960's line
			}
			at, cur = i, raw{mac: phones[i].mac, model: phones[i].model, source: EndpointMan}
		}
		cur.lines = append(cur.lines, rawLine{n: int(line), ext: ext.String, label: desc.String})
		return nil
	}); err != nil {
		return err
	}
	flush()
	for _, p := range phones { // phones without lines
		if !p.done {
			add(raw{mac: p.mac, model: p.model, source: EndpointMan})
		}
	}
	return nil
}

// loadEndpoint reads the Cisco 7940/7960 lines of Sangoma's commercial
// Endpoint Manager: one row per line, endpoint_extensions(ext, brand, mac,
// template, model, account), model CP7940 or CP7960, account "accountN"
// for line key N (the module's install.php and install/ciscoInstall.php).
func loadEndpoint(ctx context.Context, db *sql.DB) ([]raw, error) {
	var out []raw
	byMAC := map[string]int{}
	err := dbrows.Each(ctx, db, "endpoint_extensions", "SELECT ext, brand, mac, model, account FROM endpoint_extensions ORDER BY mac, account", func(s dbrows.Scanner) error {
		var ext, brand, mac, model, account sql.NullString
		if err := s.Scan(&ext, &brand, &mac, &model, &account); err != nil {
			return err
		}
		m := strings.ToUpper(strings.TrimSpace(model.String))
		if !strings.EqualFold(strings.TrimSpace(brand.String), "cisco") || m != "CP7940" && m != "CP7960" {
			return nil
		}
		i, ok := byMAC[mac.String]
		if !ok {
			i = len(out)
			byMAC[mac.String] = i
			out = append(out, raw{mac: mac.String, model: strings.TrimPrefix(m, "CP"), source: Endpoint})
		}
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(account.String)), "account"))
		if err != nil {
			n = 0 // named by Validate as a bad line number
		}
		out[i].lines = append(out[i].lines, rawLine{n: n, ext: strings.TrimSpace(ext.String)})
		return nil
	})
	return out, err
}

// merge validates each row and lets our entry win over the Endpoint
// Managers' for the same MAC (the OSS one's over the commercial one's).
func merge(ours, epm, commercial []raw) Inventory {
	m := newMerger()
	m.add(ours)
	m.add(epm)
	m.add(commercial)
	return m.done()
}

// merger validates rows source by source, in the order of precedence: the
// first good entry of a MAC is kept, a MAC twice in one source is bad. The
// phones go straight into the inventory, found by an index (a map of Phone
// values and the rows beside it took 20 MB at 100,000 phones).
type merger struct {
	inv   Inventory
	macs  map[uint64]slot // by macNumber
	nbad  int
	calls uint8 // sources started so far
	bit   uint8 // the current source's
	// file: the good phones go here (LoadStored), not to inv.Phones;
	// stored says where each is, sources the source of each call, err
	// the file's failure.
	file    *spill.File
	stored  []storedPhone
	sources [8]string
	buf     []byte
	err     error
}

// slot is what the merger knows of a MAC: its phone's index in inv.Phones
// (-1: none, or bad) and the sources (bits by call) that listed it.
type slot struct {
	i    int32
	srcs uint8
	bad  bool
}

func newMerger() *merger { return &merger{macs: map[uint64]slot{}} }

// add adds one source's rows.
func (m *merger) add(rows []raw) {
	m.source()
	if m.file == nil {
		m.inv.Phones = slices.Grow(m.inv.Phones, len(rows))
	}
	for _, r := range rows {
		m.row(r)
	}
}

// inOrder puts the problems and notes from probs and notes on (those of
// the source just read) in MAC order, as they would be had its rows come
// sorted by MAC (loadEPM hands phones over in id order): stable, so a
// phone's own problems keep their order; without regard to case, as the
// database's ORDER BY mac.
func (m *merger) inOrder(probs, notes int) {
	p := m.inv.Problems[probs:]
	slices.SortStableFunc(p, func(a, b Problem) int {
		return strings.Compare(strings.ToLower(a.MAC), strings.ToLower(b.MAC))
	})
	slices.Sort(m.inv.Notes[notes:])
}

// source starts the next source: row adds its rows.
func (m *merger) source() {
	m.bit = uint8(1) << m.calls
	m.calls++
}

// row adds one row of the current source.
func (m *merger) row(r raw) {
	mac, err := macaddr.Parse(r.mac)
	if err != nil {
		m.inv.Problems = append(m.inv.Problems, Problem{MAC: r.mac, Source: r.source, Msg: err.Error()})
		return
	}
	key := mac.Number()
	m.sources[m.calls-1] = r.source
	s, known := m.macs[key]
	if !known {
		s.i = -1
	}
	if s.srcs&m.bit != 0 {
		m.inv.Problems = append(m.inv.Problems, Problem{MAC: r.mac, Source: r.source, Msg: "duplicate MAC: the same phone is listed twice (spelt differently)"})
		m.markBad(mac, key, s)
		return
	}
	s.srcs |= m.bit
	if s.i >= 0 || s.bad {
		if s.i >= 0 && m.sourceOf(s.i) != r.source {
			m.inv.Notes = append(m.inv.Notes, fmt.Sprintf("phone %s is in both setup-cisco's inventory and the Endpoint Manager; using setup-cisco's entry", mac))
		}
		m.macs[key] = s
		return
	}
	p, probs := validate(mac, r)
	m.inv.Problems = append(m.inv.Problems, probs...)
	if Fatal(probs) {
		m.markBad(mac, key, s)
		return
	}
	if m.file == nil {
		s.i = int32(len(m.inv.Phones))
		m.inv.Phones = append(m.inv.Phones, p)
	} else {
		m.buf = appendPhone(m.buf[:0], &p)
		off, err := m.file.Append(m.buf)
		if err != nil && m.err == nil {
			m.err = fmt.Errorf("keeping the inventory in a temporary file: %w", err)
		}
		s.i = int32(len(m.stored))
		m.stored = append(m.stored, storedPhone{mac: key, off: off, call: m.calls})
	}
	m.macs[key] = s
}

// sourceOf is the source of the phone taken in slot i.
func (m *merger) sourceOf(i int32) string {
	if m.file == nil {
		return m.inv.Phones[i].Source
	}
	return m.sources[m.stored[i].call-1]
}

// markBad records mac as bad; a phone already taken for it is dropped by
// done.
func (m *merger) markBad(mac macaddr.MAC, key uint64, s slot) {
	if !s.bad {
		s.bad = true
		m.nbad++
		m.inv.Bad = append(m.inv.Bad, mac)
		if s.i >= 0 && m.file != nil {
			m.stored[s.i].bad = true
		}
	}
	m.macs[key] = s
}

// done returns the inventory: good phones and bad MACs sorted by MAC.
func (m *merger) done() Inventory {
	inv := m.inv
	if m.file != nil {
		m.stored = slices.DeleteFunc(m.stored, func(p storedPhone) bool { return p.bad })
	}
	if m.nbad > 0 {
		inv.Phones = slices.DeleteFunc(inv.Phones, func(p Phone) bool { return m.macs[p.MAC.Number()].bad })
	}
	slices.SortFunc(inv.Phones, func(a, b Phone) int { return strings.Compare(string(a.MAC), string(b.MAC)) })
	slices.Sort(inv.Bad)
	m.inv, m.macs = Inventory{}, nil
	return inv
}

func validate(mac macaddr.MAC, r raw) (Phone, []Problem) {
	p := Phone{MAC: mac, Model: r.model, Label: r.label, Image: r.image, IP: r.ip, Source: r.source}
	for _, l := range r.lines {
		p.Lines = append(p.Lines, Line{N: l.n, Ext: l.ext, Label: l.label})
	}
	return Validate(p)
}

// Validate checks a phone's entry by itself (its model and line keys; the
// extensions are phonecheck's business) and returns it with only the lines
// it can carry, sorted, and the problems. A problem that is not Dropped
// makes the whole phone bad. Rules: the model is 7940 or 7960 (Models);
// line numbers are 1..keys, unique, with an extension; a line beyond the
// keys but within what the Endpoint Manager allows (EPMLines) is dropped;
// at least one line remains.
func Validate(in Phone) (Phone, []Problem) {
	p := in
	p.Lines = nil
	var probs []Problem
	bad := func(line int, ext, msg string, dropped bool) {
		probs = append(probs, Problem{MAC: string(in.MAC), Source: in.Source, Line: line, Ext: ext, Msg: msg, Dropped: dropped})
	}
	max, ok := Models[in.Model]
	if !ok {
		bad(0, "", fmt.Sprintf("unknown model %q: want 7940 or 7960", in.Model), false)
		return p, probs
	}
	used := map[int]bool{}
	dropped := 0
	for _, l := range in.Lines {
		ext := strings.TrimSpace(l.Ext)
		switch {
		case l.N > max && l.N <= EPMLines[in.Model]:
			bad(l.N, ext, fmt.Sprintf("line %d is beyond the %s's %d lines (the Endpoint Manager allows %d, the phone has %d line keys)", l.N, in.Model, max, EPMLines[in.Model], max), true)
			dropped++
		case l.N < 1 || l.N > max:
			bad(l.N, ext, fmt.Sprintf("line %d is beyond the %s's %d lines", l.N, in.Model, max), false)
		case used[l.N]:
			bad(l.N, ext, fmt.Sprintf("duplicate line %d", l.N), false)
		case ext == "":
			bad(l.N, "", "no extension on this line", false)
		default:
			used[l.N] = true
			p.Lines = append(p.Lines, Line{N: l.N, Ext: ext, Label: l.Label})
		}
	}
	switch {
	case len(in.Lines) == 0:
		bad(0, "", "no lines: assign at least one extension", false)
	case len(p.Lines) == 0 && dropped > 0:
		// Nothing left to write: the dropped lines make the phone bad.
		for i := range probs {
			probs[i].Dropped = false
		}
	}
	sort.Slice(p.Lines, func(i, j int) bool { return p.Lines[i].N < p.Lines[j].N })
	return p, probs
}

// Fatal reports whether probs make the phone bad (any problem that is not
// a dropped line).
func Fatal(probs []Problem) bool {
	for _, p := range probs {
		if !p.Dropped {
			return true
		}
	}
	return false
}
