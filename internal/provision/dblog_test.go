package provision

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
)

// A database port that accepts and then never answers (a hung MariaDB, a
// firewall that eats packets): the run must fail with its own message that
// names the cause, not with go-sql-driver's bare "invalid connection" after
// the driver printed the cause to stderr in its own format.
func TestOpenNamesTheCauseOfASilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	_, _, err = Open(context.Background(), dbconf.Options{DSN: "u:p@tcp(" + ln.Addr().String() + ")/asterisk?timeout=1s&readTimeout=1s"})
	if err == nil {
		t.Fatal("Open succeeded against a server that never answers")
	}
	if !strings.Contains(err.Error(), "i/o timeout") || !strings.Contains(err.Error(), "database unreachable") {
		t.Errorf("error does not name the cause: %v", err)
	}
}
