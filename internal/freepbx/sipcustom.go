package freepbx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
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

// SIPGeneralAdditional is the [general] file FreePBX generates from the
// sipsettings table (sipsettings functions.inc.php, release/16.0: a
// udpbindaddr of bindaddr:bindport; FreePBX 2.x wrote bindport itself).
const SIPGeneralAdditional = "sip_general_additional.conf"

// sipGeneral is what one file sets of chan_sip's listening options.
type sipGeneral struct {
	port     int // last bindport; 0 none
	portAt   string
	addr     string // last bindaddr/udpbindaddr
	addrPort int    // its port; 0 none
	addrAt   string
}

// ReadSIPCustom applies chan_sip's listening options from
// dir/sip_general_custom.conf to d.Ports. chan_sip (Asterisk 13-18
// channels/chan_sip.c reload_config) reads bindport and bindaddr or
// udpbindaddr (an address, with or without :port) through all of [general],
// the last of each winning, and a bindport anywhere replaces the bind
// address's port. FreePBX's sip.conf includes the generated
// sip_general_additional.conf before the custom file, so: the custom
// file's bindport is chan_sip's port; else its bind address's port, unless
// the generated file sets bindport (FreePBX 2.x); an address there is the
// bind address. named says whether the admin named dir (--asterisk-conf):
// then a directory that does not exist is said too; the default
// (/etc/asterisk) is read only where it exists. A custom file that exists
// but cannot be read, or a line whose value is not a port or address, goes
// to d.Warnings naming file:line: the phones may be sent to a port chan_sip
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
	custom, err := readSIPGeneral(f, name, &d.Warnings)
	if err != nil {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s cannot be read (%v): a bindport set there (chan_sip's port) may not be seen", name, err))
		return
	}
	if custom.addrAt != "" {
		d.Ports.ChanSIPAddr = ""
		if !isWildcard(custom.addr) {
			d.Ports.ChanSIPAddr = custom.addr
		}
		d.Notes = append(d.Notes, fmt.Sprintf("chan_sip bind address %s (%s)", custom.addr, custom.addrAt))
	}
	switch {
	case custom.port != 0:
		d.Ports.ChanSIP, d.Ports.ChanSIPFrom = custom.port, custom.portAt
	case custom.addrPort != 0:
		gen := filepath.Join(dir, SIPGeneralAdditional)
		if g, err := os.Open(gen); err == nil {
			var ignored []string
			generated, err := readSIPGeneral(g, gen, &ignored)
			g.Close()
			if err == nil && generated.port != 0 {
				d.Notes = append(d.Notes, fmt.Sprintf("%s: the port of the bind address is not chan_sip's: %s sets bindport %d, which wins", custom.addrAt, generated.portAt, generated.port))
				return
			}
		}
		d.Ports.ChanSIP, d.Ports.ChanSIPFrom = custom.addrPort, custom.addrAt
	}
}

// readSIPGeneral reads chan_sip's listening options from a file included
// in sip.conf's [general] (so its lines are [general]'s until a section
// header). Values that are not a port or address, and #include or #exec
// lines, are said in warns with file:line.
func readSIPGeneral(r io.Reader, name string, warns *[]string) (sipGeneral, error) {
	var g sipGeneral
	section := "general"
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		at := fmt.Sprintf("%s:%d", name, n)
		line := stripComment(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			*warns = append(*warns, fmt.Sprintf("%s: %s is not followed by setup-cisco: a chan_sip port set in that file is not seen", at, line))
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
				*warns = append(*warns, fmt.Sprintf("%s: bindport=%s is not a port (1-65535)", at, v))
				continue
			}
			g.port, g.portAt = p, at
		case "bindaddr", "udpbindaddr":
			a, p, err := splitBind(v)
			if err != nil {
				*warns = append(*warns, fmt.Sprintf("%s: %s=%s: %v", at, k, v, err))
				continue
			}
			g.addr, g.addrPort, g.addrAt = a, p, at
		}
	}
	return g, sc.Err()
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
