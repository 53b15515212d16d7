package main

import (
	"context"
	"database/sql"

	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// withFlags binds a subcommand's flag struct to its run function, so a
// command table entry names the function instead of wrapping it by hand.
func withFlags[F any](f *F, run func(context.Context, *globals, *F, []string) int) func(context.Context, *globals, []string) int {
	return func(ctx context.Context, g *globals, args []string) int { return run(ctx, g, f, args) }
}

// takesNoArgs reports "NAME: takes no arguments" and returns false when args is
// not empty; the caller picks the exit code.
func takesNoArgs(g *globals, name string, args []string) bool {
	if len(args) != 0 {
		g.errorf("%s: takes no arguments", name)
		return false
	}
	return true
}

// macArg returns the single MAC argument of a phone subcommand, reporting
// want (the usage complaint) when there is not exactly one, or the parse
// error when it is not a MAC address.
func macArg(g *globals, args []string, want string) (macaddr.MAC, bool) {
	if len(args) != 1 {
		g.errorf("%s", want)
		return "", false
	}
	return parseMAC(g, args[0])
}

// readFreePBX reads FreePBX's users and devices, reporting the error.
func readFreePBX(ctx context.Context, g *globals, db *sql.DB, have map[string]bool) (freepbx.Data, bool) {
	pbx, err := freepbx.Read(ctx, db, have)
	if err != nil {
		g.errorf("%v", err)
		return freepbx.Data{}, false
	}
	return pbx, true
}

// loadInventory loads setup-cisco's and the Endpoint Manager's phones,
// reporting the error.
func loadInventory(ctx context.Context, g *globals, db *sql.DB, have map[string]bool) (inventory.Inventory, bool) {
	inv, err := inventory.Load(ctx, db, have)
	if err != nil {
		g.errorf("%v", err)
		return inventory.Inventory{}, false
	}
	return inv, true
}
