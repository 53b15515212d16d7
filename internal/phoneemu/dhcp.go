package phoneemu

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// ErrNoTFTPServer is a lease without option 150 or 66. A 79x0 then shows
// "Protocol Application Invalid" (ADRIAN in the fact sheet, §6).
var ErrNoTFTPServer = errors.New(`Protocol Application Invalid: the DHCP answer names no TFTP server (neither option 150 nor option 66)`)

// Lease is the part of a DHCP answer a phone uses.
type Lease struct {
	Addr   netip.Prefix // address and subnet
	Server netip.Addr   // the DHCP server that answered
	TFTP   netip.Addr   // from option 150, else 66; invalid when neither
	From   string       // "option 150" or "option 66"
	// TFTPErr is why TFTP is invalid: wraps ErrNoTFTPServer, or explains
	// an unusable option 66.
	TFTPErr error
}

// vendorClass is what a 7960 sends as option 60.
func vendorClass(model string) string { return "Cisco Systems, Inc. IP Phone CP-" + model + "G" }

// GetLease runs DISCOVER/OFFER/REQUEST/ACK on iface with the phone's MAC as
// client hardware address, over a raw socket (root or CAP_NET_RAW).
func GetLease(ctx context.Context, iface string, mac macaddr.MAC, model string, timeout time.Duration) (Lease, error) {
	hw, err := net.ParseMAC(mac.Colon())
	if err != nil {
		return Lease{}, fmt.Errorf("MAC %s: %w", mac, err)
	}
	c, err := nclient4.New(iface, nclient4.WithHWAddr(hw), nclient4.WithTimeout(timeout), nclient4.WithRetry(3))
	if err != nil {
		return Lease{}, fmt.Errorf("DHCP client on %s: %w", iface, err)
	}
	defer c.Close()
	l, err := c.Request(ctx,
		dhcpv4.WithRequestedOptions(dhcpv4.OptionSubnetMask, dhcpv4.OptionRouter,
			dhcpv4.OptionTFTPServerAddress, dhcpv4.OptionTFTPServerName),
		dhcpv4.WithOption(dhcpv4.OptClassIdentifier(vendorClass(model))))
	if err != nil {
		return Lease{}, fmt.Errorf("no DHCP lease on %s: %w", iface, err)
	}
	return FromACK(l.ACK)
}

// FromACK reads a DHCPACK the way the phone does: option 150's first
// address, else option 66 (which must be an address: the emulator does no
// DNS). Without either, TFTPErr wraps ErrNoTFTPServer.
func FromACK(ack *dhcpv4.DHCPv4) (Lease, error) {
	var l Lease
	ip, ok := netip.AddrFromSlice(ack.YourIPAddr.To4())
	if !ok || ip.IsUnspecified() {
		return l, fmt.Errorf("DHCPACK without an address")
	}
	mask := ack.SubnetMask()
	bits := 32
	if mask != nil {
		bits, _ = mask.Size()
	}
	l.Addr = netip.PrefixFrom(ip, bits)
	if s, ok := netip.AddrFromSlice(ack.ServerIdentifier().To4()); ok {
		l.Server = s
	}
	if ips := dhcpv4.GetIPs(dhcpv4.OptionTFTPServerAddress, ack.Options); len(ips) > 0 {
		if a, ok := netip.AddrFromSlice(ips[0].To4()); ok {
			l.TFTP, l.From = a, "option 150"
			return l, nil
		}
	}
	if name := ack.TFTPServerName(); name != "" {
		a, err := netip.ParseAddr(name)
		if err != nil || !a.Is4() {
			l.TFTPErr = fmt.Errorf("option 66 is %q, not an IPv4 address (this emulator does not look names up)", name)
			return l, nil
		}
		l.TFTP, l.From = a, "option 66"
		return l, nil
	}
	l.TFTPErr = ErrNoTFTPServer
	return l, nil
}
