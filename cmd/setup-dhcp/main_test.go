package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/hostnet"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"setup-dhcp": func() { os.Exit(Main()) }})
}

// Script commands and conditions:
//
//	[have:TOOL]          TOOL is installed; with SETUP_CISCO_REQUIRE_TOOLS=1 a
//	                     missing tool fails the script instead
//	[hostnet]            this host's primary IPv4 can be detected ($HOSTADDR)
//	checkconf FORMAT F   the real dhcpd, kea-dhcp4 or dnsmasq accepts F
//	exits CODE ARGS...   run setup-dhcp in-process; it must exit with CODE
//	snapshot F           remember F's inode, mtime and content
//	unchanged F          F still has the remembered inode, mtime and content
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		// HOSTADDR: this host's primary IPv4, for a script that passes it
		// as --tftp-server (unset when [hostnet] is false).
		Setup: func(e *testscript.Env) error {
			if a, err := hostnet.PrimaryIPv4(); err == nil {
				e.Setenv("HOSTADDR", a.String())
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if tool, ok := strings.CutPrefix(cond, "have:"); ok {
				if _, err := dhcpconf.FindTool(tool); err != nil {
					if os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") == "1" {
						return false, fmt.Errorf("%v, and SETUP_CISCO_REQUIRE_TOOLS=1", err)
					}
					return false, nil
				}
				return true, nil
			}
			if cond == "hostnet" {
				_, err := hostnet.Detect()
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"checkconf": checkconf,
			"exits":     exits,
			"snapshot":  snapshot,
			"unchanged": unchanged,
		},
	})
}

func checkconf(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: checkconf isc|kea|dnsmasq FILE")
	}
	f, err := dhcpconf.ParseFormat(args[0])
	ts.Check(err)
	name, targs := f.Tool(ts.MkAbs(args[1]))
	path, err := dhcpconf.FindTool(name)
	if err != nil {
		if os.Getenv("SETUP_CISCO_REQUIRE_TOOLS") == "1" {
			ts.Fatalf("%v, and SETUP_CISCO_REQUIRE_TOOLS=1", err)
		}
		ts.Logf("skipping check: %v", err)
		return
	}
	cmd := exec.Command(path, targs...)
	cmd.Dir = ts.MkAbs(".") // dhcpd resolves relative includes from its working directory
	out, err := cmd.CombinedOutput()
	if neg && err == nil {
		ts.Fatalf("%s accepted %s", name, args[1])
	}
	if !neg && err != nil {
		ts.Fatalf("%s rejected %s: %v\n%s", name, args[1], err, out)
	}
}

func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: exits CODE ARGS...")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	if got := run(args[1:], ts.Stdout(), ts.Stderr()); got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

func fileState(ts *testscript.TestScript, name string) string {
	fi, err := os.Stat(ts.MkAbs(name))
	ts.Check(err)
	return fmt.Sprintf("ino=%d mtime=%d content=%q", fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime().UnixNano(), ts.ReadFile(name))
}

func snapshot(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: snapshot FILE")
	}
	ts.Setenv("SNAPSHOT_"+args[0], fileState(ts, args[0]))
}

func unchanged(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: unchanged FILE")
	}
	want := ts.Getenv("SNAPSHOT_" + args[0])
	if want == "" {
		ts.Fatalf("no snapshot of %s", args[0])
	}
	if got := fileState(ts, args[0]); got != want {
		ts.Fatalf("%s changed:\nwas %s\nnow %s", args[0], want, got)
	}
}
