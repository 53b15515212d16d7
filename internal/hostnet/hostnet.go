// Package hostnet finds this host's primary IPv4 address, its subnet and the
// default gateway from local kernel state only: it never sends a packet.
package hostnet

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// Host describes the network this host sits on.
type Host struct {
	Interface string
	Addr      netip.Addr   // primary IPv4 address
	Prefix    netip.Prefix // the subnet of Addr, masked (192.168.0.0/24)
	Gateway   netip.Addr   // default gateway; zero if there is no default route
}

// Route is one IPv4 route from /proc/net/route.
type Route struct {
	Interface   string
	Destination netip.Prefix
	Gateway     netip.Addr // zero for directly connected routes
	Metric      int
	Up          bool
}

// Interface is the part of a network interface Choose needs.
type Interface struct {
	Name     string
	Up       bool
	Loopback bool
	Addrs    []netip.Prefix // unmasked: address and prefix length
}

const procRoute = "/proc/net/route"

// Detect finds the primary IPv4 address: the one on the interface of the
// default route, or else the first IPv4 address of the first up,
// non-loopback interface.
func Detect() (Host, error) {
	var routes []Route
	f, err := os.Open(procRoute)
	if err == nil {
		routes, err = ParseRoutes(f)
		f.Close()
		if err != nil {
			return Host{}, fmt.Errorf("hostnet: %s: %w", procRoute, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return Host{}, fmt.Errorf("hostnet: %w", err)
	}
	ifaces, err := Interfaces()
	if err != nil {
		return Host{}, err
	}
	return Choose(routes, ifaces)
}

// PrimaryIPv4 returns the address Detect finds.
func PrimaryIPv4() (netip.Addr, error) {
	h, err := Detect()
	if err != nil {
		return netip.Addr{}, err
	}
	return h.Addr, nil
}

// Interfaces lists the local interfaces with their IPv4 addresses.
func Interfaces() ([]Interface, error) {
	nis, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("hostnet: listing interfaces: %w", err)
	}
	var out []Interface
	for _, ni := range nis {
		addrs, err := ni.Addrs()
		if err != nil {
			return nil, fmt.Errorf("hostnet: addresses of %s: %w", ni.Name, err)
		}
		ifc := Interface{
			Name:     ni.Name,
			Up:       ni.Flags&net.FlagUp != 0,
			Loopback: ni.Flags&net.FlagLoopback != 0,
		}
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(ipn.IP)
			if !ok {
				continue
			}
			ip = ip.Unmap()
			ones, bits := ipn.Mask.Size()
			if !ip.Is4() || bits != 32 {
				continue
			}
			ifc.Addrs = append(ifc.Addrs, netip.PrefixFrom(ip, ones))
		}
		out = append(out, ifc)
	}
	return out, nil
}

// ParseRoutes reads the kernel's IPv4 routing table in /proc/net/route
// format. Addresses there are hex in host byte order.
func ParseRoutes(r io.Reader) ([]Route, error) {
	sc := bufio.NewScanner(r)
	var routes []Route
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if line == 1 || len(fields) == 0 {
			continue // header
		}
		if len(fields) < 8 {
			return nil, fmt.Errorf("line %d: %d fields, want at least 8", line, len(fields))
		}
		dst, err := hexAddr(fields[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: destination: %w", line, err)
		}
		gw, err := hexAddr(fields[2])
		if err != nil {
			return nil, fmt.Errorf("line %d: gateway: %w", line, err)
		}
		flags, err := strconv.ParseUint(fields[3], 16, 32)
		if err != nil {
			return nil, fmt.Errorf("line %d: flags: %w", line, err)
		}
		metric, err := strconv.Atoi(fields[6])
		if err != nil {
			return nil, fmt.Errorf("line %d: metric: %w", line, err)
		}
		mask, err := hexAddr(fields[7])
		if err != nil {
			return nil, fmt.Errorf("line %d: mask: %w", line, err)
		}
		m4 := mask.As4()
		ones, bits := net.IPMask(m4[:]).Size()
		if bits == 0 {
			return nil, fmt.Errorf("line %d: mask %s is not contiguous", line, mask)
		}
		rt := Route{
			Interface:   fields[0],
			Destination: netip.PrefixFrom(dst, ones).Masked(),
			Metric:      metric,
			Up:          flags&0x1 != 0, // RTF_UP
		}
		if flags&0x2 != 0 { // RTF_GATEWAY
			rt.Gateway = gw
		}
		routes = append(routes, rt)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return routes, nil
}

func hexAddr(s string) (netip.Addr, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 4 {
		return netip.Addr{}, fmt.Errorf("%q is not an 8-digit hex address", s)
	}
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], binary.NativeEndian.Uint32(b))
	return netip.AddrFrom4(a), nil
}

// Choose picks the primary address from a routing table and interface list.
func Choose(routes []Route, ifaces []Interface) (Host, error) {
	byName := make(map[string]Interface, len(ifaces))
	for _, ifc := range ifaces {
		byName[ifc.Name] = ifc
	}
	var def *Route
	for i, rt := range routes {
		if !rt.Up || rt.Destination.Bits() != 0 {
			continue
		}
		if def == nil || rt.Metric < def.Metric {
			def = &routes[i]
		}
	}
	if def != nil {
		if ifc, ok := byName[def.Interface]; ok && len(ifc.Addrs) > 0 {
			// With several addresses, the one whose subnet holds the
			// gateway is the one the gateway answers to.
			p := ifc.Addrs[0]
			for _, a := range ifc.Addrs {
				if def.Gateway.IsValid() && a.Masked().Contains(def.Gateway) {
					p = a
					break
				}
			}
			return Host{Interface: ifc.Name, Addr: p.Addr(), Prefix: p.Masked(), Gateway: def.Gateway}, nil
		}
	}
	for _, ifc := range ifaces {
		if !ifc.Up || ifc.Loopback || len(ifc.Addrs) == 0 {
			continue
		}
		p := ifc.Addrs[0]
		return Host{Interface: ifc.Name, Addr: p.Addr(), Prefix: p.Masked()}, nil
	}
	return Host{}, errors.New("hostnet: no up, non-loopback interface has an IPv4 address")
}

// Nameservers returns the IPv4 name servers in a resolv.conf, leaving out
// loopback ones (a local stub resolver is no use to other hosts).
func Nameservers(r io.Reader) []netip.Addr {
	var out []netip.Addr
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "nameserver" {
			continue
		}
		a, err := netip.ParseAddr(f[1])
		if err != nil || !a.Is4() || a.IsLoopback() || a.IsUnspecified() {
			continue
		}
		out = append(out, a)
	}
	return out
}

// SystemNameservers reads /etc/resolv.conf; a missing file gives none.
func SystemNameservers() []netip.Addr {
	f, err := os.Open("/etc/resolv.conf")
	if err != nil {
		return nil
	}
	defer f.Close()
	return Nameservers(f)
}
