package inventory

import (
	"regexp"
	"strings"
	"testing"
)

// TestB12SchemaStepsRunOnMySQLAndOldMariaDB: setup-cisco keeps its tables
// in the FreePBX database, whatever server FreePBX runs on. FreePBX itself
// still connects to servers older than MySQL 5.5.3 (framework
// BMO/Database.class.php, 16.0: utf8mb4 only when `mysql --version` is
// 5.5.3 or later, else utf8), CentOS 7 (the base of FreePBX's SNG7
// distro, FreePBX 13-16) ships MariaDB 5.5, and real FreePBX "asterisk" dumps come from MySQL 5.1 servers
// (e.g. cvieri/ucp MySQLSchema.sql, "Server version 5.1.73"). Step 2 of the
// schema is "ALTER TABLE setup_cisco_line ADD INDEX IF NOT EXISTS ext
// (ext)": IF NOT EXISTS on ADD INDEX is MariaDB-only, from 10.0.2 (MariaDB
// KB ALTER TABLE; MySQL 5.x-8.x's ALTER TABLE grammar has no IF NOT EXISTS
// for indexes). On MySQL or MariaDB 5.5 every phone add/set/remove then
// stops with "upgrading setup-cisco's tables to version 2 (index line keys
// by extension): Error 1064 (42000): You have an error in your SQL syntax"
// (exit 2), after step 1 has been recorded, on every later try too. Right:
// the steps use only syntax those servers take (e.g. look the index up in
// information_schema.statistics, then a plain ADD INDEX).
func TestB12SchemaStepsRunOnMySQLAndOldMariaDB(t *testing.T) {
	mariaOnly := regexp.MustCompile(`(?i)\bADD\s+(INDEX|KEY|COLUMN|UNIQUE|CONSTRAINT)?\s*(INDEX|KEY)?\s*IF\s+NOT\s+EXISTS`)
	for _, s := range steps {
		for _, q := range s.sql {
			if mariaOnly.MatchString(q) {
				t.Errorf("schema step %d (%s) uses MariaDB-10-only syntax that MySQL and MariaDB 5.5 reject with a syntax error:\n%s",
					s.version, s.what, strings.TrimSpace(q))
			}
		}
	}
}
