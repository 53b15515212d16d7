package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/dbrows"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecheck"
	"github.com/setup-cisco/setup-cisco/internal/provision"
)

// phoneFlags are the per-phone settings of "phone add" and "phone set".
type phoneFlags struct {
	model, label, lineLabels, image, ip, lines string
}

func (p *phoneFlags) register(fs *pflag.FlagSet, set bool) {
	fs.StringVar(&p.model, "model", "", "phone `MODEL`: 7940 (2 lines) or 7960 (6 lines)")
	fs.StringVar(&p.label, "label", "", "`TEXT` at the top of the screen (phone_label, at most 11 characters; default: line 1's number and name)")
	fs.StringVar(&p.lineLabels, "line-labels", "", "comma-separated line key `LABELS` (lineN_shortname, at most 12 characters each; default: the user's first name)")
	fs.StringVar(&p.image, "image", "", "pin this phone to firmware `NAME` (its SIP<MAC>.cnf gets its own image_version); \"\" clears the pin")
	fs.StringVar(&p.ip, "ip", "", "fixed IPv4 `ADDRESS` for setup-dhcp --reservations; \"\" clears it")
	if set {
		fs.StringVar(&p.lines, "lines", "", "replace the lines: `EXT[,EXT...]` in line key order; an empty item leaves that key blank")
	}
}

func phoneCommand() *command {
	var add, set phoneFlags
	return &command{
		name:  "phone",
		usage: "phone add|set|remove|list|forget ...",
		about: "manage setup-cisco's phone inventory (MAC, model, lines) in the FreePBX database",
		sub: []*command{
			{
				name:  "add",
				usage: "phone add MAC EXT[,EXT...] --model 7940|7960 [--label TEXT] [--line-labels A,B] [--image NAME] [--ip ADDRESS]",
				about: "add a phone; EXTs go to line keys 1, 2, ... in order (an empty item leaves a key blank)",
				flags: func(fs *pflag.FlagSet) { add.register(fs, false) },
				run:   withFlags(&add, phoneAdd),
			},
			{
				name:  "set",
				usage: "phone set MAC [--model M] [--lines EXT,...] [--label TEXT] [--line-labels A,B] [--image NAME] [--ip ADDRESS]",
				about: "change a phone of setup-cisco's inventory",
				flags: func(fs *pflag.FlagSet) { set.register(fs, true) },
				run:   withFlags(&set, phoneSet),
			},
			{
				name:  "remove",
				usage: "phone remove MAC",
				about: "remove a phone; the next run resets its SIP<MAC>.cnf (no lines), so it stops registering",
				run:   phoneRemove,
			},
			{
				name:  "list",
				usage: "phone list",
				about: "list every phone: setup-cisco's and the Endpoint Manager's, with problems",
				run:   phoneList,
			},
			{
				name:  "forget",
				usage: "phone forget MAC",
				about: "delete a removed phone's reset SIP<MAC>.cnf from the TFTP root for good",
				run:   phoneForget,
			},
		},
	}
}

// withDB opens the database and reads which tables exist.
func withDB(ctx context.Context, g *globals, fn func(db *sql.DB, have map[string]bool) int) int {
	db, _, err := provision.Open(ctx, g.db)
	if err != nil {
		g.errorf("%v", err)
		return exitFatal
	}
	defer db.Close()
	have, err := provision.Tables(ctx, db)
	if err != nil {
		g.errorf("%v", err)
		return exitFatal
	}
	return fn(db, have)
}

// lineList turns "1001,,1003" into lines 1 and 3. labels are the
// --line-labels items (nil: not given): item N is key N's label, an empty
// item none. A key without an item keeps its stored label (stored, key ->
// line; nil for a new phone) when it keeps its extension, and an
// extension moved to another key takes its label along: a label belongs
// to the line, not to the command that moved another key.
func lineList(s string, labels []string, stored map[int]inventory.Line) ([]inventory.Line, error) {
	var out []inventory.Line
	for i, e := range strings.Split(s, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if _, err := cnftext.Token(e); err != nil {
			return nil, fmt.Errorf("extension %d: %v", i+1, err)
		}
		l := inventory.Line{N: i + 1, Ext: e}
		if i < len(labels) {
			l.Label = strings.TrimSpace(labels[i])
		} else if old, ok := stored[l.N]; ok && old.Ext == e {
			l.Label = old.Label
		} else {
			for n := 1; n <= len(stored)+maxKeys; n++ {
				if old, ok := stored[n]; ok && old.Ext == e {
					l.Label = old.Label
					break
				}
			}
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, errors.New("no extension given")
	}
	return out, nil
}

// maxKeys bounds the line keys looked at (a 7960 has 6).
const maxKeys = 6

// labelItems splits --line-labels; nil when it is not given.
func labelItems(given bool, s string) []string {
	if !given {
		return nil
	}
	return strings.Split(s, ",")
}

// storedLines indexes a phone's lines by key.
func storedLines(lines []inventory.Line) map[int]inventory.Line {
	m := make(map[int]inventory.Line, len(lines))
	for _, l := range lines {
		m[l.N] = l
	}
	return m
}

// checkLabels applies inventory.CheckLabel, the rule phone add/set store
// by, to --label and --line-labels, naming the flag. hasLine says which
// line keys carry a line: a label for any other key would be lost. An item
// equal to the label stored for its key (stored; nil for a new phone) is
// not checked again: it is no change, and a label stored before the rule
// (README: kept until you change it) must not block labelling another key.
func checkLabels(label *string, lineLabels *string, hasLine func(n int) bool, stored map[int]inventory.Line) error {
	if label != nil {
		if err := inventory.CheckLabel(*label, inventory.PhoneLabelMax); err != nil {
			return fmt.Errorf("--label %v (phone_label)", err)
		}
	}
	if lineLabels == nil || *lineLabels == "" {
		return nil
	}
	for i, l := range strings.Split(*lineLabels, ",") {
		n := i + 1
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if !hasLine(n) {
			return fmt.Errorf("--line-labels: label %d %q is for line key %d, which has no line", n, l, n)
		}
		if old, ok := stored[n]; ok && old.Label == l {
			continue
		}
		if err := inventory.CheckLabel(l, inventory.LineLabelMax); err != nil {
			return fmt.Errorf("--line-labels: label %d %v (line%d_shortname)", n, err, n)
		}
	}
	return nil
}

// lineKeys says which line keys of lines carry a line.
func lineKeys(lines []inventory.Line) func(int) bool {
	return func(n int) bool {
		for _, l := range lines {
			if l.N == n {
				return true
			}
		}
		return false
	}
}

// userLines refuses a line whose extension is a FreePBX user but no device
// of its own, or the number of a ring group, queue or conference. In "Devices and Users" mode (Advanced Settings AMPEXTENSIONS
// = deviceanduser; FreePBX wiki "Devices and Users Under the Hood") a
// phone registers as a device (devices.id, the chan_sip peer or PJSIP
// endpoint) and a user's number is not one: the error names the user's
// SIP/PJSIP devices to give instead. A user with no device at all is a
// virtual extension: nothing can register as it.
func userLines(ctx context.Context, db *sql.DB, pbx freepbx.Data, lines []inventory.Line) error {
	users := make(map[string]bool, len(pbx.Users))
	for _, u := range pbx.Users {
		users[u.Extension] = true
	}
	var msgs []string
	var numbers map[string]string // number -> what it is (ring group, queue, conference); read when needed
	for _, l := range lines {
		if _, dev := pbx.Extensions.Get(l.Ext); dev {
			continue
		}
		if !users[l.Ext] {
			if _, dev := pbx.Others[l.Ext]; dev {
				continue // phonecheck names it
			}
			// A ring group's, queue's or conference's number (the key
			// system habit of a shared line): nothing registers as it.
			if numbers == nil {
				have, err := freepbx.Tables(ctx, db, freepbx.NumberTables...)
				if err != nil {
					return err
				}
				ns, err := freepbx.ReadNumbers(ctx, db, have)
				if err != nil {
					return err
				}
				numbers = map[string]string{}
				for _, n := range ns {
					numbers[n.Number] = n.Kind
				}
			}
			if kind, ok := numbers[l.Ext]; ok {
				msgs = append(msgs, fmt.Sprintf("line %d: %s is FreePBX's %s, not a device: a phone registers as an extension (a SIP or PJSIP device); give the phone its own extension and add that extension to the %s, whose calls then ring it", l.N, l.Ext, kind, kind))
			}
			continue
		}
		if _, dev := pbx.Others[l.Ext]; dev {
			continue // a device of another technology: phonecheck names it
		}
		var sip, other []string
		err := dbrows.Each(ctx, db, "devices", "SELECT id, tech, description FROM devices WHERE user = ? ORDER BY id", func(s dbrows.Scanner) error {
			var id, tech, desc sql.NullString
			if err := s.Scan(&id, &tech, &desc); err != nil {
				return err
			}
			d := id.String
			if desc.String != "" && desc.String != id.String {
				d += " (" + desc.String + ")"
			}
			if _, ok := pbx.Extensions.Get(id.String); ok {
				sip = append(sip, d)
			} else {
				other = append(other, d+" "+strings.ToUpper(tech.String))
			}
			return nil
		}, l.Ext)
		if err != nil {
			return fmt.Errorf("line %d: reading user %s's devices: %w", l.N, l.Ext, err)
		}
		switch {
		case len(sip) > 0:
			msgs = append(msgs, fmt.Sprintf("line %d: %s is a FreePBX user, not a device (Devices and Users mode): give one of its SIP/PJSIP devices instead: %s", l.N, l.Ext, strings.Join(sip, ", ")))
		case len(other) > 0:
			msgs = append(msgs, fmt.Sprintf("line %d: %s is a FreePBX user, not a device, and none of its devices is SIP or PJSIP: %s", l.N, l.Ext, strings.Join(other, ", ")))
		default:
			msgs = append(msgs, fmt.Sprintf("line %d: %s is a FreePBX user with no device (a virtual extension): nothing can register as it; give a SIP or PJSIP device", l.N, l.Ext))
		}
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

func parseMAC(g *globals, s string) (macaddr.MAC, bool) {
	m, err := macaddr.Parse(s)
	if err != nil {
		g.errorf("%v", err)
		return "", false
	}
	return m, true
}

func phoneAdd(ctx context.Context, g *globals, f *phoneFlags, args []string) int {
	if len(args) != 2 {
		g.errorf("phone add: want MAC EXT[,EXT...] (see setup-cisco phone add --help)")
		return exitFatal
	}
	mac, ok := parseMAC(g, args[0])
	if !ok {
		return exitFatal
	}
	if f.model == "" {
		g.errorf("phone add: --model 7940 or --model 7960 is required")
		return exitFatal
	}
	lines, err := lineList(args[1], labelItems(true, f.lineLabels), nil)
	if err != nil {
		g.errorf("phone add: %v", err)
		return exitFatal
	}
	if err := checkLabels(&f.label, &f.lineLabels, lineKeys(lines), nil); err != nil {
		g.errorf("phone add: %v", err)
		return exitFatal
	}
	return withDB(ctx, g, func(db *sql.DB, have map[string]bool) int {
		pbx, ok := readFreePBX(ctx, g, db, have)
		if !ok {
			return exitFatal
		}
		if err := userLines(ctx, db, pbx, lines); err != nil {
			g.errorf("phone add %s: %v", mac, err)
			return exitFatal
		}
		p := inventory.Phone{MAC: mac, Model: f.model, Label: f.label, Image: f.image, IP: f.ip, Lines: lines}
		if err := phonecheck.Entry(p, pbx); err != nil {
			g.errorf("phone add %s: %v", mac, err)
			return exitFatal
		}
		others, ok := loadInventory(ctx, g, db, have)
		if !ok {
			return exitFatal
		}
		if err := inventory.Add(ctx, db, p); err != nil {
			g.errorf("%v", err)
			return exitFatal
		}
		sharedWarnings(g, p, others, pbx)
		g.donef("added phone %s (%s, %d line(s)); run setup-cisco to write its files", mac, f.model, len(lines))
		return exitOK
	})
}

func phoneSet(ctx context.Context, g *globals, f *phoneFlags, args []string) int {
	mac, ok := macArg(g, args, "phone set: want MAC (see setup-cisco phone set --help)")
	if !ok {
		return exitFatal
	}
	return withDB(ctx, g, func(db *sql.DB, have map[string]bool) int {
		inv, ok := loadInventory(ctx, g, db, have)
		if !ok {
			return exitFatal
		}
		cur, found := inventory.Phone{}, false
		for _, p := range inv.Phones {
			if p.MAC == mac && p.Source == inventory.Ours {
				cur, found = p, true
			}
		}
		if !found {
			raw, err := inventory.Get(ctx, db, have, mac)
			if err != nil {
				g.errorf("phone %s: %v (phone list shows the inventory)", mac, err)
				return exitFatal
			}
			cur = raw
		}
		var c inventory.Change
		changed := func(name string) bool { return g.flagsSeen(name) }
		var label, lineLabels *string
		if changed("label") && f.label != cur.Label {
			label = &f.label // the same label again is no change
		}
		if changed("line-labels") {
			lineLabels = &f.lineLabels
		}
		if changed("model") {
			c.Model = &f.model
			cur.Model = f.model
		}
		c.Label = label
		if changed("image") {
			c.Image = &f.image
			cur.Image = f.image
		}
		if changed("ip") {
			c.IP = &f.ip
			cur.IP = f.ip
		}
		switch {
		case changed("lines"):
			stored := storedLines(cur.Lines)
			lines, err := lineList(f.lines, labelItems(changed("line-labels"), f.lineLabels), stored)
			if err != nil {
				g.errorf("phone set: --lines: %v", err)
				return exitFatal
			}
			if err := checkLabels(label, lineLabels, lineKeys(lines), stored); err != nil {
				g.errorf("phone set %s: %v", mac, err)
				return exitFatal
			}
			c.Lines, cur.Lines = lines, lines
		case changed("line-labels"):
			if err := checkLabels(label, lineLabels, lineKeys(cur.Lines), storedLines(cur.Lines)); err != nil {
				g.errorf("phone set %s: %v", mac, err)
				return exitFatal
			}
			lbl := strings.Split(f.lineLabels, ",")
			for i := range cur.Lines {
				if n := cur.Lines[i].N; n <= len(lbl) {
					cur.Lines[i].Label = strings.TrimSpace(lbl[n-1])
				}
			}
			c.Lines = cur.Lines
		default:
			if err := checkLabels(label, nil, nil, nil); err != nil {
				g.errorf("phone set %s: %v", mac, err)
				return exitFatal
			}
		}
		pbx, ok := readFreePBX(ctx, g, db, have)
		if !ok {
			return exitFatal
		}
		if changed("lines") {
			if err := userLines(ctx, db, pbx, c.Lines); err != nil {
				g.errorf("phone set %s: --lines: %v", mac, err)
				return exitFatal
			}
		}
		if err := phonecheck.Entry(cur, pbx); err != nil {
			g.errorf("phone set %s: %v", mac, err)
			return exitFatal
		}
		if err := inventory.Set(ctx, db, mac, c); err != nil {
			g.errorf("%v", err)
			return exitFatal
		}
		sharedWarnings(g, cur, inv, pbx)
		g.donef("changed phone %s; run setup-cisco to write its files", mac)
		return exitOK
	})
}

func phoneRemove(ctx context.Context, g *globals, args []string) int {
	mac, ok := macArg(g, args, "phone remove: want MAC")
	if !ok {
		return exitFatal
	}
	return withDB(ctx, g, func(db *sql.DB, _ map[string]bool) int {
		if err := inventory.Remove(ctx, db, mac); err != nil {
			if errors.Is(err, inventory.ErrNotFound) {
				err = fmt.Errorf("%w (phones of the Endpoint Manager are removed there)", err)
			}
			g.errorf("%v", err)
			return exitFatal
		}
		// Not deleted: a phone without its SIP<MAC>.cnf keeps its lines in
		// flash and goes on registering (internal/provision/retire.go).
		g.donef("removed phone %s; the next run resets its SIP%s.cnf (every line key empty) rather than deleting it, so the phone stops registering at its next boot; once it is unplugged, `setup-cisco phone forget %s` deletes the file", mac, mac, mac)
		return exitOK
	})
}

// phoneForget deletes a retired phone's SIP<MAC>.cnf for good.
func phoneForget(ctx context.Context, g *globals, args []string) int {
	mac, ok := macArg(g, args, "phone forget: want MAC")
	if !ok {
		return exitFatal
	}
	path, err := provision.Forget(ctx, g.provisionOptions(), mac)
	if err != nil {
		g.errorf("phone forget: %v", err)
		return exitFatal
	}
	g.donef("forgot phone %s: deleted %s; no run writes it again", mac, path)
	return exitOK
}

// sharedWarnings says which of p's extensions are on more phones than can
// register them at once (phonecheck.Shared): the entry is stored, and only
// the phone that registered last rings.
func sharedWarnings(g *globals, p inventory.Phone, inv inventory.Inventory, pbx freepbx.Data) {
	for _, s := range phonecheck.SharedWith(p, inv.Phones, pbx) {
		g.errorf("warning: %s", s.Msg)
	}
}
