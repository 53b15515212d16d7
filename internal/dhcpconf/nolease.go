package dhcpconf

import "fmt"

// PhonesGetNoLease says where this dhcpd.conf leases a 79x0 without a
// host entry no address (so no option 150 either), each "file:line: ..."
// with what to do: a subnet whose ranges all serve known clients only
// (KnownOnly), whose every range is in a pool that admits no phone
// (NoPhonePool), or a file without any range (NoRange). Where the file
// declares hosts of its own (pfSense's static mappings; for NoPhonePool
// and NoRange hosts with a fixed-address), the phones may be among them,
// which only --reservations could tell: then the entry is a note, else a
// warning. setup-dhcp --merge without --reservations tells these, and
// doctor reports the warnings as problems.
func (in *Inspection) PhonesGetNoLease() (warnings, notes []string) {
	to := &warnings
	if declaresHosts(in) {
		to = &notes
	}
	for _, w := range in.KnownOnly {
		*to = append(*to, fmt.Sprintf("%s: warning: its subnet's addresses go to known clients only (clients with a host declaration): a phone without a host entry gets no lease, and no option 150; add the phones' host entries with --reservations", w))
	}
	// Only a host with a fixed-address gets a lease: a note where the
	// file gives hosts fixed addresses (they may be the phones).
	to = &warnings
	if declaresFixedHosts(in) {
		to = &notes
	}
	for _, w := range in.NoPhonePool {
		*to = append(*to, fmt.Sprintf("%s: warning: this pool admits no Cisco 79x0 phone (option 60 %q), and its subnet has no other range: dhcpd leases the phones no address there, and no option 150; add a range the phones may use, or give each phone an address (setup-cisco phone set MAC --ip ADDRESS) and add their host entries with --reservations", w, CiscoPhoneVendorClasses[0]))
	}
	for _, w := range in.NoRange {
		*to = append(*to, fmt.Sprintf("%s has no range statement, nor has any other scope of the file: dhcpd leases addresses only to hosts declared with a fixed-address, so a phone without such a host entry gets no lease, and no option 150; give each phone an address (setup-cisco phone set MAC --ip ADDRESS) and add their host entries with --reservations, or add a range", w))
	}
	return warnings, notes
}
