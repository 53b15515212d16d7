package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

func TestMain(m *testing.M) {
	// The kill test runs this binary as setup-cisco.
	if os.Getenv("SETUP_CISCO_RUN_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	testscript.Main(m, map[string]func(){
		"setup-cisco": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// noDB are the scripts that need no database; they run without one.
var noDB = []string{"testdata/help.txtar"}

// TestScriptsNoDB runs the scripts that need no database, also where none
// is available (issue 12: help.txtar was skipped without one).
func TestScriptsNoDB(t *testing.T) {
	testscript.Run(t, testscript.Params{Files: noDB, RequireExplicitExec: true})
}

// TestScripts runs the other CLI scripts in testdata/: each gets a fresh
// FreePBX database with the sample site ($DSN), a TFTP root ($WORK/tftp)
// and a config file pinning the proxy address.
func TestScripts(t *testing.T) {
	base := testdb.BaseDSN(t)
	all, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if !slices.Contains(noDB, f) {
			files = append(files, f)
		}
	}
	testscript.Run(t, testscript.Params{
		Files:               files,
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// sql STATEMENT: run SQL on the script's database.
			"sql": func(ts *testscript.TestScript, neg bool, args []string) {
				db, err := sql.Open("mysql", ts.Getenv("DSN"))
				ts.Check(err)
				defer db.Close()
				_, err = db.Exec(strings.Join(args, " "))
				if neg != (err != nil) {
					ts.Fatalf("sql: %v", err)
				}
			},
		},
		Setup: func(env *testscript.Env) error {
			db, cleanup, err := testdb.Create(base)
			if err != nil {
				return err
			}
			env.Defer(cleanup)
			if _, err := db.Exec(testdb.Sample); err != nil {
				return err
			}
			env.Setenv("DSN", db.DSN)
			env.Setenv("DBNAME", db.Name)
			root := env.WorkDir + "/tftp"
			if err := os.MkdirAll(root, 0o755); err != nil {
				return err
			}
			conf := "proxy_address = 192.0.2.10\ntemplates = " + env.WorkDir + "/templates\n"
			return os.WriteFile(env.WorkDir+"/site.conf", []byte(conf), 0o644)
		},
	})
}
