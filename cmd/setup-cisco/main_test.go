package main

import (
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

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
			// The work directory and its parent (0700 from Go) open to
			// every user, as a real server's path to its TFTP root is: a
			// run fails on a root no TFTP daemon can enter.
			for _, d := range []string{filepath.Dir(env.WorkDir), env.WorkDir} {
				if err := os.Chmod(d, 0o755); err != nil {
					return err
				}
			}
			root := env.WorkDir + "/tftp"
			if err := os.MkdirAll(root, 0o755); err != nil {
				return err
			}
			conf := "proxy_address = 192.0.2.10\ntemplates = " + env.WorkDir + "/templates\n"
			return os.WriteFile(env.WorkDir+"/site.conf", []byte(conf), 0o644)
		},
	})
}

// tuneGC: GOGC=200 under a 36 MiB limit while the live heap is small; past
// 30 MiB of live heap, GOGC=50 and no limit. (It changes this process's
// collector for the tests that follow, which do not depend on it.)
func TestTuneGC(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT set: tuneGC leaves the collector alone")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	tuneGC()
	if p := debug.SetGCPercent(200); p != 200 {
		t.Errorf("GOGC = %d, want 200", p)
	}
	if l := debug.SetMemoryLimit(-1); l != 36<<20 {
		t.Errorf("limit = %d, want 36 MiB", l)
	}
	live := make([][]byte, 0, 40)
	for range 40 {
		live = append(live, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		if debug.SetMemoryLimit(-1) == math.MaxInt64 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Errorf("with %d MiB live, the limit is still %d", len(live), l)
	}
	if p := debug.SetGCPercent(50); p != 50 {
		t.Errorf("with %d MiB live, GOGC = %d, want 50", len(live), p)
	}
	runtime.KeepAlive(live)
}
