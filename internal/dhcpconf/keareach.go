package dhcpconf

import (
	"encoding/json"
	"fmt"
	"strings"
)

// KeaBlock is something in a kea-dhcp4 configuration that keeps Cisco
// 79x0 phones from getting an address, whatever its option 150 says.
type KeaBlock struct {
	Where string // "interfaces-config", "subnet4", "client-class DROP", "pools"
	What  string // what it does to the phones, naming the file
	Fix   string // what the admin does about it
	// Sure: no phone is answered. Otherwise some may not be (a class
	// whose test setup-dhcp cannot judge; pools for reserved clients
	// only, where the file's reservations may be the phones').
	Sure bool
}

// String is the block as one message.
func (b KeaBlock) String() string { return b.What + "; " + b.Fix }

// KeaPhoneBlocks reads a kea-dhcp4 configuration (its includes already
// spliced in, KeaIncludes) for what keeps phones from being answered,
// the rule setup-dhcp --format kea --merge refuses a file by and doctor
// reports; nil for text that is not a Kea configuration.
func KeaPhoneBlocks(path string, src []byte) []KeaBlock {
	var doc struct {
		Dhcp4 map[string]json.RawMessage `json:"Dhcp4"`
	}
	if json.Unmarshal(KeaJSON(src), &doc) != nil || doc.Dhcp4 == nil {
		return nil
	}
	return keaBlocks(path, doc.Dhcp4)
}

// keaBlocks finds, in Dhcp4's map:
//   - an empty interfaces-config "interfaces" list (or none at all): Kea
//     opens no socket and answers nobody (Kea ARM, "Interface
//     Configuration"; kea-dhcp4 2.2.0 logs DHCPSRV_NO_SOCKETS_OPEN on
//     Debian 12's stock kea-dhcp4.conf, whose header says so too);
//   - no subnet in subnet4 nor in any shared network: Kea answers no
//     client of a network it has no subnet for;
//   - the special client class DROP (Kea ARM, "Client Classification":
//     a request that is a member of DROP is dropped unanswered) when its
//     test admits a 79x0's request (KeaClassHoldsPhones);
//   - no pool a phone without a reservation may use: every subnet
//     without pools (Kea ARM, "Host Reservations in DHCPv4": a client
//     without one gets an address from a pool only), or every pool
//     limited to client classes no such phone is a member of ("KNOWN",
//     the built-in class of clients with a reservation; kea-dhcp4 2.2.0
//     logs ALLOC_ENGINE_V4_ALLOC_FAIL_NO_POOLS or _FAIL_CLASSES).
//
// Subnets and pools from a configuration backend (config-control) or the
// subnet_cmds hook are not seen: then no subnet or pool block is named.
func keaBlocks(path string, dhcp4 map[string]json.RawMessage) []KeaBlock {
	var out []KeaBlock
	var ifc struct {
		Interfaces []string `json:"interfaces"`
	}
	json.Unmarshal(dhcp4["interfaces-config"], &ifc)
	listens := false
	for _, i := range ifc.Interfaces {
		listens = listens || strings.TrimSpace(i) != ""
	}
	if !listens {
		out = append(out, KeaBlock{Where: "interfaces-config", Sure: true,
			What: fmt.Sprintf("%s: interfaces-config lists no interface (\"interfaces\": [ ]): kea-dhcp4 opens no socket (it logs DHCPSRV_NO_SOCKETS_OPEN) and answers no client, so no phone gets an address or option 150", path),
			Fix:  `list the interface of the phones' network in it ("interfaces": [ "eth0" ], or [ "*" ] for every interface)`})
	}

	var classes []map[string]any
	json.Unmarshal(dhcp4["client-classes"], &classes)
	byName := map[string]map[string]any{}
	for _, c := range classes {
		if n, ok := c["name"].(string); ok {
			byName[n] = c
		}
	}
	if c, ok := byName["DROP"]; ok {
		test, _ := c["test"].(string)
		switch KeaClassHoldsPhones(byName, "DROP") {
		case Yes:
			out = append(out, KeaBlock{Where: "client-class DROP", Sure: true,
				What: fmt.Sprintf("%s: client-class DROP (test %q) takes the requests of Cisco 79x0 phones (option 60 \"%s\"): kea-dhcp4 drops every request of class DROP unanswered, so those phones get no address and no option 150", path, test, strings.Join(keaClassPhoneModels(byName, "DROP"), `", "`)),
				Fix:  "change that class's test so it leaves the phones out (or remove the class)"})
		case Unknown:
			out = append(out, KeaBlock{Where: "client-class DROP",
				What: fmt.Sprintf("%s: client-class DROP (test %q) may take Cisco 79x0 phones' requests (setup-dhcp cannot tell from its test): kea-dhcp4 drops every request of class DROP unanswered", path, test),
				Fix:  "make sure its test leaves the phones out"})
		}
	}

	if keaElsewhere(dhcp4) {
		return out
	}
	var subnets []map[string]any
	var gates [][][]string // each subnet's gates (its shared network's and its own)
	add := func(raw any, outer [][]string) {
		list, _ := raw.([]any)
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				subnets = append(subnets, m)
				gates = append(gates, keaGate(m, outer))
			}
		}
	}
	var top map[string]any
	json.Unmarshal(mustJSON(dhcp4), &top)
	add(top["subnet4"], nil)
	nets, _ := top["shared-networks"].([]any)
	for _, n := range nets {
		if m, ok := n.(map[string]any); ok {
			add(m["subnet4"], keaGate(m, nil))
		}
	}
	if len(subnets) == 0 {
		out = append(out, KeaBlock{Where: "subnet4", Sure: true,
			What: fmt.Sprintf("%s declares no subnet (subnet4 is empty, and no shared network holds one): kea-dhcp4 answers no client of a network it has no subnet for, so option 150 reaches no phone", path),
			Fix:  fmt.Sprintf("add the phones' subnet (with a pool) to subnet4, or write a whole file for one subnet instead (without --merge): setup-dhcp --format kea --tftp-server SERVER --subnet NET/LEN --router ADDR --range FIRST-LAST --out %s", path)})
		return out
	}
	// A pool a phone without a reservation may take an address from.
	var why []string
	for i, s := range subnets {
		name := keaWhere("subnet4", i, s)
		pools, _ := s["pools"].([]any)
		var gated []string
		open := false
		for _, p := range pools {
			pm, _ := p.(map[string]any)
			if r, _ := pm["pool"].(string); strings.TrimSpace(r) == "" {
				continue
			}
			t, g := Yes, keaGate(pm, gates[i])
			for _, group := range g {
				u := No
				for _, c := range group {
					u = u.or(keaClassAdmitsUnreserved(byName, c))
				}
				t = t.and(u)
			}
			if t != No {
				open = true
				break
			}
			var names []string
			for _, group := range g {
				names = append(names, strings.Join(group, " or "))
			}
			gated = append(gated, strings.Join(names, " and "))
		}
		switch {
		case open:
			return out
		case len(gated) == 0:
			why = append(why, name+" has no pool")
		default:
			why = append(why, fmt.Sprintf("%s's pools are for client-class %s only", name, strings.Join(uniq(gated), ", ")))
		}
	}
	what := fmt.Sprintf("%s: no pool gives an address to a client without a reservation (%s): a Cisco phone without a reservation gets no lease, and no option 150", path, strings.Join(why, "; "))
	fix := "give each phone a reservation (its hw-address) in the phones' subnet by hand (setup-dhcp --reservations adds them to a whole file it writes, not to a merged one; --format kea --reservations --dry-run shows them), or a pool open to them"
	if !keaReserves(top) {
		out = append(out, KeaBlock{Where: "pools", Sure: true, What: what + ", and the file reserves no address for any client", Fix: fix})
	} else {
		out = append(out, KeaBlock{Where: "pools", What: what + " (the file's reservations may be the phones': setup-dhcp cannot tell)", Fix: fix})
	}
	return out
}

// keaElsewhere: subnets and pools may come from outside the file: a
// configuration backend (Kea ARM, "Configuration Backend in DHCPv4") or
// the subnet_cmds hook's commands.
func keaElsewhere(dhcp4 map[string]json.RawMessage) bool {
	var cc struct {
		DBs []json.RawMessage `json:"config-databases"`
	}
	if json.Unmarshal(dhcp4["config-control"], &cc) == nil && len(cc.DBs) > 0 {
		return true
	}
	var hooks []struct {
		Library string `json:"library"`
	}
	json.Unmarshal(dhcp4["hooks-libraries"], &hooks)
	for _, h := range hooks {
		if strings.HasSuffix(h.Library, "libdhcp_subnet_cmds.so") {
			return true
		}
	}
	return false
}

// keaReserves: the configuration may give some client a reservation: one
// in Dhcp4's, a shared network's or a subnet's "reservations", or a host
// database (hosts-database, hosts-databases; Kea ARM, "Hosts Storage").
func keaReserves(top map[string]any) bool {
	if top["hosts-database"] != nil || top["hosts-databases"] != nil {
		return true
	}
	var walk func(v any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["reservations"].([]any); ok && len(r) > 0 {
				return true
			}
			for _, k := range []string{"subnet4", "shared-networks"} {
				if walk(v[k]) {
					return true
				}
			}
		case []any:
			for _, e := range v {
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(top)
}

func mustJSON(m map[string]json.RawMessage) []byte {
	b, _ := json.Marshal(m)
	return b
}

func uniq(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
