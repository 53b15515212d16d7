// Package freepbx reads SIP extensions (chan_sip and chan_pjsip) and the SIP
// listening ports from a FreePBX/Asterisk database: one query per table,
// parameterised, read-only.
//
// Facts (shared/reference/freepbx-facts.md §1): devices(id, tech, user,
// description) lists every extension's device with tech 'sip' or 'pjsip';
// users(extension, name) holds the display name (sip.callerid can be stale);
// the secret of both chan_sip and chan_pjsip devices is in sip(id, keyword,
// data) under keyword 'secret', or only 'md5_cred'; ids 'tr-*' in sip and the
// whole pjsip table are trunks. Ports: see ports.go.
package freepbx

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"github.com/setup-cisco/setup-cisco/internal/dbrows"
	"slices"
	"strconv"
	"strings"
)

// Extension is one SIP device as FreePBX configures it.
type Extension struct {
	ID      string // devices.id: the extension number
	Tech    string // "sip" (chan_sip) or "pjsip"
	Name    string // users.name, else devices.description
	Secret  string // sip 'secret' as Asterisk reads it (AsteriskValue)
	MD5Cred bool   // sip 'md5_cred' set: authenticates by hash
	// Driver is the device's sip 'sipdriver' row (FreePBX 12 on), which
	// FreePBX generates the device by, whatever devices.tech says (see
	// Driver). One byte each, in what was MD5Cred's padding: 100,000
	// devices hold no more than before.
	Driver Driver
	// MaxContacts is the device's sip 'max_contacts' row (chan_pjsip),
	// capped at 100 as FreePBX caps it; 0 when there is none.
	MaxContacts uint8
	// Register holds what of the device's sip rows decides whether the
	// device FreePBX generates takes a REGISTER from a 7940/7960: its
	// 'account' row and (chan_sip) 'host', 'type' and 'transport'. One
	// byte, in the same padding as Driver: no string per device.
	Register Register
}

// Register is a device's sip rows that decide registration, as bits; the
// zero value is a device that registers (its account is its own number,
// host dynamic, type friend or peer, transport with UDP or none).
//
// Sources: FreePBX core release/16.0 (2.10/2.11 alike) functions.inc.php
// writes a chan_sip section [<data>] for every sip row with keyword
// 'account', and drivers/PJSip.class.php generateEndpoint names the
// endpoint, its aor and auth $config['account']; the GUI writes account =
// the extension (Core::convertRequest2Array, generateDefaultDeviceSettings).
// A phone registers as lineN_name = the extension, so a device with no
// 'account' row, or one naming another, has nothing of that name. chan_sip
// (asterisk branch 20 channels/chan_sip.c register_verify) answers a
// REGISTER for a peer not host=dynamic with 403 Forbidden, finds only
// peers (type=user is none: sip_find_peer FINDPEERS), and refuses one
// over a transport the peer does not allow (check_request_transport).
type Register uint8

const (
	RegNoAccount    Register = 1 << iota // no sip 'account' row
	RegOtherAccount                      // an 'account' row naming another device
	RegHostFixed                         // chan_sip 'host' is an address, not dynamic
	RegTypeUser                          // chan_sip 'type' is user: no peer to register
	RegUDP                               // chan_sip 'transport' lists udp
	RegTCP                               // ... tcp
	RegTLS                               // ... tls
	RegWS                                // ... ws or wss
)

// Transports are the transports of the chan_sip 'transport' row bits r
// that chan_sip takes: udp, ws and wss always, tcp and tls only when the
// chan_sip setting tcpenable or tlsenable is on. FreePBX (core
// release/16.0 functions.inc.php) drops tcp and tls from the row when
// sipsettings' tcpenable/tlsenable is unset or 'no', and chan_sip (build_peer,
// "transport") skips them when its own setting is off; a row naming none
// that count leaves the peer on chan_sip's default, UDP. So the peer takes
// no REGISTER over UDP exactly when the result is non-zero without RegUDP.
func (r Register) Transports(tcp, tls bool) Register {
	t := r & (RegUDP | RegWS)
	if tcp {
		t |= r & RegTCP
	}
	if tls {
		t |= r & RegTLS
	}
	return t
}

// transportBits reads a chan_sip 'transport' value as chan_sip does: a
// comma-separated list, each entry after its leading blanks matched by
// its first letters without regard to case (chan_sip.c build_peer:
// strncasecmp "udp", "wss", "ws", "tcp", "tls").
func transportBits(v []byte) Register {
	var r Register
	for _, t := range strings.Split(string(v), ",") {
		t = strings.ToLower(strings.TrimLeftFunc(t, func(r rune) bool { return r < 33 }))
		switch {
		case strings.HasPrefix(t, "udp"):
			r |= RegUDP
		case strings.HasPrefix(t, "ws"):
			r |= RegWS
		case strings.HasPrefix(t, "tcp"):
			r |= RegTCP
		case strings.HasPrefix(t, "tls"):
			r |= RegTLS
		}
	}
	return r
}

// Driver is a device's sip 'sipdriver' row. FreePBX (core release/16.0)
// generates a chan_sip peer (functions.inc.php, sip_additional.conf) for
// every sip id with an 'account' row unless its sipdriver is chan_pjsip,
// and a PJSIP endpoint (drivers/PJSip.class.php getAllDevs,
// generateEndpoint) only for a device with devices.tech 'pjsip' whose
// sipdriver is chan_pjsip. devices.tech and sipdriver disagree where a
// Bulk Handler CSV had one column edited (Core::bulkhandlerImport).
type Driver uint8

const (
	DriverNone  Driver = iota // no sipdriver row (FreePBX 2.x, trixbox)
	DriverSIP                 // chan_sip
	DriverPJSIP               // chan_pjsip
	DriverOther               // any other value
)

// Contacts is how many phones can be registered to the device at once:
// chan_sip keeps one address per peer; FreePBX writes a PJSIP device's aor
// with max_contacts=1 and remove_existing=yes when its max_contacts is
// unset or below 2, else max_contacts (at most 100) (core release/16.0
// drivers/PJSip.class.php generateEndpoint).
func (e Extension) Contacts() int {
	if e.Tech != "pjsip" || e.MaxContacts < 2 {
		return 1
	}
	return int(e.MaxContacts)
}

// Ports are the UDP ports the two channel drivers listen on; 0 = not found
// in the database.
type Ports struct {
	ChanSIP int
	PJSIP   int
	// ChanSIPFrom names the file:line chan_sip's port was read from when
	// not the database (ReadSIPCustom); "" otherwise.
	ChanSIPFrom string `json:",omitempty"`
	// ChanSIPAddr is chan_sip's bindaddr when it is one address, not
	// every one ("" then); PJSIPBinds chan_pjsip's UDP binds that are on,
	// when none of them is every address (nil then). A driver listens
	// nowhere else.
	ChanSIPAddr string
	PJSIPBinds  []Bind
	// PJSIPNoUDP: the key-value store has chan_pjsip's binds, and none for
	// UDP is on (TLS only, say): a 7940/7960 cannot reach it.
	PJSIPNoUDP bool
	// PJSIPBad says why chan_pjsip's port is not known when the database
	// has it but not usably (IssabelPBX's pjsipsettings without a port in
	// bindport): chan_pjsip lines are bad rows then, not sent to a guess.
	PJSIPBad string `json:",omitempty"`
}

// Bind is an address and UDP port a SIP driver listens on.
type Bind struct {
	Addr string // IPv4 or IPv6, without brackets
	Port int
}

// Data is everything read from FreePBX's tables.
type Data struct {
	Extensions Extensions
	Ports      Ports
	// Notes are things about the ports worth telling the admin, e.g.
	// which of several chan_pjsip binds was taken.
	Notes []string
	// Warnings are what the admin must hear without -v: a file of
	// Asterisk's configuration that could not be read (ReadSIPCustom).
	Warnings []string
	// Users are FreePBX's users (users table) sorted by extension, as
	// ReadUsers returns them: the names above, the company directory and
	// the dial plan's extensions come from this one read.
	Users []User
	// Dials are the devices.dial strings that do not ring the device
	// itself (see DialRingsDevice), by device id: only those are kept.
	Dials map[string]string
	// Others are FreePBX's other devices (IAX2, DAHDi, custom...): id ->
	// devices.tech, so that a phone line on one is named for what it is.
	Others map[string]string
	// SIPDriver is FreePBX's "SIP Channel Driver" setting (freepbx_settings
	// keyword ASTSIPDRIVER, FreePBX 12 on): "chan_sip", "chan_pjsip" or
	// "both"; "" where there is none (2.x/trixbox: chan_sip only). Asterisk
	// loads only the named driver (sipsettings Sipsettings::getBinds lists
	// a driver's binds only when this names it), so a device of the other
	// technology has nothing to register to. FreePBX's own installer sets
	// chan_pjsip (installlib/SQL/asterisk.sql).
	SIPDriver string
	// ChanSIPTCP and ChanSIPTLS are chan_sip's tcpenable and tlsenable
	// (sipsettings): whether a device's 'transport' tcp or tls counts
	// (Register.Transports). Off where unset, as FreePBX and chan_sip
	// take them.
	ChanSIPTCP, ChanSIPTLS bool
}

// Tables lists which of the named tables exist in the current database,
// under the names asked for. Names are matched without regard to case: a
// server with lower_case_table_names=1 stores kvstore_Sipsettings as
// kvstore_sipsettings, and MariaDB then finds it under either spelling.
func Tables(ctx context.Context, db *sql.DB, names ...string) (map[string]bool, error) {
	if len(names) == 0 {
		return map[string]bool{}, nil
	}
	want := map[string][]string{} // lower-case name -> names asked for
	args := make([]any, 0, len(names))
	for _, n := range names {
		l := strings.ToLower(n)
		if _, ok := want[l]; !ok {
			args = append(args, l)
		}
		want[l] = append(want[l], n)
	}
	q := "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND LOWER(table_name) IN (?" +
		strings.Repeat(",?", len(args)-1) + ")"
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("listing tables: %w", err)
		}
		for _, asked := range want[strings.ToLower(n)] {
			have[asked] = true
		}
	}
	return have, rows.Err()
}

// TablesToCheck are the tables Read looks for; pass Tables' answer for them
// (and others) as have.
var TablesToCheck = []string{"devices", "users", "sip", "sipsettings", "kvstore_Sipsettings", "kvstore", "freepbx_settings", "pjsipsettings"}

// Read loads the extensions and ports. have says which tables exist (see
// Tables); a missing core table is an error: this is not a FreePBX database.
func Read(ctx context.Context, db *sql.DB, have map[string]bool) (Data, error) {
	if err := CheckTables(have); err != nil {
		return Data{}, err
	}
	users, err := ReadUsers(ctx, db)
	if err != nil {
		return Data{}, err
	}
	return ReadWith(ctx, db, have, users)
}

// CheckTables says which of FreePBX's core tables is missing, as Read
// does, from Tables' answer.
func CheckTables(have map[string]bool) error {
	for _, t := range []string{"devices", "users", "sip"} {
		if !have[t] {
			return fmt.Errorf("table %q is missing: is this the FreePBX (asterisk) database?", t)
		}
	}
	return nil
}

// ReadWith is Read with the users already read (ReadUsers), which become
// Data.Users: a caller that needs only them first (the dial plan) holds
// nothing else of FreePBX's meanwhile.
func ReadWith(ctx context.Context, db *sql.DB, have map[string]bool, users []User) (Data, error) {
	if err := CheckTables(have); err != nil {
		return Data{}, err
	}
	d := Data{Others: map[string]string{}, Dials: map[string]string{}, Users: users}

	var err error
	// A user's name is found in d.Users (sorted by extension) by binary
	// search, not a map of them all (6 MB at 100,000 users, held while the
	// devices are read).
	byExt := usersByExtension(d.Users)

	var exts extBuilder
	// Columns only looked at, or looked up, are scanned as sql.RawBytes:
	// not a string for each of them in every row (100,000 devices).
	if err := dbrows.Each(ctx, db, "devices", "SELECT id, tech, user, description, dial FROM devices", func(s dbrows.Scanner) error {
		var id string
		var tech, user, desc, dial sql.RawBytes
		if err := s.Scan(&id, &tech, &user, &desc, &dial); err != nil {
			return err
		}
		// No account until its 'account' row is read.
		e := Extension{ID: id, Register: RegNoAccount}
		switch string(tech) {
		case "sip":
			e.Tech = "sip"
		case "pjsip":
			e.Tech = "pjsip"
		default:
			d.Others[id] = string(tech)
			return nil
		}
		name, ok := byExt(user)
		if !ok || strings.TrimSpace(name) == "" {
			name = undoDoubleUTF8(string(desc))
		}
		e.Name = name
		if err := exts.add(e); err != nil {
			return err
		}
		if !DialRingsDevice(string(dial), e.Tech, id) {
			d.Dials[id] = string(dial)
		}
		return nil
	}); err != nil {
		return Data{}, err
	}

	if err := dbrows.Each(ctx, db, "sip", "SELECT id, keyword, data FROM sip WHERE keyword IN ('secret', 'md5_cred', 'sipdriver', 'max_contacts', 'account', 'host', 'type', 'transport') AND id NOT LIKE 'tr-%'", func(s dbrows.Scanner) error {
		var id, kw, data sql.RawBytes
		if err := s.Scan(&id, &kw, &data); err != nil {
			return err
		}
		e, at, ok := exts.get(id)
		if !ok {
			return nil // a row without a device: not a phone's
		}
		switch string(kw) {
		case "secret":
			// The secret Asterisk checks, not the one typed: FreePBX
			// writes it into sip_additional.conf / pjsip.auth.conf as
			// stored, and Asterisk's config reader strips the blanks
			// around it (a secret pasted with a trailing space).
			e.Secret = string(AsteriskValue(data))
		case "md5_cred":
			e.MD5Cred = len(data) != 0
		case "sipdriver":
			switch strings.TrimSpace(string(data)) {
			case "chan_sip":
				e.Driver = DriverSIP
			case "chan_pjsip":
				e.Driver = DriverPJSIP
			default:
				e.Driver = DriverOther
			}
		case "max_contacts":
			// PHP's comparison of the string: "3" is 3, junk is 0.
			n, _ := strconv.Atoi(strings.TrimSpace(string(data)))
			e.MaxContacts = uint8(max(0, min(n, 100)))
		case "account":
			// The section's name: [<account>], as written.
			e.Register &^= RegNoAccount | RegOtherAccount
			if string(data) != e.ID {
				e.Register |= RegOtherAccount
			}
		case "host":
			e.Register &^= RegHostFixed
			if !bytes.EqualFold(AsteriskValue(data), []byte("dynamic")) {
				e.Register |= RegHostFixed
			}
		case "type":
			e.Register &^= RegTypeUser
			if bytes.EqualFold(AsteriskValue(data), []byte("user")) {
				e.Register |= RegTypeUser
			}
		case "transport":
			e.Register = e.Register&^(RegUDP|RegTCP|RegTLS|RegWS) | transportBits(AsteriskValue(data))
		}
		return exts.set(at, e)
	}); err != nil {
		return Data{}, err
	}
	d.Extensions = exts.done()

	if have["sipsettings"] {
		// chan_sip's tcpenable/tlsenable, as Sipsettings::getChanSipSettings
		// reads them (not codec rows, type 1 and 2; later rows win) and
		// chan_sip takes them (ast_true).
		if err := dbrows.Each(ctx, db, "sipsettings", "SELECT keyword, data FROM sipsettings WHERE keyword IN ('tcpenable', 'tlsenable') AND type <> 1 AND type <> 2 ORDER BY type, seq", func(s dbrows.Scanner) error {
			var kw, v sql.NullString
			if err := s.Scan(&kw, &v); err != nil {
				return err
			}
			on := astTrue(v.String)
			if kw.String == "tcpenable" {
				d.ChanSIPTCP = on
			} else {
				d.ChanSIPTLS = on
			}
			return nil
		}); err != nil {
			return Data{}, err
		}
	}

	if have["freepbx_settings"] {
		// freepbx_settings(keyword, value): FreePBX 2.9 on (framework
		// upgrades/2.9.0alpha1/migrate_ampconf.php).
		if err := dbrows.Each(ctx, db, "freepbx_settings", "SELECT value FROM freepbx_settings WHERE keyword = 'ASTSIPDRIVER'", func(s dbrows.Scanner) error {
			var v sql.NullString
			if err := s.Scan(&v); err != nil {
				return err
			}
			d.SIPDriver = strings.ToLower(strings.TrimSpace(v.String))
			return nil
		}); err != nil {
			return Data{}, err
		}
	}

	ports, notes, err := readPorts(ctx, db, have)
	if err != nil {
		return Data{}, err
	}
	d.Ports, d.Notes = ports, notes
	return d, nil
}

// usersByExtension finds a user's name by extension in users, sorted by
// extension as the database sorts (ReadUsers): by binary search where that
// is Go's byte order too (digits), else through a sorted index; a
// duplicate extension gives the last of them, as a map filled in order did.
func usersByExtension(users []User) func(ext []byte) (string, bool) {
	byExt := func(u User, ext []byte) int { return strings.Compare(u.Extension, string(ext)) }
	if slices.IsSortedFunc(users, func(a, b User) int { return strings.Compare(a.Extension, b.Extension) }) {
		return func(ext []byte) (string, bool) {
			i, ok := slices.BinarySearchFunc(users, ext, byExt)
			if !ok {
				return "", false
			}
			for i+1 < len(users) && users[i+1].Extension == string(ext) {
				i++
			}
			return users[i].Name, true
		}
	}
	idx := make([]int32, len(users))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return strings.Compare(users[a].Extension, users[b].Extension) })
	return func(ext []byte) (string, bool) {
		i, ok := slices.BinarySearchFunc(idx, ext, func(j int32, ext []byte) int { return byExt(users[j], ext) })
		if !ok {
			return "", false
		}
		for i+1 < len(idx) && users[idx[i+1]].Extension == string(ext) {
			i++
		}
		return users[idx[i]].Name, true
	}
}

// DialRingsDevice says whether devices.dial rings the device id of
// technology tech ("sip" or "pjsip"). FreePBX rings a device through its
// dial string (core release/16.0 Core::addDevice copies it to the astdb
// DEVICE/<id>/dial, which the dialparties macros dial) and fills an empty
// one with strtoupper(tech)/id; SQL written by hand can leave SIP/1608 on
// a PJSIP device, which then registers and never rings. The string rings
// the device when one of its &-separated channels (app_dial) names this
// device as its driver reads the resource (Asterisk matches a channel
// technology's name without regard to case):
//
//   - PJSIP/<endpoint>[/<aor or URI>], the endpoint optionally as
//     <user>@<endpoint> (chan_pjsip.c request: the resource is cut at the
//     first '/', the request user at '@'): the endpoint must be id, and an
//     AOR named after the '/' must be id too (FreePBX gives the device
//     the AOR of its own name; another AOR's contacts are not this phone).
//     A URI there (sip:, sips:) is dialled as it is: FreePBX's
//     macro-dial-one dials a PJSIP string with '@' or two '/' unexpanded,
//     the admin's way to reach a phone at a fixed address.
//   - SIP/<peer>, SIP/<peer>/<exten>, SIP/<exten>[:secret...]@<peer>,
//     each optionally with !<dnid> (chan_sip.c sip_request_call: cut at
//     '!', then '/', then '@'): the peer must be id.
//
// A string naming no SIP or PJSIP channel at all (Local/..., a custom
// dial) is the admin's and is taken as it is, and so is an empty one.
func DialRingsDevice(dial, tech, id string) bool {
	dial = strings.TrimSpace(dial)
	if dial == "" {
		return true
	}
	names := false
	for _, ch := range strings.Split(dial, "&") {
		t, res, ok := strings.Cut(strings.TrimSpace(ch), "/")
		if !ok {
			continue
		}
		switch {
		case strings.EqualFold(t, "PJSIP"):
			names = true
			if tech == "pjsip" && pjsipRings(res, id) {
				return true
			}
		case strings.EqualFold(t, "SIP"):
			names = true
			if tech == "sip" && sipPeer(res) == id {
				return true
			}
		}
	}
	return !names
}

// pjsipRings: chan_pjsip's resource <endpoint>[/<aor or URI>] rings the
// endpoint and AOR id.
func pjsipRings(res, id string) bool {
	endpoint, target, slash := strings.Cut(res, "/")
	if i := strings.IndexByte(endpoint, '@'); i >= 0 {
		endpoint = endpoint[i+1:] // <request user>@<endpoint>
	}
	if endpoint != id {
		return false
	}
	if !slash || target == "" {
		return true
	}
	lower := strings.ToLower(target)
	if strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:") {
		return true
	}
	return target == id
}

// sipPeer is the peer chan_sip's resource names: the part before the
// first '/' (the rest is the extension), without a !<dnid>, and of
// <exten>[:secret...]@<peer> the part after '@' (chan_sip.c
// sip_request_call, Asterisk 13-20).
func sipPeer(res string) string {
	res, _, _ = strings.Cut(res, "!")
	res, _, _ = strings.Cut(res, "/")
	if _, peer, ok := strings.Cut(res, "@"); ok {
		return peer
	}
	return res
}

// AsteriskValue is a value as Asterisk's config reader takes it from a
// "name=value" line FreePBX wrote: without the bytes below 33 (blanks,
// tabs, control characters) at either end (asterisk main/config.c
// process_text_line: ast_variable_new(..., ast_strip(c), ...);
// include/asterisk/strings.h ast_skip_blanks/ast_trim_blanks, "< 33").
// FreePBX writes a device's sip rows into those lines unchanged (core
// release/16.0 functions.inc.php sip_additional.conf, "secret=" with only
// ';' escaped; drivers/PJSip.class.php "password=").
func AsteriskValue(b []byte) []byte {
	for len(b) > 0 && b[0] < 33 {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] < 33 {
		b = b[:len(b)-1]
	}
	return b
}

// astTrue is Asterisk's ast_true (main/utils.c): yes, true, y, t, 1 or
// on, without regard to case.
func astTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "y", "t", "1", "on":
		return true
	}
	return false
}

func port(s string) int {
	p, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || p < 1 || p > 65535 {
		return 0
	}
	return p
}
