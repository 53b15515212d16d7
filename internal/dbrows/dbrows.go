// Package dbrows runs one read query and hands each row to a function,
// naming the table in every error: the one shape of all our reads.
package dbrows

import (
	"context"
	"database/sql"
	"fmt"
)

// Scanner is a row being read.
type Scanner interface{ Scan(...any) error }

// Each runs q (with args) and calls fn for every row.
func Each(ctx context.Context, db *sql.DB, table, q string, fn func(Scanner) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("reading table %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("reading table %s: %w", table, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading table %s: %w", table, err)
	}
	return nil
}
