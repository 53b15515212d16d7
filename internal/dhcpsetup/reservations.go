package dhcpsetup

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/setup-cisco/setup-cisco/internal/dbconf"
	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/provision"
)

// LoadReservations reads setup-cisco's phone inventory (ours and the
// Endpoint Manager's) from the FreePBX database: one host entry per phone,
// with the fixed address set by `setup-cisco phone set MAC --ip`. Rows the
// inventory cannot use (a malformed MAC, say) get no entry and are named on
// warn. A phone whose lines FreePBX rejects (a run leaves its files as they
// were) keeps its entry: dropping it would move the phone to a dynamic
// address for a problem that has nothing to do with DHCP.
func LoadReservations(ctx context.Context, db dbconf.Options, warn io.Writer) ([]dhcpconf.Reservation, error) {
	inv, err := provision.StoredInventory(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("--reservations: %w", err)
	}
	res := []dhcpconf.Reservation{}
	for _, p := range inv.Phones {
		r, err := reservation(p)
		if err != nil {
			return nil, fmt.Errorf("--reservations: phone %s: %w", p.MAC, err)
		}
		res = append(res, r)
	}
	for _, p := range inv.Problems {
		fmt.Fprintf(warn, "setup-dhcp: warning: %v (no host entry)\n", p)
	}
	return res, nil
}

func reservation(p inventory.Phone) (dhcpconf.Reservation, error) {
	hw, err := net.ParseMAC(p.MAC.Colon())
	if err != nil {
		return dhcpconf.Reservation{}, err
	}
	r := dhcpconf.Reservation{MAC: hw, Name: fmt.Sprintf("Cisco %s", p.Model)}
	if len(p.Lines) > 0 {
		r.Name += " ext " + p.Lines[0].Ext
	}
	if p.IP != "" {
		if r.IP, err = dhcpconf.ParseIPv4(p.IP); err != nil {
			return r, fmt.Errorf("fixed address: %w", err)
		}
	}
	return r, nil
}
