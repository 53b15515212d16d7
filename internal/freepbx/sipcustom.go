package freepbx

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DefaultAsteriskConf is where Asterisk's configuration is read from when
// no directory is named.
const DefaultAsteriskConf = "/etc/asterisk"

// SIPGeneralCustom is the file FreePBX leaves to the admin for chan_sip's
// [general] options: its etc/sip.conf (core release/16.0) includes the
// generated sip_general_additional.conf (from the sipsettings table) and
// then sip_general_custom.conf, so an option set here is the one chan_sip
// uses. Moving chan_sip off 5060 with bindport here is the FreePBX 2.x /
// trixbox recipe from before the GUI had the field.
const SIPGeneralCustom = "sip_general_custom.conf"

// ReadSIPCustom applies chan_sip's listening options from
// dir/sip_general_custom.conf to d.Ports: bindport, and bindaddr or
// udpbindaddr (an address, with or without :port). chan_sip gives bindport
// precedence over a port in the bind address; within the file the last
// line wins. named says whether the admin named dir (--asterisk-conf):
// then a directory that cannot be read is said too; the default
// (/etc/asterisk) is read only where it exists. A file that exists but
// cannot be read, or a line whose value is not a port or address, goes to
// d.Warnings naming file:line: the phones may be sent to a port chan_sip
// does not listen on. An #include in the file is not followed, and said.
func ReadSIPCustom(d *Data, dir string, named bool) {
	if dir == "" {
		dir = DefaultAsteriskConf
	}
	name := filepath.Join(dir, SIPGeneralCustom)
	f, err := os.Open(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, derr := os.Stat(dir); named && derr != nil {
			d.Warnings = append(d.Warnings, fmt.Sprintf("--asterisk-conf %s: %v; chan_sip's port is taken from the FreePBX database only", dir, derr))
		}
		return
	case err != nil:
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s cannot be read (%v): a bindport set there (chan_sip's port) is not seen; phones are given chan_sip port %s from the FreePBX database", name, err, portText(d.Ports.ChanSIP)))
		return
	}
	defer f.Close()
	var bport, addrPort int
	var portAt, addrAt string
	addr, section := "", "general" // the file is included inside [general]
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		at := fmt.Sprintf("%s:%d", name, n)
		line := stripComment(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: %s is not followed by setup-cisco: a chan_sip port set in that file is not seen", at, line))
			continue
		}
		if strings.HasPrefix(line, "[") {
			section, _, _ = strings.Cut(strings.TrimPrefix(line, "["), "]")
			section = strings.ToLower(strings.TrimSpace(section))
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "general" {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(strings.TrimPrefix(v, ">"))
		switch k {
		case "bindport":
			p := port(v)
			if p == 0 {
				d.Warnings = append(d.Warnings, fmt.Sprintf("%s: bindport=%s is not a port (1-65535)", at, v))
				continue
			}
			bport, portAt = p, at
		case "bindaddr", "udpbindaddr":
			a, p, err := splitBind(v)
			if err != nil {
				d.Warnings = append(d.Warnings, fmt.Sprintf("%s: %s=%s: %v", at, k, v, err))
				continue
			}
			addr, addrPort, addrAt = a, p, at
		}
	}
	if err := sc.Err(); err != nil {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s cannot be read (%v): a bindport set there (chan_sip's port) may not be seen", name, err))
		return
	}
	if addrAt != "" {
		d.Ports.ChanSIPAddr = ""
		if !isWildcard(addr) {
			d.Ports.ChanSIPAddr = addr
		}
		d.Notes = append(d.Notes, fmt.Sprintf("chan_sip bind address %s (%s)", addr, addrAt))
	}
	switch {
	case bport != 0:
		d.Ports.ChanSIP, d.Ports.ChanSIPFrom = bport, portAt
	case addrPort != 0:
		d.Ports.ChanSIP, d.Ports.ChanSIPFrom = addrPort, addrAt
	}
}

// stripComment drops an Asterisk config comment (';' to the end of the
// line, "\;" being a literal semicolon) and surrounding space.
func stripComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == ';' && (i == 0 || s[i-1] != '\\') {
			s = s[:i]
			break
		}
	}
	return strings.TrimSpace(s)
}

// splitBind parses chan_sip's bindaddr: an address, "[v6]" or either with
// :port; port 0 when none is given.
func splitBind(v string) (string, int, error) {
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.Addr().String(), int(ap.Port()), nil
	}
	if a, err := netip.ParseAddr(strings.Trim(v, "[]")); err == nil {
		return a.String(), 0, nil
	}
	return "", 0, fmt.Errorf("not an address, or address:port")
}

func portText(p int) string {
	if p == 0 {
		return "5060 (default)"
	}
	return strconv.Itoa(p)
}
