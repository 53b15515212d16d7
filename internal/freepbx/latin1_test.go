package freepbx

import (
	"context"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

func TestUndoDoubleUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"JÃ¼rgen MÃ¼ller":     "Jürgen Müller",
		"Nextor_DÃ­a":         "Nextor_Día", // FreePBX 2.8.1 dump, ivr.displayname
		"StraÃŸe":             "Straße",     // ß = C3 9F: 0x9F is Ÿ in cp1252
		"Ã–zil":               "Özil",       // Ö = C3 96: 0x96 is an en dash in cp1252
		"Ã\u0081lvaro":        "Álvaro",     // Á = C3 81: 0x81 is undefined in cp1252
		"Jürgen Müller":       "Jürgen Müller",
		"Renée":               "Renée",
		"Alice Reception":     "Alice Reception",
		"":                    "",
		"Ã":                   "Ã", // a lone lead byte is not UTF-8
		"東京":                  "東京",
		"Zoë – desk":          "Zoë – desk",
		"\u00e2\u0080\u0099s": "\u2019s",
	} {
		if got := undoDoubleUTF8(in); got != want {
			t.Errorf("undoDoubleUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}

// A FreePBX 2.x database: latin1 tables written by PHP through a latin1
// connection hold the UTF-8 bytes of what the admin typed (seen in a real
// FreePBX 2.8.1 dump). The phones and the directory must get the names as
// typed, not "JArgen MAller".
func TestNamesFromLatin1Tables(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, `ALTER TABLE users CONVERT TO CHARACTER SET latin1;
		ALTER TABLE devices CONVERT TO CHARACTER SET latin1;
		INSERT INTO devices (id, tech, user, description) VALUES ('4001','sip','4001','x'), ('4002','sip',NULL,CONVERT(x'4CC3B67765' USING latin1));
		INSERT INTO users (extension, name) VALUES ('4001', CONVERT(x'4AC3BC7267656E204DC3BC6C6C6572' USING latin1)), ('4003', CONVERT(x'4DC3BC6C6C6572' USING latin1));
		INSERT INTO sip (id, keyword, data) VALUES ('4001','secret','s1'), ('4002','secret','s2')`)
	d, err := read(t, db)
	if err != nil {
		t.Fatal(err)
	}
	if got := extOf(d.Extensions, "4001").Name; got != "Jürgen Müller" {
		t.Errorf("users.name read as %q", got)
	}
	if got := extOf(d.Extensions, "4002").Name; got != "Löwe" {
		t.Errorf("devices.description read as %q", got)
	}
	users, err := ReadUsers(context.Background(), db.DB)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range users {
		if u.Extension == "4003" {
			found = true
			if u.Name != "Müller" {
				t.Errorf("directory user read as %q", u.Name)
			}
		}
	}
	if !found {
		t.Error("user 4003 not read")
	}
}
