package resync

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// direct sends NOTIFYs straight to phones, as the server they register
// with would.
type direct struct {
	ua *sipgo.UserAgent
	o  Options
}

func newDirect(o Options) (*direct, error) {
	// Some of sipgo's messages go to its package-wide logger, not to the
	// ones passed below; a cron run must not mail them.
	sip.SetDefaultLogger(o.Logger)
	ua, err := sipgo.NewUA(
		sipgo.WithUserAgent("setup-cisco"),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(o.Logger)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(o.Logger)),
	)
	if err != nil {
		return nil, fmt.Errorf("SIP: %w", err)
	}
	return &direct{ua: ua, o: o}, nil
}

func (d *direct) close() { d.ua.Close() }

// notify sends one check-sync NOTIFY to ip and waits for the final answer.
func (d *direct) notify(ctx context.Context, ip netip.Addr, ext string) (string, error) {
	dst := netip.AddrPortFrom(ip, uint16(d.o.PhonePort))
	via := "NOTIFY to " + dst.String()
	local, err := localAddr(dst)
	if err != nil {
		return via, err
	}
	c, err := sipgo.NewClient(d.ua,
		sipgo.WithClientLogger(d.o.Logger),
		sipgo.WithClientHostname(local.String()),
		sipgo.WithClientConnectionAddr(net.JoinHostPort(local.String(), "0")),
	)
	if err != nil {
		return via, fmt.Errorf("%s: %w", via, err)
	}
	req := sip.NewRequest(sip.NOTIFY, sip.Uri{Scheme: "sip", User: ext, Host: ip.String(), Port: d.o.PhonePort})
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: "setup-cisco", Host: local.String()}}
	from.Params = sip.NewParams()
	from.Params.Add("tag", sip.GenerateTagN(16))
	req.AppendHeader(from)
	// Only what Asterisk's [cisco-check-cfg] sends, which phones take.
	req.AppendHeader(sip.NewHeader("Event", "check-sync"))

	ctx, cancel := context.WithTimeout(ctx, d.o.Timeout)
	defer cancel()
	res, err := c.Do(ctx, req)
	if err != nil {
		return via, fmt.Errorf("%s: %w", via, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return via, fmt.Errorf("%s: the phone answered %s", via, strconv.Itoa(res.StatusCode)+" "+res.Reason)
	}
	return via, nil
}

// localAddr is the address this host sends from to reach dst. Connecting
// a UDP socket only picks the route; nothing is sent.
func localAddr(dst netip.AddrPort) (netip.Addr, error) {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(dst))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("no route to %s: %w", dst, err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap(), nil
}
