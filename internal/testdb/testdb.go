// Package testdb gives tests a fresh FreePBX-shaped database on the real
// MariaDB that scripts/test starts. Tests need SETUP_CISCO_TEST_DSN (a DSN
// with rights to create databases, no database name); without it they skip,
// unless SETUP_CISCO_REQUIRE_DB=1 (set by scripts/test), where they fail.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
)

//go:embed freepbx-schema.sql
var Schema string

//go:embed sample.sql
var Sample string

//go:embed generations/*.sql
var generations embed.FS

// Generations names FreePBX's schema generations, oldest first: see
// generations/README.md for the sources of their tables.
var Generations = []string{"freepbx2", "freepbx13", "freepbx14", "freepbx16"}

// Generation returns one generation's tables and sample rows.
func Generation(name string) string {
	b, err := generations.ReadFile("generations/" + name + ".sql")
	if err != nil {
		panic(err)
	}
	return string(b)
}

// DB is one throwaway database.
type DB struct {
	*sql.DB
	DSN  string // DSN of this database, for the command under test
	Name string
}

// New creates an empty database with the FreePBX schema loaded, dropped at
// the end of the test.
func New(t testing.TB) *DB {
	t.Helper()
	base := BaseDSN(t)
	d, cleanup, err := Create(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	return d
}

// BaseDSN returns SETUP_CISCO_TEST_DSN, or skips (fails when the database
// is required).
func BaseDSN(t interface {
	Skip(...any)
	Fatal(...any)
}) string {
	base := os.Getenv("SETUP_CISCO_TEST_DSN")
	if base == "" {
		if os.Getenv("SETUP_CISCO_REQUIRE_DB") == "1" {
			t.Fatal("SETUP_CISCO_TEST_DSN is not set but SETUP_CISCO_REQUIRE_DB=1: run scripts/test")
		}
		t.Skip("no test database: run scripts/test, which starts MariaDB (or set SETUP_CISCO_TEST_DSN)")
	}
	return base
}

// Create makes a fresh database with the schema on the server of base and
// returns it with the function that drops it.
func Create(base string) (*DB, func(), error) {
	return CreateWith(base, Schema)
}

// CreateWith makes a fresh database on the server of base with schema (SQL
// statements, e.g. one of Generation's) loaded.
func CreateWith(base, schema string) (*DB, func(), error) {
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		return nil, nil, fmt.Errorf("SETUP_CISCO_TEST_DSN: %w", err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, nil, err
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		return nil, nil, fmt.Errorf("create database: %w", err)
	}
	cfg.DBName = name
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() {
		db.Close()
		if a, err := sql.Open("mysql", base); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name)
			a.Close()
		}
	}
	if _, err := db.Exec(schema); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("load schema: %w", err)
	}
	cfg.MultiStatements = false
	return &DB{DB: db, DSN: cfg.FormatDSN(), Name: name}, cleanup, nil
}

// MustExec runs SQL (several statements allowed) or fails the test.
func (d *DB) MustExec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(q), err)
	}
}
