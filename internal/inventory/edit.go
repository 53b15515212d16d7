package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// ErrNotFound is returned when our inventory has no such phone.
var ErrNotFound = errors.New("not in setup-cisco's inventory")

// ErrExists is returned by Add when the phone is already there.
var ErrExists = errors.New("already in setup-cisco's inventory")

// ErrInvalid wraps the problems that keep Add and Set from storing a phone.
var ErrInvalid = errors.New("not stored")

// entryError refuses what Validate finds, dropped lines included: our own
// inventory never stores a line the phone cannot show.
func entryError(p Phone) error {
	p.Source = Ours
	_, probs := Validate(p)
	if len(probs) == 0 {
		return nil
	}
	msgs := make([]string, len(probs))
	for i, pr := range probs {
		pr.Dropped = false
		msgs[i] = pr.Error()
	}
	return fmt.Errorf("%s: %w", strings.Join(msgs, "; "), ErrInvalid)
}

// Label limits, in characters. A phone label is sent as phone_label, a
// line label as lineN_shortname; the phone shows no more than cnftext
// writes (cnftext.MaxLabel 11, cnftext.MaxShortName 12: Cisco's appendix
// lists no limit, these are the fact sheet's conservative values, §2).
// LabelColumn is what the label columns of our tables hold.
const (
	PhoneLabelMax = cnftext.MaxLabel
	LineLabelMax  = cnftext.MaxShortName
	LabelColumn   = 40
)

// CheckLabel is the one rule for a label given to setup-cisco: empty (the
// default), or text that the phone shows whole: at most max characters
// once written for the phone (cnftext.Text: accents removed, '"', '#' and
// ';' dropped, spaces folded), with something left to show, and no more
// than LabelColumn characters as given. The error names the label and the
// limit; callers add the flag or field.
func CheckLabel(label string, max int) error {
	if label == "" {
		return nil
	}
	shown := cnftext.Text(label, 4*len(label)+4) // no cut: transliteration at most doubles
	switch n := utf8.RuneCountInString(label); {
	case shown == "":
		return fmt.Errorf("%q has nothing the phone can show (it drops '\"', '#' and ';')", label)
	case len(shown) > max:
		return fmt.Errorf("%q is %d characters as the phone gets it; it shows at most %d", label, len(shown), max)
	case n > LabelColumn:
		return fmt.Errorf("%q is %d characters; setup-cisco stores at most %d", label, n, LabelColumn)
	}
	return nil
}

// labelsError applies CheckLabel to a phone label and to the line labels
// of lines (only those whose label differs from before[N], when before is
// not nil: a label stored earlier is not this change's business).
func labelsError(mac macaddr.MAC, label *string, lines []Line, before map[int]string) error {
	if label != nil {
		if err := CheckLabel(*label, PhoneLabelMax); err != nil {
			return fmt.Errorf("phone %s: phone label (phone_label) %v: %w", mac, err, ErrInvalid)
		}
	}
	for _, l := range lines {
		if old, ok := before[l.N]; ok && old == l.Label {
			continue
		}
		if err := CheckLabel(l.Label, LineLabelMax); err != nil {
			return fmt.Errorf("phone %s: line %d label (line%d_shortname) %v: %w", mac, l.N, l.N, err, ErrInvalid)
		}
	}
	return nil
}

// Add stores a new phone with its lines, in one transaction, after
// Validate: a phone with any problem is refused (ErrInvalid).
func Add(ctx context.Context, db *sql.DB, p Phone) error {
	if err := entryError(p); err != nil {
		return err
	}
	if err := labelsError(p.MAC, &p.Label, p.Lines, nil); err != nil {
		return err
	}
	if err := Ensure(ctx, db); err != nil {
		return err
	}
	return inTx(ctx, db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT IGNORE INTO "+PhoneTable+" (mac, model, label, image, ip) VALUES (?, ?, ?, ?, ?)",
			string(p.MAC), p.Model, p.Label, p.Image, p.IP)
		if err != nil {
			return fmt.Errorf("adding phone %s: %w", p.MAC, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("phone %s: %w (use 'phone set' to change it)", p.MAC, ErrExists)
		}
		return insertLines(ctx, tx, p.MAC, p.Lines)
	})
}

// Change says what Set alters; nil fields stay as they are.
type Change struct {
	Model *string
	Label *string
	Image *string
	IP    *string
	Lines []Line // nil: keep the lines
}

// Set changes an existing phone of ours. The phone as it would be after
// the change must pass Validate, and each label it sets CheckLabel (else
// ErrInvalid, nothing changed).
func Set(ctx context.Context, db *sql.DB, mac macaddr.MAC, c Change) error {
	if err := Ensure(ctx, db); err != nil {
		return err
	}
	return inTx(ctx, db, func(tx *sql.Tx) error {
		var model string
		err := tx.QueryRowContext(ctx, "SELECT model FROM "+PhoneTable+" WHERE mac = ? FOR UPDATE", string(mac)).Scan(&model)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("phone %s: %w", mac, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("phone %s: %w", mac, err)
		}
		after := Phone{MAC: mac, Model: model, Lines: c.Lines}
		if c.Model != nil {
			after.Model = *c.Model
		}
		stored, err := linesTx(ctx, tx, mac)
		if err != nil {
			return err
		}
		if c.Lines == nil {
			after.Lines = stored
		}
		if err := entryError(after); err != nil {
			return err
		}
		before := make(map[int]string, len(stored))
		for _, l := range stored {
			before[l.N] = l.Label
		}
		if err := labelsError(mac, c.Label, c.Lines, before); err != nil {
			return err
		}
		cols := []struct {
			name string
			v    *string
		}{{"model", c.Model}, {"label", c.Label}, {"image", c.Image}, {"ip", c.IP}}
		for _, col := range cols {
			if col.v == nil {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE "+PhoneTable+" SET "+col.name+" = ? WHERE mac = ?", *col.v, string(mac)); err != nil {
				return fmt.Errorf("phone %s: setting %s: %w", mac, col.name, err)
			}
		}
		if c.Lines != nil {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+LineTable+" WHERE mac = ?", string(mac)); err != nil {
				return fmt.Errorf("phone %s: replacing lines: %w", mac, err)
			}
			return insertLines(ctx, tx, mac, c.Lines)
		}
		return nil
	})
}

// Remove deletes a phone of ours and its lines.
func Remove(ctx context.Context, db *sql.DB, mac macaddr.MAC) error {
	if err := Ensure(ctx, db); err != nil {
		return err
	}
	return inTx(ctx, db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM "+PhoneTable+" WHERE mac = ?", string(mac))
		if err != nil {
			return fmt.Errorf("removing phone %s: %w", mac, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("phone %s: %w", mac, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+LineTable+" WHERE mac = ?", string(mac)); err != nil {
			return fmt.Errorf("removing lines of phone %s: %w", mac, err)
		}
		return nil
	})
}

func linesTx(ctx context.Context, tx *sql.Tx, mac macaddr.MAC) ([]Line, error) {
	rows, err := tx.QueryContext(ctx, "SELECT line, ext, label FROM "+LineTable+" WHERE mac = ? ORDER BY line", string(mac))
	if err != nil {
		return nil, fmt.Errorf("phone %s: reading lines: %w", mac, err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.N, &l.Ext, &l.Label); err != nil {
			return nil, fmt.Errorf("phone %s: reading lines: %w", mac, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func insertLines(ctx context.Context, tx *sql.Tx, mac macaddr.MAC, lines []Line) error {
	for _, l := range lines {
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+LineTable+" (mac, line, ext, label) VALUES (?, ?, ?, ?)",
			string(mac), l.N, l.Ext, l.Label); err != nil {
			return fmt.Errorf("phone %s line %d: %w", mac, l.N, err)
		}
	}
	return nil
}

func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Get reads one phone of ours as stored, even when its rows are invalid, so
// that "phone set" can repair it.
func Get(ctx context.Context, db *sql.DB, have map[string]bool, mac macaddr.MAC) (Phone, error) {
	if !have[PhoneTable] {
		return Phone{}, ErrNotFound
	}
	p := Phone{MAC: mac, Source: Ours}
	err := db.QueryRowContext(ctx, "SELECT model, label, image, ip FROM "+PhoneTable+" WHERE mac = ?", string(mac)).
		Scan(&p.Model, &p.Label, &p.Image, &p.IP)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, err
	}
	rows, err := db.QueryContext(ctx, "SELECT line, ext, label FROM "+LineTable+" WHERE mac = ? ORDER BY line", string(mac))
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.N, &l.Ext, &l.Label); err != nil {
			return p, err
		}
		p.Lines = append(p.Lines, l)
	}
	return p, rows.Err()
}
