package freepbx

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

func TestReadSample(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, testdb.Sample)
	d, err := read(t, db)
	if err != nil {
		t.Fatal(err)
	}
	if d.Extensions.Len() != 5 {
		t.Fatalf("got %d extensions: %v", d.Extensions.Len(), d.Extensions)
	}
	e := extOf(d.Extensions, "1001")
	if e.Tech != "pjsip" || e.Secret != "a3f1c9e07b2d4e6f8a1b3c5d7e9f0a12" || e.Name != "Alice Reception" || e.MD5Cred {
		t.Errorf("1001 = %+v", e)
	}
	if e := extOf(d.Extensions, "1003"); e.Tech != "sip" || e.Name != "Jürgen Müller" {
		t.Errorf("1003 = %+v", e)
	}
	if _, ok := d.Extensions.Get("tr-peer-1"); ok {
		t.Error("trunk read as an extension")
	}
	if !reflect.DeepEqual(d.Ports, Ports{ChanSIP: 5160, PJSIP: 5060}) {
		t.Errorf("ports = %+v", d.Ports)
	}
}

func TestNameFallbackAndMD5(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, `INSERT INTO devices (id, tech, user, description) VALUES ('3001','pjsip','3001','Desk Only'), ('3002','iax2','3002','IAX'), ('3003','sip',NULL,'No user');
		INSERT INTO sip (id, keyword, data) VALUES ('3001','md5_cred','0123456789abcdef'), ('3003','secret','x');
		INSERT INTO kvstore_Sipsettings (`+"`key`"+`, val, id) VALUES ('udpport-192.168.1.2','5070','noid')`)
	d, err := read(t, db)
	if err != nil {
		t.Fatal(err)
	}
	if e := extOf(d.Extensions, "3001"); e.Name != "Desk Only" || !e.MD5Cred || e.Secret != "" {
		t.Errorf("3001 = %+v", e)
	}
	if _, ok := d.Extensions.Get("3002"); ok {
		t.Error("IAX device read as SIP")
	}
	if !reflect.DeepEqual(d.Ports, Ports{ChanSIP: 0, PJSIP: 5070}) {
		t.Errorf("ports = %+v", d.Ports)
	}
}

func TestMissingTable(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, "DROP TABLE users")
	_, err := read(t, db)
	if err == nil || !strings.Contains(err.Error(), `"users"`) {
		t.Fatalf("err = %v", err)
	}
}

func read(t *testing.T, db *testdb.DB) (Data, error) {
	have, err := Tables(context.Background(), db.DB, TablesToCheck...)
	if err != nil {
		t.Fatal(err)
	}
	return Read(context.Background(), db.DB, have)
}

// ASTSIPDRIVER comes from freepbx_settings, created as FreePBX's framework
// creates it (upgrades/2.9.0alpha1/migrate_ampconf.php); FreePBX's
// installer sets it to chan_pjsip (installlib/SQL/asterisk.sql).
func TestSIPDriverSetting(t *testing.T) {
	db := testdb.New(t)
	d, err := read(t, db)
	if err != nil {
		t.Fatal(err)
	}
	if d.SIPDriver != "" {
		t.Errorf("no freepbx_settings: SIPDriver = %q", d.SIPDriver)
	}
	db.MustExec(t, "CREATE TABLE `freepbx_settings` (`keyword` varchar(50) default NULL, `value` varchar(255) default NULL, `name` varchar(80) default NULL, `level` tinyint(1) default 0, `description` text default NULL, `type` varchar(25) default NULL, `options` text default NULL, `defaultval` varchar(255) default NULL, `readonly` tinyint(1) default 0, `hidden` tinyint(1) default 0, `category` varchar(50) default NULL, `module` varchar(25) default NULL, `emptyok` tinyint(1) default 1, `sortorder` int(11) default 0, PRIMARY KEY (`keyword`)) ENGINE=MyISAM DEFAULT CHARSET=latin1;"+
		"INSERT INTO freepbx_settings (keyword, value) VALUES ('ASTSIPDRIVER', 'both');"+
		"UPDATE `freepbx_settings` SET `value`='chan_pjsip' WHERE `keyword`='ASTSIPDRIVER'")
	if d, err = read(t, db); err != nil {
		t.Fatal(err)
	}
	if d.SIPDriver != "chan_pjsip" {
		t.Errorf("SIPDriver = %q, want chan_pjsip", d.SIPDriver)
	}
}

// The secret is read as Asterisk's config reader takes it from the line
// FreePBX writes: bytes below 33 at either end stripped (a pasted CR, tab
// or blank), nothing inside touched; a secret of blanks only is no secret.
func TestSecretAsAsteriskReadsIt(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, `INSERT INTO devices (id, tech, user, description) VALUES ('4001','pjsip','4001','CR'), ('4002','sip','4002','Inner'), ('4003','sip','4003','Blank'), ('4004','pjsip','4004','Plain');
		INSERT INTO sip (id, keyword, data) VALUES ('4001','secret','Crlf4001\r\n'), ('4002','secret','\tin ner '), ('4003','secret','  \t '), ('4004','secret','Plain4004')`)
	d, err := read(t, db)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"4001": "Crlf4001", "4002": "in ner", "4003": "", "4004": "Plain4004"} {
		if got := extOf(d.Extensions, id).Secret; got != want {
			t.Errorf("%s: secret %q, want %q", id, got, want)
		}
	}
}

// The sip rows that decide registration, read as FreePBX writes them and
// chan_sip takes them: 'account' exactly the id, host and type without
// regard to case or surrounding blanks, transport entries by their first
// letters; chan_sip's tcpenable/tlsenable from sipsettings (not codec rows).
func TestReadRegister(t *testing.T) {
	db := testdb.New(t)
	db.MustExec(t, `INSERT INTO devices (id, tech, user, description) VALUES
		('5001','sip','5001','Default'), ('5002','sip','5002','No account'), ('5003','pjsip','5003','Other account'),
		('5004','sip','5004','Fixed host'), ('5005','sip','5005','User'), ('5006','sip','5006','WS TLS');
		INSERT INTO sip (id, keyword, data) VALUES
		('5001','account','5001'), ('5001','host',' Dynamic '), ('5001','type','friend'), ('5001','transport','udp,tcp,tls'),
		('5002','secret','x'),
		('5003','account','5003b'),
		('5004','account','5004'), ('5004','host','192.0.2.77'),
		('5005','account','5005'), ('5005','type','USER'),
		('5006','account','5006'), ('5006','transport',' wss, TLS');
		INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('tlsenable', 'Yes', 1, 0), ('tcpenable', 'yes', 1, 1)`)
	d, err := read(t, db)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]Register{
		"5001": RegUDP | RegTCP | RegTLS,
		"5002": RegNoAccount,
		"5003": RegOtherAccount,
		"5004": RegHostFixed,
		"5005": RegTypeUser,
		"5006": RegWS | RegTLS,
	} {
		if got := extOf(d.Extensions, id).Register; got != want {
			t.Errorf("%s: Register %08b, want %08b", id, got, want)
		}
	}
	if !d.ChanSIPTLS || d.ChanSIPTCP {
		t.Errorf("tlsenable %v (want true), tcpenable %v (want false: a type 1 row is not chan_sip's)", d.ChanSIPTLS, d.ChanSIPTCP)
	}
}

// extOf is the device of that id, or none.
func extOf(x Extensions, id string) Extension {
	e, _ := x.Get(id)
	return e
}
