package freepbx

import (
	"context"
	"database/sql"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dbrows"
)

// Number is an internal number that is not an extension: a ring group, a
// queue or a conference.
type Number struct {
	Number string
	Kind   string // "ring group", "queue", "conference"
}

// numberTables are where FreePBX modules keep their numbers (each
// module's module.xml: ringgroups 16.0.11 ringgroups.grpnum, queues
// 16.0.27 queues_config.extension, conferences 16.0.9 meetme.exten).
var numberTables = []struct{ table, column, kind string }{
	{"ringgroups", "grpnum", "ring group"},
	{"queues_config", "extension", "queue"},
	{"meetme", "exten", "conference"},
}

// NumberTables are the tables ReadNumbers looks for: numberTables' own.
var NumberTables = func() []string {
	out := make([]string, len(numberTables))
	for i, t := range numberTables {
		out[i] = t.table
	}
	return out
}()

// ReadNumbers returns the ring group, queue and conference numbers of the
// modules installed (tables that are missing are skipped).
func ReadNumbers(ctx context.Context, db *sql.DB, have map[string]bool) ([]Number, error) {
	var out []Number
	for _, t := range numberTables {
		if !have[t.table] {
			continue
		}
		err := dbrows.Each(ctx, db, t.table, "SELECT "+t.column+" FROM "+t.table+" ORDER BY "+t.column, func(s dbrows.Scanner) error {
			var n sql.NullString
			if err := s.Scan(&n); err != nil {
				return err
			}
			if v := strings.TrimSpace(n.String); v != "" {
				out = append(out, Number{Number: v, Kind: t.kind})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
