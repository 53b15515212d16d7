package dhcpsetup

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/hostnet"
)

// network turns the request into a Network, detecting what is missing from
// this host (hostnet: primary interface, default route, /etc/resolv.conf).
// withDNS false leaves DNS out unless --dns is given (a dnsmasq drop-in:
// dnsmasq offers itself as the DNS server).
func (p *Plan) network(req Request, withDNS bool) (dhcpconf.Network, error) {
	n, err := req.given()
	if err != nil {
		return n, err
	}

	var detected []string
	var host hostnet.Host
	if req.TFTPServer == "" || req.Subnet == "" || req.Router == "" || req.Range == "" {
		if host, err = hostnet.Detect(); err != nil {
			return n, fmt.Errorf("%v; give --tftp-server, --subnet, --router and --range", err)
		}
		gw := "none"
		if host.Gateway.IsValid() {
			gw = host.Gateway.String()
		}
		p.Info = append(p.Info, fmt.Sprintf("detected %s %s/%d, default gateway %s", host.Interface, host.Addr, host.Prefix.Bits(), gw))
	}
	if req.TFTPServer == "" {
		n.TFTPServer = host.Addr
		detected = append(detected, "--tftp-server "+n.TFTPServer.String())
	}
	if req.Subnet == "" {
		n.Subnet = host.Prefix
		detected = append(detected, "--subnet "+n.Subnet.String())
	}
	if req.Router == "" && host.Gateway.IsValid() && n.Subnet.Contains(host.Gateway) {
		n.Router = host.Gateway
		detected = append(detected, "--router "+n.Router.String())
	}
	if req.DNS == "" && withDNS {
		n.DNS = hostnet.SystemNameservers()
		if len(n.DNS) == 0 && n.Router.IsValid() {
			n.DNS = []netip.Addr{n.Router}
		}
		if len(n.DNS) > 0 {
			detected = append(detected, "--dns "+joinAddrs(n.DNS))
		}
	}
	if req.Range == "" {
		exclude := append(n.TFTPServers(), n.Router, host.Addr)
		for _, r := range req.Reservations {
			exclude = append(exclude, r.IP)
		}
		if n.RangeFirst, n.RangeLast, err = dhcpconf.ProposeRange(n.Subnet, exclude...); err != nil {
			return n, fmt.Errorf("--range: %v; give one", err)
		}
		detected = append(detected, fmt.Sprintf("--range %s-%s", n.RangeFirst, n.RangeLast))
	}
	if len(detected) > 0 {
		p.Info = append(p.Info, "using "+strings.Join(detected, " "))
	}
	if err := n.Validate(); err != nil {
		var fe *dhcpconf.FieldError
		if errors.As(err, &fe) {
			return n, fmt.Errorf("--%s: %v", fe.Field, fe.Err)
		}
		return n, err
	}
	return n, nil
}

// given is a Network with what the command line sets and nothing detected.
// parseTFTPServers parses --tftp-server: option 150's list of IPv4
// addresses, checked by dhcpconf.CheckServers.
func parseTFTPServers(s string) ([]netip.Addr, error) {
	as, err := dhcpconf.ParseIPv4List(s)
	if err == nil {
		err = dhcpconf.CheckServers(as)
	}
	if err != nil {
		return nil, fmt.Errorf("--tftp-server: %v", err)
	}
	return as, nil
}

// parseGiven parses a flag's value into *into when the flag was given,
// naming the flag in the error.
func parseGiven[T any](flag, value string, parse func(string) (T, error), into *T) error {
	if value == "" {
		return nil
	}
	v, err := parse(value)
	if err != nil {
		return fmt.Errorf("%s: %v", flag, err)
	}
	*into = v
	return nil
}

func (req Request) given() (dhcpconf.Network, error) {
	n := dhcpconf.Network{Domain: req.Domain, Interface: req.Interface, DefaultLease: req.DefaultLease, MaxLease: req.MaxLease}
	var err error
	if req.TFTPServer != "" {
		as, err := parseTFTPServers(req.TFTPServer)
		if err != nil {
			return n, err
		}
		n.TFTPServer, n.TFTPBackups = as[0], as[1:]
	}
	if err := parseGiven("--subnet", req.Subnet, dhcpconf.ParseSubnet, &n.Subnet); err != nil {
		return n, err
	}
	if err := parseGiven("--router", req.Router, dhcpconf.ParseIPv4, &n.Router); err != nil {
		return n, err
	}
	if req.Range != "" {
		if n.RangeFirst, n.RangeLast, err = dhcpconf.ParseRange(req.Range); err != nil {
			return n, fmt.Errorf("--range: %v", err)
		}
	}
	if err := parseGiven("--dns", req.DNS, dhcpconf.ParseIPv4List, &n.DNS); err != nil {
		return n, err
	}
	if err := parseGiven("--ntp", req.NTP, dhcpconf.ParseIPv4List, &n.NTP); err != nil {
		return n, err
	}
	return n, nil
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}
