package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/setup-cisco/setup-cisco/internal/phonecheck"
	"github.com/setup-cisco/setup-cisco/internal/provision"
)

// phoneList prints the inventory as a table, with the problems a run would
// report for it (exit 1 when there are any).
func phoneList(ctx context.Context, g *globals, args []string) int {
	if !takesNoArgs(g, "phone list", args) {
		return exitFatal
	}
	return withDB(ctx, g, func(db *sql.DB, have map[string]bool) int {
		inv, ok := loadInventory(ctx, g, db, have)
		if !ok {
			return exitFatal
		}
		// The run's own checks against FreePBX: the list shows the
		// problems a run would report, and exits 1 for them.
		pbx, ok := readFreePBX(ctx, g, db, have)
		if !ok {
			return exitFatal
		}
		inv = phonecheck.Inventory(inv, pbx)
		tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MAC\tMODEL\tSOURCE\tLINES\tIMAGE\tIP\tLABEL")
		for _, p := range inv.Phones {
			var lines []string
			for _, l := range p.Lines {
				lines = append(lines, fmt.Sprintf("%d:%s", l.N, l.Ext))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.MAC, p.Model, p.Source, strings.Join(lines, ","),
				dash(p.Image), dash(p.IP), dash(p.Label))
		}
		tw.Flush()
		// Phones gone from the inventory whose reset SIP<MAC>.cnf the
		// runs keep (internal/provision/retire.go).
		root, retired, err := provision.Retired(g.provisionOptions(), inv)
		if err != nil {
			g.errorf("retired phones: %v", err)
			return exitFatal
		}
		for _, mac := range retired {
			fmt.Fprintf(g.stdout, "retired: %s: %s/SIP%s.cnf has every line key empty so the phone stops registering; `setup-cisco phone forget %s` deletes it\n", mac, root, mac, mac)
		}
		for _, n := range inv.Notes {
			fmt.Fprintln(g.stdout, "note:", n)
		}
		for _, w := range inv.Warnings {
			g.errorf("warning: %s", w)
		}
		for _, p := range inv.Problems {
			g.errorf("%v", p)
		}
		if len(inv.Problems) > 0 {
			return exitBadRows
		}
		return exitOK
	})
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
