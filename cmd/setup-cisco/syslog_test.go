package main

import (
	"bytes"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// --syslog sends errors to the syslog socket as well as to stderr. The test
// plays syslogd on /dev/log, which only root can create and only where no
// syslog daemon has one.
func TestSyslog(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to listen on /dev/log")
	}
	if _, err := os.Lstat("/dev/log"); err == nil {
		t.Skip("/dev/log exists: a syslog daemon runs here")
	}
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: "/dev/log", Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove("/dev/log")
	defer conn.Close()

	var stdout, stderr bytes.Buffer
	code := Main([]string{"--syslog", "--db-dsn", "root@unix(/nonexistent.sock)/asterisk", "-r", t.TempDir(), "-c", "/dev/null", "--proxy", "192.0.2.1"}, &stdout, &stderr)
	if code != exitFatal || !strings.Contains(stderr.String(), "database unreachable") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	// Other programs on this machine (dhcpd run by parallel tests, say) may
	// log to /dev/log while we listen: skip their messages.
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4096)
	var got []string
	for {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("nothing from setup-cisco reached syslog: %v (other messages: %q)", err, got)
		}
		msg := string(buf[:n])
		if !strings.Contains(msg, "setup-cisco") {
			got = append(got, msg)
			continue
		}
		if !strings.Contains(msg, "database unreachable") {
			t.Errorf("syslog got %q", msg)
		}
		return
	}
}
