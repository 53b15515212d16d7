package dhcpconf

import (
	"encoding/json"
	"fmt"
	"strings"
)

// KeaSetting is one option-data entry for option 150 or 66 in a
// kea-dhcp4 configuration, where it stands.
type KeaSetting struct {
	Option int      // 150 or 66
	Where  string   // "Dhcp4", "subnet4 10.77.0.0/24", "client-class Cisco-Phone", ...
	Data   string   // the entry's data as written
	Values []string // its values; for option 150 written as hex bytes ("csv-format": false) the addresses they hold
	Hex    bool     // written as hex bytes
	Class  string   // the client class whose entry it is, "" for any other scope
	// Gate names the client classes the enclosing shared network, subnet
	// or pool is limited to ("client-class"), "" when none is.
	Gate string
	// Phones, for a class's entry or one under a Gate: whether a 79x0
	// phone can get it, being a member of the class and of a gating class
	// of every limited scope around it (KeaClassHoldsPhones); Unknown for
	// other entries.
	Phones Tri
	// PhonesGet, for an option 150 entry of Dhcp4's own option-data:
	// "client-class NAME" when that class, which every 79x0 is a member
	// of (KeaClassHoldsAllPhones), sets option 150 itself: a class's
	// option-data comes before Dhcp4's (Kea ARM, "DHCPv4 option
	// precedence": reservation, pool, subnet, shared network, class,
	// global), so no phone gets this entry; "" otherwise.
	PhonesGet string
}

// Global: an entry of Dhcp4's own option-data.
func (s KeaSetting) Global() bool { return s.Where == "Dhcp4" }

// Shown is the entry's value for messages: addresses, with the hex form
// the file has after them ("10.77.0.20 (written 0A4D0014)").
func (s KeaSetting) Shown() string {
	if s.Hex {
		return fmt.Sprintf("%s (written %s)", strings.Join(s.Values, ", "), s.Data)
	}
	return s.Data
}

// KeaOptions reads a kea-dhcp4 configuration (its includes already
// spliced in, KeaIncludes): the name Dhcp4's option-def gives code 150
// ("" when none does) and every option 150 and 66 entry, in any scope.
// Errors: the text is not JSON Kea reads, or has no Dhcp4 map.
func KeaOptions(src []byte) (name string, settings []KeaSetting, err error) {
	var doc struct {
		Dhcp4 map[string]json.RawMessage `json:"Dhcp4"`
	}
	if err := json.Unmarshal(KeaJSON(src), &doc); err != nil {
		return "", nil, fmt.Errorf("not JSON Kea can read: %w", err)
	}
	if doc.Dhcp4 == nil {
		return "", nil, fmt.Errorf("no Dhcp4 map: not a kea-dhcp4 configuration")
	}
	var defs []map[string]any
	json.Unmarshal(doc.Dhcp4["option-def"], &defs)
	for _, d := range defs {
		if code, _ := d["code"].(float64); code == 150 && keaSpace(d) {
			name, _ = d["name"].(string)
		}
	}
	return name, keaSettings(doc.Dhcp4, name), nil
}

// keaSettings lists the option 150 entries (by code, or by name, the
// name Dhcp4's option-def gives code 150) and option 66 entries under
// Dhcp4, each class's judged by KeaClassHoldsPhones.
func keaSettings(dhcp4 map[string]json.RawMessage, name string) []KeaSetting {
	classes := map[string]map[string]any{}
	var list []map[string]any
	json.Unmarshal(dhcp4["client-classes"], &list)
	for _, c := range list {
		if n, ok := c["name"].(string); ok {
			classes[n] = c
		}
	}
	var out []KeaSetting
	for _, e := range keaEntries(dhcp4, "Dhcp4") {
		code, _ := e.m["code"].(float64)
		n, _ := e.m["name"].(string)
		data, _ := e.m["data"].(string)
		is150 := (code == 150 || n == name && name != "") && keaSpace(e.m)
		is66 := (code == 66 || n == Option66Name) && keaSpace(e.m)
		if !is150 && !is66 {
			continue
		}
		s := KeaSetting{Option: 66, Where: e.where, Data: data, Values: SplitList(data), Class: e.class}
		if is150 {
			s.Option = 150
			if csv, ok := e.m["csv-format"].(bool); ok && !csv {
				s.Hex, s.Values = true, HexAddrs(data)
			}
		}
		judged := s.Class != ""
		if judged {
			s.Phones = KeaClassHoldsPhones(classes, s.Class)
		}
		var gate []string
		for _, g := range e.gates {
			t := No
			for _, c := range g {
				t = t.or(KeaClassHoldsPhones(classes, c))
			}
			if judged {
				s.Phones = s.Phones.and(t)
			} else {
				s.Phones, judged = t, true
			}
			gate = append(gate, strings.Join(g, " or "))
		}
		s.Gate = strings.Join(gate, " and ")
		out = append(out, s)
	}
	keaShadowed(out, list)
	return out
}

// keaShadowed sets PhonesGet on Dhcp4's option 150 entries: the first
// class (in client-classes order, the order Kea classifies in) every
// 79x0 is a member of that sets option 150 in its own option-data.
func keaShadowed(settings []KeaSetting, classList []map[string]any) {
	classes := map[string]map[string]any{}
	for _, c := range classList {
		if n, ok := c["name"].(string); ok {
			classes[n] = c
		}
	}
	by := ""
	for _, c := range classList {
		n, _ := c["name"].(string)
		for _, st := range settings {
			if by == "" && st.Option == 150 && st.Class == n && st.Gate == "" && KeaClassHoldsAllPhones(classes, n) {
				by = "client-class " + n
			}
		}
	}
	if by == "" {
		return
	}
	for i := range settings {
		if settings[i].Option == 150 && settings[i].Global() {
			settings[i].PhonesGet = by
		}
	}
}
