package dbconf

import (
	"strings"
	"testing"
)

// TestB12DSNInOtherFormsExplained: admins paste the DSN forms they know:
// FreePBX 2.x's own PEAR DB form 'mysql://user:pw@host/asterisk'
// (framework common/db_connect.php: $db_engine.'://'.$db_user.':'.
// $db_pass.'@'.$db_host.'/'.$db_name), the same without the scheme, or
// FreePBX 13+'s PDO form 'mysql:host=localhost;dbname=asterisk'. Today
// --db-dsn answers "default addr for network 'localhost' unknown" or
// "missing the slash separating the database name": go-sql-driver's words,
// which say neither what is wrong nor what to write. Right: the error shows
// the form setup-cisco takes (user:pw@tcp(host:port)/db or
// user:pw@unix(/path/mysqld.sock)/db), as --help does.
func TestB12DSNInOtherFormsExplained(t *testing.T) {
	for _, dsn := range []string{
		"mysql://asteriskuser:amp109@localhost/asterisk",
		"asteriskuser:amp109@localhost/asterisk",
		"mysql:host=localhost;dbname=asterisk",
	} {
		_, err := Resolve(Options{DSN: dsn, Getenv: noenv})
		if err == nil {
			continue // taken as meant: fine
		}
		if !strings.Contains(err.Error(), "tcp(") || !strings.Contains(err.Error(), "unix(") {
			t.Errorf("--db-dsn %q: %v\nwant the error to show the accepted form (user:pw@tcp(host:port)/db, user:pw@unix(/path)/db)", dsn, err)
		}
	}
}
