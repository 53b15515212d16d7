package dbconf

import "testing"

// TestB19DoubleQuotedEscapesAsPHP: freepbx.conf is PHP, and an admin who
// re-types the database password in double quotes (to hold a single quote,
// or copied from a PHP snippet) may write it with PHP's double-quoted
// escapes. PHP's manual ("Strings", double quoted) decodes \r, \v, \e, \f,
// octal \[0-7]{1,3}, hex \x[0-9A-Fa-f]{1,2} and \u{...}; FreePBX's PDO then
// logs in with the decoded bytes. phpString decodes only \n, \t, \$, \\ and
// \": "s3cr\x21t" reaches MariaDB as the eight bytes s3cr\x21t, so every run
// fails "Access denied" (exit 2) although FreePBX itself connects.
func TestB19DoubleQuotedEscapesAsPHP(t *testing.T) {
	for lit, want := range map[string]string{
		`"s3cr\x21t"`:    "s3cr!t",
		`"s3cr\041t"`:    "s3cr!t",
		`"s3cr\u{21}t"`:  "s3cr!t",
		`"a\rb"`:         "a\rb",
		`"pa\x24\x24w0"`: "pa$$w0",
	} {
		conf := "<?php\n$amp_conf['AMPDBUSER'] = 'freepbxuser';\n$amp_conf[\"AMPDBPASS\"] = " + lit + ";\n"
		kv, err := ParsePHP([]byte(conf))
		if err != nil {
			t.Fatalf("%s: %v", lit, err)
		}
		if got := kv["AMPDBPASS"]; got != want {
			t.Errorf("AMPDBPASS = %s: got %q, PHP gives %q", lit, got, want)
		}
	}
}
