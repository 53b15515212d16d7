package dhcpconf

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strings"
)

// KeaMarker ends the line of each entry MergeKea adds to a Kea file (Kea
// takes // comments), so a later merge knows the entry for its own.
const KeaMarker = "// setup-dhcp"

// MergeKea adds option 150 to a hand-written kea-dhcp4.conf: an option-def
// for code 150 (Kea 2.2 has no standard one) unless the file has one, and
// an entry in Dhcp4's global option-data. Everything else in the file, its
// comments and layout included, stays as it was; the entries added carry
// KeaMarker, so a merge with another server updates them in place and a
// merge with the same server changes nothing. An option-data entry for
// code 150 elsewhere (a subnet, shared network, pool, reservation or
// client class) with another server is a Conflict: Content is then src
// unchanged. Included files (<?include?>, read with opt.ReadFile) are read
// for conflicts, never changed; a Dhcp4 option-def or option-data that is
// itself an include is an error naming it. Sources: Kea ARM, "Custom DHCPv4
// options" (option-def: name, code, type "ipv4-address", array) and
// "Configuration Files Inclusion"; the grammar's comments: dhcp4_lexer.ll.
func MergeKea(path string, src []byte, opt MergeOptions) (MergeResult, error) {
	servers := opt.servers()
	if err := CheckServers(servers); err != nil {
		return MergeResult{}, fmt.Errorf("--tftp-server: %v", err)
	}
	if opt.TakeOver {
		return MergeResult{}, errors.New("--take-over works on ISC dhcpd.conf only: change or remove a Kea file's competing option-data by hand")
	}
	list := joinAddrs(servers, ", ")
	res := MergeResult{Content: src}

	// What Kea reads, includes spliced in: for the definitions and the
	// settings anywhere.
	full := src
	if opt.ReadFile != nil {
		var err error
		if full, err = KeaIncludes(path, src, opt.ReadFile); err != nil {
			return res, err
		}
	}
	var doc struct {
		Dhcp4 map[string]json.RawMessage `json:"Dhcp4"`
	}
	if err := json.Unmarshal(KeaJSON(full), &doc); err != nil {
		return res, fmt.Errorf("%s: not JSON Kea can read: %w", path, err)
	}
	if doc.Dhcp4 == nil {
		return res, fmt.Errorf("%s: no Dhcp4 map: not a kea-dhcp4 configuration", path)
	}
	// A file that answers no phone is refused, as dhcpd's without a
	// subnet is (the run would say "restart" and exit 0 for nothing);
	// what may keep some phones out is told with the change.
	var refuse []string
	for _, b := range keaBlocks(path, doc.Dhcp4) {
		if b.Sure {
			msg := b.String()
			if b.Where != "subnet4" { // its fix names a command of its own
				msg += ", then rerun"
			}
			refuse = append(refuse, msg)
		} else {
			res.Notes = append(res.Notes, b.String())
		}
	}
	name, declared := DefaultOptionName, false
	var defs []map[string]any
	json.Unmarshal(doc.Dhcp4["option-def"], &defs)
	for _, d := range defs {
		if code, _ := d["code"].(float64); code == 150 && keaSpace(d) {
			n, _ := d["name"].(string)
			typ, _ := d["type"].(string)
			if typ != "ipv4-address" {
				return res, fmt.Errorf("%s: option-def %q (code 150) has type %q: phones need ipv4-address; change it by hand", path, n, typ)
			}
			if arr, _ := d["array"].(bool); !arr && len(servers) > 1 {
				return res, fmt.Errorf("%s: option-def %q (code 150) holds one address, not the %d of --tftp-server %s; set \"array\": true in it", path, n, len(servers), list)
			}
			name, declared = n, true
			res.Notes = append(res.Notes, fmt.Sprintf("%s: option 150 is already defined as %s; using that name", path, n))
		}
	}
	res.OptionName = name

	// Where the edit goes (needed only when there is one) and the entry
	// an earlier merge added, if any.
	at, atErr := keaPositions(path, src)
	var ours [2]int
	ourData, hasOurs := "", false
	if atErr == nil {
		if ours, hasOurs = keaOurEntry(src, at.dataEntries); hasOurs {
			var m map[string]any
			json.Unmarshal(KeaJSON(src[ours[0]:ours[1]]), &m)
			ourData, _ = m["data"].(string)
		}
	}

	// Every option-data entry for code 150 (or 66), wherever it is.
	globalOK, shadowed := false, false
	var leftAlone []string
	for _, st := range keaSettings(doc.Dhcp4, name) {
		agrees := sameAddrs(st.Values, servers)
		switch {
		case st.Option == 66:
			if !agrees && (len(st.Values) == 0 || st.Values[0] != servers[0].String()) {
				res.Notes = append(res.Notes, fmt.Sprintf("%s: %s sets option 66 (tftp-server-name) to %q; phones use option 150 first", path, st.Where, st.Data))
			}
		case agrees && st.Global():
			globalOK = true
			res.Notes = append(res.Notes, fmt.Sprintf("%s: option 150 is already %s in Dhcp4's option-data", path, st.Shown()))
		case agrees:
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %s sets option 150 to %s, which agrees", path, st.Where, st.Shown()))
		case st.Class != "" && st.Phones == No:
			// Kea gives a class's options to its members only (Kea ARM,
			// "Client Classification"): a class whose test admits no
			// 79x0 chose other clients, such as another vendor's
			// switches (Juniper's zero-touch), as ISC merge leaves a
			// class's option 66.
			leftAlone = append(leftAlone, fmt.Sprintf("%s: %s sets option 150 to %s for its members, which are no Cisco 79x0 phones; left alone", path, st.Where, st.Shown()))
		case st.Gate != "" && st.Phones == No:
			// A shared network, subnet or pool limited to client classes
			// serves their members only: no phone gets its options.
			leftAlone = append(leftAlone, fmt.Sprintf("%s: %s sets option 150 to %s where only client-class %s may get an address, and no Cisco 79x0 phone is a member; left alone", path, st.Where, st.Shown(), st.Gate))
		case st.Global() && hasOurs && st.Data == ourData:
			// Ours, from an earlier merge: updated below.
		case st.Option == 150 && st.PhonesGet != "":
			// Every 79x0 gets that class's option 150 instead (judged
			// on its own in this loop): this one is the other clients'.
			shadowed = true
			res.Notes = append(res.Notes, fmt.Sprintf("%s: Dhcp4 sets option 150 to %s, which no Cisco 79x0 phone gets: %s, whose member every 79x0 is, sets its own and comes first (Kea's option precedence); left alone", path, st.Shown(), st.PhonesGet))
		default:
			why := ""
			if st.Class != "" {
				// A class's option-data comes before Dhcp4's (Kea ARM,
				// "DHCPv4 option precedence"): its members keep its server.
				why = " (a Cisco 79x0's option 60 makes it a member)"
				if st.Phones == Unknown {
					why = " (its members may be Cisco IP phones: setup-dhcp cannot tell from its test)"
				}
			}
			msg := fmt.Sprintf("%s: %s sets option 150 to %s, not %s%s: change or remove that entry by hand (setup-dhcp edits Dhcp4's own option-data only), then rerun", path, st.Where, st.Shown(), list, why)
			res.Conflicts = append(res.Conflicts, Conflict{File: path, Scope: st.Where, Text: st.Data, Msg: msg})
			res.Warnings = append(res.Warnings, msg)
		}
	}
	if len(refuse) > 0 {
		// With the entries that would need changing too, so one run
		// names everything to fix.
		for _, c := range res.Conflicts {
			refuse = append(refuse, c.Msg)
		}
		return res, fmt.Errorf("%s not changed: %s", path, strings.Join(refuse, "\n"))
	}
	if len(res.Conflicts) > 0 {
		// Told with the refusal (notes are not), so the admin sees
		// which class entries were judged and why they stay.
		res.Warnings = append(res.Warnings, leftAlone...)
	} else {
		res.Notes = append(res.Notes, leftAlone...)
	}
	// Told when the file changes (notes are), not on every quiet rerun.
	res.Notes = append(res.Notes, keaHAPeers(path, doc.Dhcp4)...)
	res.Warnings = append(res.Warnings, keaConfigBackend(path, doc.Dhcp4)...)
	if len(res.Conflicts) > 0 || globalOK || shadowed {
		return res, nil
	}
	// The edit, on the main file's own text: positions in KeaJSON's copy
	// are the same bytes (it blanks comments, keeps every offset).
	if atErr != nil {
		return res, atErr
	}
	dataObj := fmt.Sprintf(`{ "name": %q, "data": %q }`, name, list)
	defObj := fmt.Sprintf(`{ "name": %q, "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4" }`, name)
	// The comma goes before the marker, which comments out the rest of
	// its line.
	line := func(obj, sep string) string { return obj + sep + " " + KeaMarker }
	type insert struct {
		off  int
		text string
	}
	var ins []insert
	var replace *[2]int // our entry from an earlier merge, to be replaced by dataObj
	switch {
	case hasOurs:
		replace = &ours
	case at.data >= 0:
		sep := ","
		if at.dataEmpty {
			sep = ""
		}
		ins = append(ins, insert{at.data, "\n        " + line(dataObj, sep)})
	default:
		sep := at.dhcp4Sep
		if !declared && at.def < 0 {
			sep = "," // option-def follows it
		}
		ins = append(ins, insert{at.dhcp4, "\n    \"option-data\": [\n        " + line(dataObj, "") + "\n    ]" + sep})
	}
	if !declared {
		if at.def >= 0 {
			sep := ","
			if at.defEmpty {
				sep = ""
			}
			ins = append(ins, insert{at.def, "\n        " + line(defObj, sep)})
		} else {
			ins = append(ins, insert{at.dhcp4, "\n    \"option-def\": [\n        " + line(defObj, "") + "\n    ]" + at.dhcp4Sep})
		}
	}
	// Edits from the last offset to the first, so each offset is still
	// that of the original text; at one offset the one listed first ends
	// up first.
	if replace != nil {
		ins = append(ins, insert{replace[0], dataObj})
	}
	order := make([]int, len(ins))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if ins[i].off != ins[j].off {
			return ins[i].off > ins[j].off
		}
		return i > j // the later-listed goes in first, behind the other
	})
	out := append([]byte(nil), src...)
	for _, i := range order {
		e := ins[i]
		// An insertion ends its line (the marker comments out the rest
		// of it): a newline, unless the text after it starts one.
		if strings.HasSuffix(e.text, KeaMarker) && !bytes.HasPrefix(bytes.TrimLeft(src[e.off:], " \t"), []byte("\n")) {
			e.text += "\n"
		}
		end := e.off
		if replace != nil && e.off == replace[0] && e.text == dataObj {
			end = replace[1]
		}
		out = append(append(append([]byte(nil), out[:e.off]...), e.text...), out[end:]...)
	}
	res.Content = out
	return res, nil
}

// keaSpace: an option definition or data entry in the DHCPv4 space (the
// default when "space" is absent).
func keaSpace(m map[string]any) bool {
	s, ok := m["space"].(string)
	return !ok || s == "dhcp4"
}

// keaEntry is an option-data entry and where it is, for messages.
type keaEntry struct {
	where string
	class string // the client class's name, for a class's entry
	// gates are the client classes the enclosing shared network, subnet
	// and pool are limited to ("client-class", Kea 2.2; "client-classes",
	// a list any one of which admits, Kea 2.7 on): a client must be a
	// member of one class of every group to use the scope (Kea ARM,
	// "Limiting Access to IPv4 Subnet to Certain Classes").
	gates [][]string
	m     map[string]any
}

// keaEntries lists every option-data entry under v, where naming the
// path ("Dhcp4", "subnet4 192.0.2.0/24", "reservation 00:11:22:33:44:55").
func keaEntries(dhcp4 map[string]json.RawMessage, where string) []keaEntry {
	var out []keaEntry
	var walk func(v any, where, class string, gates [][]string)
	walk = func(v any, where, class string, gates [][]string) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				list, _ := c.([]any)
				switch k {
				case "option-data":
					for _, e := range list {
						if m, ok := e.(map[string]any); ok {
							out = append(out, keaEntry{where, class, gates, m})
						}
					}
				case "subnet4", "shared-networks", "pools", "reservations", "client-classes":
					for i, e := range list {
						c, g := class, gates
						cm, _ := e.(map[string]any)
						if k == "client-classes" {
							c, _ = cm["name"].(string)
						} else if k != "reservations" {
							g = keaGate(cm, gates)
						}
						walk(e, keaWhere(k, i, e), c, g)
					}
				}
			}
		}
	}
	m := map[string]any{}
	for k, raw := range dhcp4 {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			m[k] = v
		}
	}
	walk(m, where, "", nil)
	return out
}

// keaGate adds the classes a shared network, subnet or pool (m) is
// limited to to the enclosing scope's gates.
func keaGate(m map[string]any, gates [][]string) [][]string {
	var g []string
	if c, ok := m["client-class"].(string); ok && c != "" {
		g = append(g, c)
	}
	if list, ok := m["client-classes"].([]any); ok {
		for _, x := range list {
			if c, ok := x.(string); ok && c != "" {
				g = append(g, c)
			}
		}
	}
	if len(g) == 0 {
		return gates
	}
	return append(append([][]string(nil), gates...), g)
}

// keaWhere names the i-th element of list k for messages.
func keaWhere(k string, i int, e any) string {
	one := map[string]string{"subnet4": "subnet4", "shared-networks": "shared-network", "pools": "pool",
		"reservations": "reservation", "client-classes": "client-class"}[k]
	m, _ := e.(map[string]any)
	for _, f := range []string{"subnet", "name", "pool", "hw-address", "ip-address"} {
		if s, ok := m[f].(string); ok && s != "" {
			return one + " " + s
		}
	}
	return fmt.Sprintf("%s[%d]", k, i)
}

// keaOurEntry finds, among Dhcp4's option-data entries (start, end
// offsets), the one MergeKea wrote: KeaMarker follows it on its line.
func keaOurEntry(src []byte, entries [][2]int) ([2]int, bool) {
	for _, e := range entries {
		rest := src[e[1]:]
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[:i]
		}
		if bytes.Contains(rest, []byte(KeaMarker)) && bytes.Contains(src[e[0]:e[1]], []byte(`"data"`)) {
			return e, true
		}
	}
	return [2]int{}, false
}

// keaAt is where MergeKea edits the main file: just after Dhcp4's "{" and
// just after the "[" of its option-def and option-data (-1: no such key);
// each array's emptiness; the offsets of option-data's entries; and what
// must follow a key added first in Dhcp4 ("," unless the map is empty).
type keaAt struct {
	dhcp4, def, data    int
	defEmpty, dataEmpty bool
	dataEntries         [][2]int
	dhcp4Sep            string
}

// keaPositions walks the main file's tokens (its includes left as they
// are: one standing for Dhcp4's option-def or option-data is an error).
func keaPositions(path string, src []byte) (keaAt, error) {
	at := keaAt{dhcp4: -1, def: -1, data: -1}
	clean := keaInclude.ReplaceAllFunc(KeaJSON(src), func(m []byte) []byte {
		return append([]byte("null"), bytes.Repeat([]byte(" "), len(m)-4)...)
	})
	dec := json.NewDecoder(bytes.NewReader(clean))
	tok := func() (json.Token, error) {
		t, err := dec.Token()
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return t, err
	}
	// skip reads one whole value whose first token is t.
	var skip func(t json.Token) error
	skip = func(t json.Token) error {
		d, ok := t.(json.Delim)
		if !ok || d == '}' || d == ']' {
			return nil
		}
		for dec.More() {
			if d == '{' {
				if _, err := tok(); err != nil { // key
					return err
				}
			}
			v, err := tok()
			if err != nil {
				return err
			}
			if err := skip(v); err != nil {
				return err
			}
		}
		_, err := tok() // closing delimiter
		return err
	}
	start := func() int { // offset of the next token
		off := int(dec.InputOffset())
		for off < len(clean) && strings.IndexByte(" \t\r\n,:", clean[off]) >= 0 {
			off++
		}
		return off
	}
	// pair reads a map's next key and the first token of its value.
	pair := func() (string, json.Token, error) {
		k, err := tok()
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", path, err)
		}
		v, err := tok()
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", path, err)
		}
		key, _ := k.(string)
		return key, v, nil
	}
	if t, err := tok(); err != nil || t != json.Delim('{') {
		return at, fmt.Errorf("%s: not a JSON object", path)
	}
	for dec.More() {
		k, v, err := pair()
		if err != nil {
			return at, err
		}
		if k != "Dhcp4" {
			if err := skip(v); err != nil {
				return at, fmt.Errorf("%s: %w", path, err)
			}
			continue
		}
		if v != json.Delim('{') {
			return at, fmt.Errorf("%s: Dhcp4 is not a map in this file (an include?): add option 150 by hand", path)
		}
		at.dhcp4 = int(dec.InputOffset())
		at.dhcp4Sep = ""
		if dec.More() {
			at.dhcp4Sep = ","
		}
		for dec.More() {
			key, v, err := pair()
			if err != nil {
				return at, err
			}
			if key != "option-def" && key != "option-data" {
				if err := skip(v); err != nil {
					return at, fmt.Errorf("%s: %w", path, err)
				}
				continue
			}
			if v != json.Delim('[') {
				return at, fmt.Errorf("%s: Dhcp4's %s is not a list in this file (an include?): add option 150 there by hand", path, key)
			}
			pos, empty := int(dec.InputOffset()), !dec.More()
			for dec.More() {
				s := start()
				e, err := tok()
				if err != nil {
					return at, fmt.Errorf("%s: %w", path, err)
				}
				if err := skip(e); err != nil {
					return at, fmt.Errorf("%s: %w", path, err)
				}
				if key == "option-data" {
					at.dataEntries = append(at.dataEntries, [2]int{s, int(dec.InputOffset())})
				}
			}
			if _, err := tok(); err != nil { // ]
				return at, fmt.Errorf("%s: %w", path, err)
			}
			if key == "option-def" {
				at.def, at.defEmpty = pos, empty
			} else {
				at.data, at.dataEmpty = pos, empty
			}
		}
		return at, nil
	}
	return at, fmt.Errorf("%s: no Dhcp4 map in this file (an include?): add option 150 by hand", path)
}

// SplitList splits a comma-separated list of values (Kea's option data,
// dnsmasq's dhcp-option), each trimmed, empty ones left out.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// HexAddrs reads option data given as hex ("C0000282", "c0:00:02:82",
// "0xC0000282"; Kea's "csv-format": false) as IPv4 addresses, four bytes
// each; data that is not whole addresses comes back as it is, so it
// matches no server.
func HexAddrs(v string) []string {
	v = strings.NewReplacer(":", "", " ", "", "0x", "", "0X", "").Replace(strings.TrimSpace(v))
	b, err := hex.DecodeString(v)
	if err != nil || len(b) == 0 || len(b)%4 != 0 {
		return []string{v}
	}
	var out []string
	for i := 0; i < len(b); i += 4 {
		out = append(out, netip.AddrFrom4([4]byte(b[i:i+4])).String())
	}
	return out
}

// sameAddrs says whether vals name exactly servers, in order.
func sameAddrs(vals []string, servers []netip.Addr) bool {
	if len(vals) != len(servers) {
		return false
	}
	for i, v := range vals {
		if a, err := netip.ParseAddr(v); err != nil || a != servers[i] {
			return false
		}
	}
	return true
}

// keaConfigBackend names a configuration backend the file reads its
// configuration from (Kea ARM, "Configuration Backend in DHCPv4":
// "config-control" with "config-databases"; the MySQL or PostgreSQL
// config backend hook). Kea merges the database's subnets, shared
// networks, classes and option-data into the file's at start and on each
// config fetch, so an option 150 set there is never seen here.
func keaConfigBackend(path string, dhcp4 map[string]json.RawMessage) []string {
	var cc struct {
		DBs []map[string]any `json:"config-databases"`
	}
	if json.Unmarshal(dhcp4["config-control"], &cc) != nil || len(cc.DBs) == 0 {
		return nil
	}
	var dbs []string
	for _, db := range cc.DBs {
		t, _ := db["type"].(string)
		n, _ := db["name"].(string)
		h, _ := db["host"].(string)
		d := t + " database " + n
		if h != "" {
			d += " on " + h
		}
		dbs = append(dbs, d)
	}
	return []string{fmt.Sprintf("%s: config-control reads more configuration from config-databases (%s): its subnets, shared networks, client classes and option-data were not read, so an option 150 set there (it may take precedence over this file's) was not checked; look there for option code 150 (cb_cmds: remote-option4-global-get, remote-subnet4-list, or Stork)", path, strings.Join(dbs, ", "))}
}
