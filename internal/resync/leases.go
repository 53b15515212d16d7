package resync

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

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
	blocks, err := parseLeases(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
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

// parseLeases reads the lease blocks; everything else in the file
// (server-duid, failover state, comments) is skipped.
func parseLeases(src string) ([]lease, error) {
	toks, err := tokens(src)
	if err != nil {
		return nil, err
	}
	var out []lease
	for i := 0; i < len(toks); i++ {
		if toks[i] != "lease" || i+2 >= len(toks) || toks[i+2] != "{" {
			if toks[i] == "{" {
				i = skipBlock(toks, i)
			}
			continue
		}
		ip, err := netip.ParseAddr(toks[i+1])
		if err != nil {
			return nil, fmt.Errorf("lease %q: %v", toks[i+1], err)
		}
		l := lease{ip: ip}
		j := i + 3
		for j < len(toks) && toks[j] != "}" {
			// One statement: words up to ';' (a nested block is skipped).
			k := j
			for k < len(toks) && toks[k] != ";" && toks[k] != "}" && toks[k] != "{" {
				k++
			}
			st := toks[j:k]
			switch {
			case len(st) == 3 && st[0] == "binding" && st[1] == "state":
				l.state = st[2]
			case len(st) == 3 && st[0] == "hardware" && st[1] == "ethernet":
				if m, err := macaddr.Parse(st[2]); err == nil {
					l.mac = m
				}
			case len(st) >= 3 && st[0] == "starts":
				l.starts = leaseTime(st[1:])
			}
			if k < len(toks) && toks[k] == "{" {
				j = skipBlock(toks, k) + 1
				continue
			}
			if k < len(toks) && toks[k] == "}" {
				j = k
				break
			}
			j = k + 1
		}
		if j >= len(toks) {
			return nil, fmt.Errorf("lease %s: no closing }", ip)
		}
		out = append(out, l)
		i = j
	}
	return out, nil
}

// skipBlock returns the index of the '}' closing the '{' at i.
func skipBlock(toks []string, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		switch toks[i] {
		case "{":
			depth++
		case "}":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// tokens splits dhcpd.leases into words, quoted strings (quotes removed)
// and the punctuation { } ; dropping comments.
func tokens(src string) ([]string, error) {
	var out []string
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '{' || c == '}' || c == ';':
			out = append(out, string(c))
			i++
		case c == '"':
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					j++
				}
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unterminated string")
			}
			out = append(out, src[i+1:j])
			i = j + 1
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n{};\"#", rune(src[j])) {
				j++
			}
			out = append(out, src[i:j])
			i = j
		}
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
