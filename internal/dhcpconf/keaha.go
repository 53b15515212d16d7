package dhcpconf

import (
	"encoding/json"
	"fmt"
	"strings"
)

// keaHAPeers names, for a kea-dhcp4 configuration that loads the High
// Availability hook (libdhcp_ha.so), every other server of its HA
// relationships: each answers DHCP requests (load-balancing: about half
// the clients; hot-standby: all of them once this one fails; a backup
// after it is promoted by hand) from its own configuration file, so it
// needs the same option 150. Source: Kea ARM, "libdhcp_ha.so: High
// Availability Outage Resilience" (parameters high-availability,
// this-server-name, mode, peers with name, url, role).
func keaHAPeers(path string, dhcp4 map[string]json.RawMessage) []string {
	var hooks []struct {
		Library    string `json:"library"`
		Parameters struct {
			HA []struct {
				This  string `json:"this-server-name"`
				Mode  string `json:"mode"`
				Peers []struct {
					Name string `json:"name"`
					URL  string `json:"url"`
					Role string `json:"role"`
				} `json:"peers"`
			} `json:"high-availability"`
		} `json:"parameters"`
	}
	json.Unmarshal(dhcp4["hooks-libraries"], &hooks)
	var out []string
	for _, h := range hooks {
		if !strings.HasSuffix(h.Library, "libdhcp_ha.so") {
			continue
		}
		for _, rel := range h.Parameters.HA {
			var others []string
			for _, p := range rel.Peers {
				if p.Name == rel.This {
					continue
				}
				others = append(others, fmt.Sprintf("%s (%s, %s)", p.Name, p.Role, p.URL))
			}
			if len(others) == 0 {
				continue
			}
			mode := rel.Mode
			if mode == "" {
				mode = "high-availability"
			}
			out = append(out, fmt.Sprintf("%s: this server (%s) is one of a Kea HA %s pair: its peer %s answers phones from its own configuration; give it the same option 150 (run setup-dhcp --merge there too)",
				path, rel.This, mode, strings.Join(others, ", peer ")))
		}
	}
	return out
}
