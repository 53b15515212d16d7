// Package testdb gives tests a fresh FreePBX-shaped database on the real
// MariaDB that scripts/test starts. Tests need SETUP_CISCO_TEST_DSN (a DSN
// with rights to create databases, no database name); without it they skip,
// unless SETUP_CISCO_REQUIRE_DB=1 (set by scripts/test), where they fail.
package testdb

import (
	"crypto/rand"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
)

//go:embed freepbx-schema.sql
var Schema string

//go:embed sample.sql
var Sample string

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
	base := os.Getenv("SETUP_CISCO_TEST_DSN")
	if base == "" {
		if os.Getenv("SETUP_CISCO_REQUIRE_DB") == "1" {
			t.Fatal("SETUP_CISCO_TEST_DSN is not set but SETUP_CISCO_REQUIRE_DB=1: run scripts/test")
		}
		t.Skip("no test database: run scripts/test, which starts MariaDB (or set SETUP_CISCO_TEST_DSN)")
	}
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		t.Fatalf("SETUP_CISCO_TEST_DSN: %v", err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	cfg.DBName = name
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if a, err := sql.Open("mysql", base); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name)
			a.Close()
		}
	})
	if _, err := db.Exec(Schema); err != nil {
		t.Fatalf("load schema: %v", err)
	}
	cfg.MultiStatements = false
	return &DB{DB: db, DSN: cfg.FormatDSN(), Name: name}
}

// Exec runs SQL (several statements allowed) or fails the test.
func (d *DB) MustExec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(q), err)
	}
}
