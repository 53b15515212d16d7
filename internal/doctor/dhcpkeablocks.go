package doctor

import "strings"

// keaBlockFindings reports what keeps a Kea file from answering phones at
// all (dhcpconf.KeaPhoneBlocks, the rule setup-dhcp --format kea --merge
// refuses a file by): an empty interfaces list, no subnet, a DROP class
// that takes the phones, no pool for a phone without a reservation. Sure
// blocks are problems; the others (a DROP test or reservations doctor
// cannot judge) notes.
func keaBlockFindings(path string, o DHCPOptions) []Finding {
	var fs []Finding
	for _, b := range o.KeaBlocks {
		msg := strings.TrimPrefix(strings.TrimPrefix(b.What, path+": "), path+" ")
		if b.Sure {
			fs = append(fs, problem(path, b.Fix, "%s", msg))
		} else {
			fs = append(fs, note(path, "%s; %s", msg, b.Fix))
		}
	}
	return fs
}
