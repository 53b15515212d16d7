package testdb

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// Server starts a throwaway MariaDB of its own (like scripts/mariadb.sh:
// a private data directory and socket, never the system's server) with
// extra server options, e.g. "--lower-case-table-names=1", and returns a
// base DSN for Create. It is stopped and removed at the end of the test.
// Without mariadbd the test is skipped, or fails under
// SETUP_CISCO_REQUIRE_DB=1.
func Server(t testing.TB, options ...string) string {
	t.Helper()
	daemon, err1 := dhcpconf.FindTool("mariadbd")
	install, err2 := dhcpconf.FindTool("mariadb-install-db")
	if err1 != nil || err2 != nil {
		if os.Getenv("SETUP_CISCO_REQUIRE_DB") == "1" {
			t.Fatal("mariadbd / mariadb-install-db not found (apt-get install mariadb-server)")
		}
		t.Skip("no mariadbd: apt-get install mariadb-server")
	}
	// A short path: a Unix socket path is limited to 108 bytes.
	dir, err := os.MkdirTemp("", "sc-mdb-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	user := []string{}
	if os.Geteuid() == 0 {
		user = []string{"--user=root"}
	}
	data := filepath.Join(dir, "data")
	// A private tmpdir: the bootstrap's temporary tables otherwise live in
	// the shared /tmp, where tests running in parallel (and whatever else
	// cleans /tmp) were seen to take them away ("Unknown table
	// 'mysql.tmp_user_sys'").
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--no-defaults"}, user...)
	args = append(args, "--datadir="+data, "--tmpdir="+tmp, "--auth-root-authentication-method=normal", "--skip-test-db")
	args = append(args, options...)
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	sock := filepath.Join(dir, "mysqld.sock")
	dargs := append([]string{"--no-defaults"}, user...)
	dargs = append(dargs, "--datadir="+data, "--tmpdir="+tmp, "--socket="+sock, "--skip-networking",
		"--pid-file="+filepath.Join(dir, "mysqld.pid"), "--skip-name-resolve",
		"--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
		"--log-error="+filepath.Join(dir, "error.log"))
	dargs = append(dargs, options...)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, daemon, dargs...)
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("mariadbd: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cancel()
			<-done
		}
	})
	for i := 0; i < 300; i++ {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return "root@unix(" + sock + ")/"
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("mariadbd %v exited:\n%s", options, log)
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("mariadbd did not open %s in 30 s", sock)
	return ""
}
