package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// SchemaTable records which version of setup-cisco's own tables a
// database has: one row per upgrade step applied.
const SchemaTable = "setup_cisco_schema"

// SchemaVersion is the version of the tables this build writes.
const SchemaVersion = 2

// A step upgrades the tables from version-1 to version. Steps are never
// changed once released: a new column is a new step.
//
// Every step runs on each server FreePBX runs on, not only on the MariaDB
// 10 of today's distros: MySQL 5.1 to 8.x and MariaDB 5.5 (CentOS 7, the
// base of FreePBX's SNG7). So the SQL uses no "IF [NOT] EXISTS" on
// ALTER TABLE parts (ADD INDEX/COLUMN IF NOT EXISTS is MariaDB >= 10.0.2
// only: MariaDB KB "ALTER TABLE"; MySQL's ALTER TABLE grammar has none);
// instead done asks information_schema whether the change is already
// there, which also makes a step that ran but was not recorded (DDL is not
// transactional) safe to run again. utf8mb4 (MySQL >= 5.5.3) is replaced
// by utf8 on a server without it.
type step struct {
	version int
	what    string
	sql     []string
	// done, when set, counts what sql would create (? is the table);
	// above zero, sql is skipped.
	done      string
	doneTable string
}

// steps, oldest first. Version 1 is the layout setup-cisco shipped before
// the tables were versioned; a database that has the phone table but no
// SchemaTable is at version 1.
var steps = []step{
	{version: 1, what: "phone and line tables", sql: []string{
		`CREATE TABLE IF NOT EXISTS ` + PhoneTable + ` (
  mac CHAR(12) NOT NULL,
  model VARCHAR(8) NOT NULL,
  label VARCHAR(40) NOT NULL DEFAULT '',
  image VARCHAR(32) NOT NULL DEFAULT '',
  ip VARCHAR(15) NOT NULL DEFAULT '',
  updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (mac)
) DEFAULT CHARSET=utf8mb4 COMMENT='Cisco 79x0 phones managed by setup-cisco'`,
		`CREATE TABLE IF NOT EXISTS ` + LineTable + ` (
  mac CHAR(12) NOT NULL,
  line TINYINT UNSIGNED NOT NULL,
  ext VARCHAR(20) NOT NULL,
  label VARCHAR(40) NOT NULL DEFAULT '',
  PRIMARY KEY (mac, line)
) DEFAULT CHARSET=utf8mb4 COMMENT='Line keys of setup_cisco_phone'`,
	}},
	// The phones of an extension (doctor, FreePBX's hook after an
	// extension changed) are found by index, not by reading every line.
	{version: 2, what: "index line keys by extension", sql: []string{
		`ALTER TABLE ` + LineTable + ` ADD INDEX ext (ext)`,
	}, done: indexExists, doneTable: LineTable},
}

// indexExists counts the index named ext of a table in the current
// database (information_schema.STATISTICS: MySQL >= 5.0, every MariaDB).
const indexExists = "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND LOWER(table_name) = ? AND index_name = 'ext'"

// ErrSchemaNewer: the tables were upgraded by a newer setup-cisco.
var ErrSchemaNewer = errors.New("setup-cisco's tables are newer than this setup-cisco")

// Ensure creates our tables, or upgrades them step by step to
// SchemaVersion, recording each step in SchemaTable. Two runs at once are
// serialised by a named lock (GET_LOCK), so a step runs once. Tables of a
// newer version are left alone: ErrSchemaNewer.
func Ensure(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("inventory tables: %w", err)
	}
	defer conn.Close()
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK('setup_cisco_schema', 30)").Scan(&got); err != nil || got.Int64 != 1 {
		return fmt.Errorf("inventory tables: waiting for another setup-cisco's upgrade: %v", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT RELEASE_LOCK('setup_cisco_schema')")
	charset, err := unicodeCharset(ctx, conn)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, forServer(`CREATE TABLE IF NOT EXISTS `+SchemaTable+` (
  version INT NOT NULL,
  what VARCHAR(80) NOT NULL DEFAULT '',
  applied TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (version)
) DEFAULT CHARSET=utf8mb4 COMMENT='Schema version of the setup_cisco_ tables'`, charset)); err != nil {
		return fmt.Errorf("creating %s: %w", SchemaTable, err)
	}
	cur, err := schemaVersion(ctx, conn)
	if err != nil {
		return err
	}
	if cur > SchemaVersion {
		return fmt.Errorf("%w: version %d, this one knows %d (upgrade setup-cisco)", ErrSchemaNewer, cur, SchemaVersion)
	}
	for _, s := range steps {
		if s.version <= cur {
			continue
		}
		if err := s.apply(ctx, conn, charset); err != nil {
			return fmt.Errorf("upgrading setup-cisco's tables to version %d (%s): %w", s.version, s.what, err)
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO "+SchemaTable+" (version, what) VALUES (?, ?)", s.version, s.what); err != nil {
			return fmt.Errorf("recording schema version %d: %w", s.version, err)
		}
	}
	return nil
}

// apply runs the step's SQL unless done finds its change already made.
func (s step) apply(ctx context.Context, conn *sql.Conn, charset string) error {
	if s.done != "" {
		var n int
		if err := conn.QueryRowContext(ctx, s.done, strings.ToLower(s.doneTable)).Scan(&n); err != nil {
			return fmt.Errorf("looking for the change in information_schema: %w", err)
		}
		if n > 0 {
			return nil
		}
	}
	for _, q := range s.sql {
		if _, err := conn.ExecContext(ctx, forServer(q, charset)); err != nil {
			return err
		}
	}
	return nil
}

// unicodeCharset is utf8mb4 where the server has it (MySQL >= 5.5.3, MySQL
// manual "The utf8mb4 Character Set"; MariaDB >= 5.5), else utf8, which
// MySQL 5.1 (trixbox-era servers) has.
func unicodeCharset(ctx context.Context, conn *sql.Conn) (string, error) {
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.character_sets WHERE character_set_name = 'utf8mb4'").Scan(&n); err != nil {
		return "", fmt.Errorf("inventory tables: reading the server's character sets: %w", err)
	}
	if n == 0 {
		return "utf8", nil
	}
	return "utf8mb4", nil
}

// forServer writes a step's statement for a server whose Unicode charset
// is charset.
func forServer(q, charset string) string {
	return strings.ReplaceAll(q, "CHARSET=utf8mb4", "CHARSET="+charset)
}

// schemaVersion is the highest version recorded; with none recorded, 1
// when the phone table exists (tables from before versioning), else 0.
func schemaVersion(ctx context.Context, conn *sql.Conn) (int, error) {
	var v sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM "+SchemaTable).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading %s: %w", SchemaTable, err)
	}
	if v.Valid {
		return int(v.Int64), nil
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND LOWER(table_name) = ?", PhoneTable).Scan(&n); err != nil {
		return 0, fmt.Errorf("looking for %s: %w", PhoneTable, err)
	}
	if n > 0 {
		// Tables from before versioning: record that they are version 1.
		if _, err := conn.ExecContext(ctx, "INSERT INTO "+SchemaTable+" (version, what) VALUES (1, ?)", steps[0].what+" (found)"); err != nil {
			return 0, fmt.Errorf("recording schema version 1: %w", err)
		}
		return 1, nil
	}
	return 0, nil
}

// Version reports the version of our tables in db (0: none yet), for
// doctor and tests; it changes nothing.
func Version(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND LOWER(table_name) = ?", SchemaTable).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND LOWER(table_name) = ?", PhoneTable).Scan(&n); err != nil {
			return 0, err
		}
		if n > 0 {
			return 1, nil
		}
		return 0, nil
	}
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM "+SchemaTable).Scan(&v)
	return int(v.Int64), err
}
