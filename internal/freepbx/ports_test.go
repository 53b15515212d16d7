package freepbx

import (
	"context"
	_ "embed"
	"reflect"
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/testdb"
)

//go:embed testdata/freepbx-pjsip-bind-on-one-address.sql
var bindOnOneAddress string

func TestPJSIPPort(t *testing.T) {
	for _, c := range []struct {
		name string
		kv   map[string]string
		want int
		note string
	}{
		{"field case: 0.0.0.0 off, one address on", map[string]string{
			"binds": `{"udp":{"0.0.0.0":"off","192.0.2.5":"on"}}`, "udpport-0.0.0.0": "5060", "udpport-192.0.2.5": "5070"}, 5070, ""},
		{"wildcard on wins over an address", map[string]string{
			"binds": `{"udp":{"192.0.2.5":"on","0.0.0.0":"on"}}`, "udpport-0.0.0.0": "5062", "udpport-192.0.2.5": "5070"}, 5062, "several UDP binds"},
		{"two addresses on: the lowest, named", map[string]string{
			"binds": `{"udp":{"198.51.100.1":"on","192.0.2.9":"on"}}`, "udpport-198.51.100.1": "5072", "udpport-192.0.2.9": "5071"}, 5071, "192.0.2.9:5071"},
		{"only tcp on: no UDP port", map[string]string{
			"binds": `{"tcp":{"0.0.0.0":"on"},"udp":{"0.0.0.0":"off"}}`, "udpport-0.0.0.0": "5060"}, 0, "no UDP bind"},
		{"IPv6 wildcard", map[string]string{
			"binds": `{"udp":{"[::]":"on"}}`, "udpport-[::]": "5090"}, 5090, ""},
		{"no binds key: stored ports count, wildcard first", map[string]string{
			"udpport-192.0.2.5": "5070", "udpport-0.0.0.0": "5060"}, 5060, "several"},
		{"binds not JSON", map[string]string{"binds": `{udp`, "udpport-0.0.0.0": "5060"}, 0, "not JSON"},
		{"bad port ignored", map[string]string{"binds": `{"udp":{"0.0.0.0":"on"}}`, "udpport-0.0.0.0": "99999"}, 0, ""},
		{"no store", nil, 0, ""},
		{"0.0.0.0 on without its port row: FreePBX's default 5061", map[string]string{
			"binds": `{"udp":{"0.0.0.0":"on"}}`}, 5061, ""},
		{"an address on without its port row: no default, not listened on", map[string]string{
			"binds": `{"udp":{"192.0.2.5":"on"}}`}, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, notes := PJSIPPort(c.kv)
			if got != c.want {
				t.Errorf("port = %d, want %d (notes %q)", got, c.want, notes)
			}
			joined := strings.Join(notes, "\n")
			if c.note == "" && joined != "" {
				t.Errorf("unexpected notes %q", joined)
			}
			if c.note != "" && !strings.Contains(joined, c.note) {
				t.Errorf("notes %q lack %q", joined, c.note)
			}
		})
	}
}

// genPorts are the ports each generation's fixture must give, and its
// extensions.
var genPorts = map[string]struct {
	ports Ports
	exts  []string
}{
	"freepbx2":  {Ports{ChanSIP: 5062}, []string{"201", "202"}},
	"freepbx13": {Ports{ChanSIP: 5160, PJSIP: 5060}, []string{"1301", "1302"}},
	"freepbx14": {Ports{PJSIP: 5070, PJSIPBinds: []Bind{{"192.0.2.14", 5070}, {"198.51.100.14", 5072}}}, []string{"1401", "1402"}}, // binds on two addresses, none on all
	"freepbx16": {Ports{ChanSIP: 5160, PJSIP: 5060}, []string{"1601", "1602"}},
}

func checkGenerations(t *testing.T, base string) {
	for _, g := range testdb.Generations {
		t.Run(g, func(t *testing.T) {
			db, cleanup, err := testdb.CreateWith(base, testdb.Generation(g))
			if err != nil {
				t.Fatal(err)
			}
			defer cleanup()
			d, err := read(t, &testdb.DB{DB: db.DB})
			if err != nil {
				t.Fatal(err)
			}
			want := genPorts[g]
			if !reflect.DeepEqual(d.Ports, want.ports) {
				t.Errorf("ports = %+v, want %+v (notes %q)", d.Ports, want.ports, d.Notes)
			}
			for _, id := range want.exts {
				if e, ok := d.Extensions.Get(id); !ok || e.Secret == "" || e.Name == "" {
					t.Errorf("extension %s = %+v, %v", id, e, ok)
				}
			}
			if d.Extensions.Len() != len(want.exts) {
				t.Errorf("extensions %v", d.Extensions)
			}
		})
	}
	t.Run("field case on the current schema", func(t *testing.T) {
		db, cleanup, err := testdb.Create(base)
		if err != nil {
			t.Fatal(err)
		}
		defer cleanup()
		db.MustExec(t, bindOnOneAddress)
		d, err := read(t, db)
		if err != nil {
			t.Fatal(err)
		}
		if d.Ports.PJSIP != 5070 {
			t.Errorf("pjsip port = %d, want 5070", d.Ports.PJSIP)
		}
	})
}

func TestGenerations(t *testing.T) {
	checkGenerations(t, testdb.BaseDSN(t))
}

// TestLowerCaseTableNames: the same on a server that stores table names in
// lower case (lower_case_table_names=1, the default on Windows and macOS
// hosts and set by some hosting images).
func TestLowerCaseTableNames(t *testing.T) {
	testdb.BaseDSN(t) // skip with the other database tests
	base := testdb.Server(t, "--lower-case-table-names=1")
	db, cleanup, err := testdb.CreateWith(base, testdb.Generation("freepbx16"))
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	var v int
	if err := db.QueryRow("SELECT @@lower_case_table_names").Scan(&v); err != nil || v != 1 {
		t.Fatalf("lower_case_table_names = %d, %v", v, err)
	}
	have, err := Tables(context.Background(), db.DB, TablesToCheck...)
	if err != nil || !have["kvstore_Sipsettings"] {
		t.Fatalf("Tables = %v, %v", have, err)
	}
	checkGenerations(t, base)
}

// PJSIPBind: the chosen UDP bind's address when it is one address, and
// whether chan_pjsip has binds but no UDP one on (Sipsettings::getBinds).
func TestPJSIPBind(t *testing.T) {
	for _, c := range []struct {
		binds string
		port  int
		addr  string
		noUDP bool
	}{
		{`{"udp":{"0.0.0.0":"on"}}`, 5061, "", false},
		{`{"udp":{"0.0.0.0":"off","192.0.2.5":"on"}}`, 5070, "192.0.2.5", false},
		{`{"udp":{"0.0.0.0":"on","192.0.2.5":"on"}}`, 5061, "", false},
		{`{"udp":{"0.0.0.0":"off"},"tls":{"0.0.0.0":"on"}}`, 0, "", true},
	} {
		kv := map[string]string{"binds": c.binds, "udpport-192.0.2.5": "5070"}
		port, binds, noUDP, _ := PJSIPBind(kv)
		addr := ""
		if len(binds) > 0 {
			addr = binds[0].Addr
		}
		if port != c.port || addr != c.addr || noUDP != c.noUDP {
			t.Errorf("%s: %d %v %v", c.binds, port, binds, noUDP)
		}
	}
}
