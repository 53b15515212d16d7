package provision

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// The FreePBX database account may be limited to one connection (MariaDB's
// MAX_USER_CONNECTIONS 1; or a server near max_connections beside Asterisk
// and FreePBX). readDB now reads FreePBX's tables and the inventory on two
// connections at once, so such a site fails every run with exit 2
// ("Error 1226: User ... has exceeded the 'max_user_connections'
// resource"); before the change (61e6ef7) the same run succeeded.
func TestOneConnectionAccount(t *testing.T) {
	db, o := site(t)
	addPhone(t, db, "001122AABBCC", "7960", "1001")
	user := "b2one" + db.Name[len(db.Name)-6:]
	db.MustExec(t, fmt.Sprintf("CREATE USER '%s'@'localhost' IDENTIFIED BY 'pw' WITH MAX_USER_CONNECTIONS 1", user))
	t.Cleanup(func() { db.Exec(fmt.Sprintf("DROP USER '%s'@'localhost'", user)) })
	db.MustExec(t, fmt.Sprintf("GRANT SELECT ON `%s`.* TO '%s'@'localhost'", db.Name, user))
	cfg, err := mysql.ParseDSN(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Passwd = user, "pw"
	o.DB.DSN = cfg.FormatDSN()
	// Either of the two concurrent reads may be the one refused: enough
	// runs for both.
	for i := range 30 {
		// The server counts a closed connection a moment longer: each
		// run starts when the one before has gone.
		for range 100 {
			var n int
			if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?", user).Scan(&n); err != nil || n == 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := Run(context.Background(), o); err != nil {
			t.Fatalf("run %d, a one-connection database account: %v", i, err)
		}
	}
}
