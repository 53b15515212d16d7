package inventory

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

func hasIndex(t *testing.T, db *testdb.DB, table, index string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?", table, index).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// The upgrade path: tables as the first version created them (before
// they were versioned), with a phone in them, upgraded step by step to
// the current version; the data stays, a second Ensure changes nothing.
func TestSchemaUpgradeFromFirstVersion(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	for _, q := range steps[0].sql {
		db.MustExec(t, q)
	}
	db.MustExec(t, "INSERT INTO "+PhoneTable+" (mac, model, label) VALUES ('001122334455', '7960', 'Desk')")
	db.MustExec(t, "INSERT INTO "+LineTable+" (mac, line, ext) VALUES ('001122334455', 1, '1001')")
	if v, err := Version(ctx, db.DB); err != nil || v != 1 {
		t.Fatalf("version before = %d, %v", v, err)
	}
	if hasIndex(t, db, LineTable, "ext") {
		t.Fatal("version 1 has the ext index")
	}
	if err := Ensure(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	if v, err := Version(ctx, db.DB); err != nil || v != SchemaVersion {
		t.Errorf("version after = %d, %v; want %d", v, err, SchemaVersion)
	}
	var steps int
	db.QueryRow("SELECT COUNT(*) FROM " + SchemaTable).Scan(&steps)
	if steps != SchemaVersion {
		t.Errorf("%d steps recorded, want %d", steps, SchemaVersion)
	}
	if !hasIndex(t, db, LineTable, "ext") {
		t.Error("step 2 not applied")
	}
	p, err := Get(ctx, db.DB, map[string]bool{PhoneTable: true}, "001122334455")
	if err != nil || p.Label != "Desk" || len(p.Lines) != 1 || p.Lines[0].Ext != "1001" {
		t.Errorf("phone after the upgrade: %+v, %v", p, err)
	}
	if err := Ensure(ctx, db.DB); err != nil {
		t.Errorf("second Ensure: %v", err)
	}
	db.QueryRow("SELECT COUNT(*) FROM " + SchemaTable).Scan(&steps)
	if steps != SchemaVersion {
		t.Errorf("second Ensure recorded steps again: %d", steps)
	}
}

// A fresh database gets every step; tables of a newer setup-cisco are
// left alone with an error saying so.
func TestSchemaFreshAndNewer(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	if v, _ := Version(ctx, db.DB); v != 0 {
		t.Fatalf("fresh version %d", v)
	}
	if err := Ensure(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	if v, _ := Version(ctx, db.DB); v != SchemaVersion || !hasIndex(t, db, LineTable, "ext") {
		t.Errorf("fresh: version %d", v)
	}
	db.MustExec(t, "INSERT INTO "+SchemaTable+" (version, what) VALUES (?, 'from the future')", SchemaVersion+1)
	if err := Ensure(ctx, db.DB); !errors.Is(err, ErrSchemaNewer) {
		t.Errorf("newer tables: %v", err)
	}
	if err := Add(ctx, db.DB, Phone{MAC: "001122334455", Model: "7960", Lines: []Line{{N: 1, Ext: "1001"}}}); !errors.Is(err, ErrSchemaNewer) {
		t.Errorf("Add on newer tables: %v", err)
	}
}

// Each step is recorded once even when two setup-cisco upgrade at once.
func TestSchemaConcurrentEnsure(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() { errs <- Ensure(ctx, db.DB) }()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	var n int
	db.QueryRow("SELECT COUNT(*) FROM " + SchemaTable).Scan(&n)
	if n != SchemaVersion {
		t.Errorf("%d steps recorded, want %d", n, SchemaVersion)
	}
}

// TestSchemaSQLPortable: no step uses syntax that only MariaDB 10 or
// MySQL 8 takes; each server FreePBX runs on (MySQL 5.1-8.x, MariaDB
// 5.5-11) must run every step. Grammar: MariaDB KB "ALTER TABLE" (IF [NOT]
// EXISTS on ADD/DROP/CHANGE/MODIFY parts from 10.0.2; ALTER TABLE IF
// EXISTS from 10.5.2), MySQL 8.0 manual (CREATE INDEX/ALTER without IF NOT
// EXISTS; no CREATE OR REPLACE TABLE; RENAME COLUMN from 8.0).
func TestSchemaSQLPortable(t *testing.T) {
	notEverywhere := regexp.MustCompile(`(?is)\b(ADD|DROP|CHANGE|MODIFY)\b[^,]*?\bIF\s+(NOT\s+)?EXISTS\b|\bALTER\s+TABLE\s+IF\s+EXISTS\b|\bCREATE\s+(UNIQUE\s+)?INDEX\s+IF\b|\bCREATE\s+OR\s+REPLACE\b|\bRENAME\s+COLUMN\b|\bRETURNING\b|^\s*WITH\b|\bJSON\b|\bINVISIBLE\b`)
	for _, s := range steps {
		for _, q := range s.sql {
			if m := notEverywhere.FindString(q); m != "" {
				t.Errorf("step %d (%s): %q is not taken by every MySQL/MariaDB FreePBX runs on:\n%s", s.version, s.what, m, q)
			}
		}
	}
	if got := forServer(steps[0].sql[0], "utf8"); strings.Contains(got, "utf8mb4") || !strings.Contains(got, "CHARSET=utf8 ") {
		t.Errorf("for a server without utf8mb4: %s", got)
	}
}

// TestSchemaStepRanUnrecorded: DDL is not transactional, so a run can stop
// after step 2's ALTER and before its record; the next run finds the index
// in information_schema and records the step instead of failing on a
// duplicate index name (MySQL/MariaDB error 1061).
func TestSchemaStepRanUnrecorded(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	for _, q := range steps[0].sql {
		db.MustExec(t, q)
	}
	db.MustExec(t, steps[1].sql[0])
	if err := Ensure(ctx, db.DB); err != nil {
		t.Fatalf("ext index there, step 2 unrecorded: %v", err)
	}
	if v, err := Version(ctx, db.DB); err != nil || v != SchemaVersion {
		t.Errorf("version %d, %v; want %d", v, err, SchemaVersion)
	}
	var cs string
	if err := db.QueryRow("SELECT ccsa.character_set_name FROM information_schema.tables t JOIN information_schema.collation_character_set_applicability ccsa ON ccsa.collation_name = t.table_collation WHERE t.table_schema = DATABASE() AND t.table_name = ?", SchemaTable).Scan(&cs); err != nil || cs != "utf8mb4" {
		t.Errorf("%s charset %q, %v; want utf8mb4 on a server that has it", SchemaTable, cs, err)
	}
}
