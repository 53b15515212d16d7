package dhcpconf

import "encoding/json"

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
