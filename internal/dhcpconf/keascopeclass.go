package dhcpconf

import "encoding/json"

// KeaScopePhones maps each shared network, subnet4, pool and reservation
// of a kea-dhcp4 configuration (its includes spliced in, KeaIncludes)
// that 79x0 phones cannot use, named as KeaSetting.Where names it, to No;
// a scope limited to client classes whose judgement cannot be made maps
// to Unknown. A scope limited by "client-class" (Kea 2.2) or
// "client-classes" (Kea 2.6 on: a member of any of them) is used only by
// members (Kea ARM, "Limiting Access to IPv4 Subnet to Certain Classes");
// what lies inside such a scope is limited with it. Classes are judged by
// KeaClassHoldsPhones. Scopes open to phones are left out.
func KeaScopePhones(src []byte) map[string]Tri {
	var doc struct {
		Dhcp4 map[string]any `json:"Dhcp4"`
	}
	out := map[string]Tri{}
	if json.Unmarshal(KeaJSON(src), &doc) != nil || doc.Dhcp4 == nil {
		return out
	}
	classes := map[string]map[string]any{}
	list, _ := doc.Dhcp4["client-classes"].([]any)
	for _, c := range list {
		if m, ok := c.(map[string]any); ok {
			if n, ok := m["name"].(string); ok {
				classes[n] = m
			}
		}
	}
	var walk func(m map[string]any, outer Tri)
	walk = func(m map[string]any, outer Tri) {
		for _, k := range []string{"shared-networks", "subnet4", "pools", "reservations"} {
			list, _ := m[k].([]any)
			for i, e := range list {
				em, ok := e.(map[string]any)
				if !ok {
					continue
				}
				t := outer
				if k != "reservations" { // a reservation's client-classes are given, not required
					t = t.and(scopeLimit(classes, em))
				}
				if t != Yes {
					out[keaWhere(k, i, e)] = t
				}
				walk(em, t)
			}
		}
	}
	walk(doc.Dhcp4, Yes)
	return out
}

// scopeLimit: whether a phone may use the scope m by its own class limit
// (Yes when it has none).
func scopeLimit(classes map[string]map[string]any, m map[string]any) Tri {
	var names []string
	if c, ok := m["client-class"].(string); ok && c != "" {
		names = append(names, c)
	}
	if l, ok := m["client-classes"].([]any); ok {
		for _, c := range l {
			if s, ok := c.(string); ok {
				names = append(names, s)
			}
		}
	}
	if len(names) == 0 {
		return Yes
	}
	t := No
	for _, n := range names {
		t = t.or(KeaClassHoldsPhones(classes, n))
	}
	return t
}

// KeaHAPeerNotes names, for doctor, the High Availability peers of a
// kea-dhcp4 configuration (its includes spliced in) as setup-dhcp's merge
// does (keaHAPeers): each answers phones from its own file.
func KeaHAPeerNotes(path string, src []byte) []string {
	var doc struct {
		Dhcp4 map[string]json.RawMessage `json:"Dhcp4"`
	}
	if json.Unmarshal(KeaJSON(src), &doc) != nil {
		return nil
	}
	return keaHAPeers(path, doc.Dhcp4)
}
