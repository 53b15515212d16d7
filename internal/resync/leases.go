package resync

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/isc"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// ReadLeases reads an ISC dhcpd leases file and returns the address each
// MAC holds now. dhcpd appends a lease block whenever a lease changes, so
// the last block for an address tells its state; of the addresses a MAC
// holds in state active, the one whose lease started last wins.
func ReadLeases(path string) (map[macaddr.MAC]netip.Addr, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blocks, err := parseLeases(path, data)
	if err != nil {
		return nil, err
	}
	last := map[netip.Addr]lease{}
	order := map[netip.Addr]int{}
	for i, b := range blocks {
		last[b.ip] = b
		order[b.ip] = i
	}
	out := map[macaddr.MAC]netip.Addr{}
	best := map[macaddr.MAC]lease{}
	for ip, l := range last {
		if l.state != "active" || l.mac == "" {
			continue
		}
		prev, seen := best[l.mac]
		if !seen || l.starts.After(prev.starts) || (l.starts.Equal(prev.starts) && order[ip] > order[prev.ip]) {
			best[l.mac] = l
			out[l.mac] = ip
		}
	}
	return out, nil
}

type lease struct {
	ip     netip.Addr
	mac    macaddr.MAC
	state  string // "binding state"
	starts time.Time
}

// parseLeases reads the lease blocks with the ISC lexer that dhcpd.conf
// goes through; everything else in the file (server-duid, failover state,
// comments, a lease's nested "on expiry" blocks) is skipped.
func parseLeases(file string, src []byte) ([]lease, error) {
	stmts, _, err := isc.ParseFile(file, src)
	if err != nil {
		return nil, err
	}
	var out []lease
	for i, s := range stmts {
		if !s.Block || s.Depth != 0 || s.Word(0) != "lease" || len(s.Words) != 2 {
			continue
		}
		ip, err := netip.ParseAddr(s.Word(1))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: lease %q: %v", file, s.Line, s.Word(1), err)
		}
		l := lease{ip: ip}
		for _, j := range isc.Children(stmts, i) {
			st := stmts[j]
			if st.Block {
				continue
			}
			w := make([]string, len(st.Words))
			for k, t := range st.Words {
				w[k] = t.Text
			}
			switch {
			case len(w) == 3 && w[0] == "binding" && w[1] == "state":
				l.state = w[2]
			case len(w) == 3 && w[0] == "hardware" && w[1] == "ethernet":
				if m, err := macaddr.Parse(w[2]); err == nil {
					l.mac = m
				}
			case len(w) >= 3 && w[0] == "starts":
				l.starts = leaseTime(w[1:])
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// leaseTime reads a lease time: "W YYYY/MM/DD HH:MM:SS" (UTC), or
// "epoch N" where dhcpd runs with db-time-format local (dhcpd.leases(5)).
// An unreadable time sorts first.
func leaseTime(f []string) time.Time {
	if f[0] == "epoch" {
		if n, err := strconv.ParseInt(f[1], 10, 64); err == nil {
			return time.Unix(n, 0)
		}
		return time.Time{}
	}
	if len(f) < 3 {
		return time.Time{}
	}
	t, err := time.Parse("2006/01/02 15:04:05", f[1]+" "+f[2])
	if err != nil {
		return time.Time{}
	}
	return t
}
