package dhcpsetup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// dnsmasqErrorAt is where dnsmasq --test places a rejection ("dnsmasq:
// error at line 2 of /etc/dnsmasq.conf").
var dnsmasqErrorAt = regexp.MustCompile(`error at line \d+ of (\S+)`)

// DnsmasqMainCheck runs dnsmasq --test on the configuration the drop-in
// joins, as it stands: the restart that reads the drop-in reads that
// whole configuration, and a file dnsmasq already rejects leaves it
// serving neither DHCP nor DNS after the restart, drop-in or not. A
// rejection inside the drop-in being replaced is no reason to refuse (the
// run replaces it); Pi-hole's file is written for pihole-FTL's own
// dnsmasq, whose options the system's dnsmasq may not know, so it is not
// checked. An error is a *dhcpconf.RejectedError, or wraps
// dhcpconf.ErrNoTool.
func (p *Plan) DnsmasqMainCheck(ctx context.Context) error {
	main := p.DnsmasqMain
	if main == "" || !fileExists(main) || strings.HasPrefix(filepath.Clean(main), filepath.Dir(dhcpconf.PiholeDnsmasqConf)+"/") {
		return nil
	}
	if src, err := os.ReadFile(main); err != nil || strings.Contains(string(src), "POPULATED BY PI-HOLE") {
		return nil
	}
	err := dhcpconf.Check(ctx, dhcpconf.Dnsmasq, main)
	var rej *dhcpconf.RejectedError
	if !errors.As(err, &rej) {
		return err
	}
	if m := dnsmasqErrorAt.FindStringSubmatch(rej.Output); m != nil && sameDir(m[1]) == sameDir(p.Path) {
		return nil
	}
	return &dhcpconf.RejectedError{Tool: rej.Tool, Output: fmt.Sprintf("%s\n(%s as it stands, which the drop-in joins: dnsmasq would not start on it after the restart; correct it first)", rej.Output, main)}
}
