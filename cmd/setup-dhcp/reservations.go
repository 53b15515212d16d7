package main

import (
	"context"
	"errors"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// loadReservations reads the phone inventory (MAC, optional fixed address)
// that --reservations turns into host entries, using o.dbDSN,
// o.freepbxConf, o.amportal and o.config to reach the FreePBX database.
func loadReservations(ctx context.Context, o *options) ([]dhcpconf.Reservation, error) {
	return nil, errors.New("reservations: database support not wired yet")
}
