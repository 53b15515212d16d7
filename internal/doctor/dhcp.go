package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DHCPOptions is what a DHCP server configuration tells phones about TFTP.
type DHCPOptions struct {
	Format   string // "isc", "kea" or "dnsmasq"
	Declared bool   // option 150 has a definition (ISC, Kea) or needs none
	Name     string // ISC/Kea name of option 150
	Opt150   []string
	Opt66    []string
}

// ReadDHCPConfig reads a dhcpd.conf, kea-dhcp4.conf or dnsmasq file,
// telling the format from the content.
func ReadDHCPConfig(path string) (DHCPOptions, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return DHCPOptions{}, err
	}
	t := bytes.TrimSpace(stripComments(b, "//"))
	switch {
	case bytes.HasPrefix(t, []byte("{")):
		return parseKea(t)
	case regexp.MustCompile(`(?m)^\s*dhcp-(range|option|host)\s*=`).Match(b):
		return parseDnsmasq(b), nil
	}
	return parseISC(b), nil
}

// stripComments drops whole-line comments starting with prefix or '#'.
func stripComments(b []byte, prefix string) []byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if bytes.HasPrefix(t, []byte(prefix)) || bytes.HasPrefix(t, []byte("#")) {
			continue
		}
		out = append(out, l)
	}
	return bytes.Join(out, []byte("\n"))
}

// iscStatements splits a dhcpd.conf into statements: comments removed,
// strings kept whole, braces as their own statements' ends.
func iscStatements(src []byte) [][]string {
	var stmts [][]string
	var cur []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			cur = append(cur, word.String())
			word.Reset()
		}
	}
	s := string(src)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			flush()
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				j = len(s) - i - 1
			}
			word.WriteString(s[i : i+j+2])
			i += j + 1
		case c == ';' || c == '{' || c == '}':
			flush()
			if len(cur) > 0 {
				stmts = append(stmts, cur)
			}
			cur = nil
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			flush()
		default:
			word.WriteByte(c)
		}
	}
	flush()
	if len(cur) > 0 {
		stmts = append(stmts, cur)
	}
	return stmts
}

func parseISC(src []byte) DHCPOptions {
	o := DHCPOptions{Format: "isc"}
	stmts := iscStatements(src)
	names := map[string]bool{}
	for _, s := range stmts {
		if len(s) >= 5 && s[0] == "option" && s[2] == "code" && s[3] == "150" && s[4] == "=" {
			n := strings.TrimPrefix(s[1], "dhcp.")
			names[n], o.Declared, o.Name = true, true, n
		}
	}
	for _, s := range stmts {
		if len(s) < 3 || s[0] != "option" || s[2] == "code" {
			continue
		}
		n := strings.TrimPrefix(s[1], "dhcp.")
		switch {
		case names[n]:
			o.Opt150 = append(o.Opt150, s[2:]...)
		case n == "tftp-server-name":
			o.Opt66 = append(o.Opt66, strings.Trim(s[2], `"`))
		}
	}
	return o
}

func parseKea(b []byte) (DHCPOptions, error) {
	o := DHCPOptions{Format: "kea"}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return o, fmt.Errorf("not JSON Kea can read: %w", err)
	}
	var defs, data []map[string]any
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				if list, ok := c.([]any); ok && (k == "option-def" || k == "option-data") {
					for _, e := range list {
						if m, ok := e.(map[string]any); ok {
							if k == "option-def" {
								defs = append(defs, m)
							} else {
								data = append(data, m)
							}
						}
					}
				}
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
	for _, d := range defs {
		if code, _ := d["code"].(float64); code == 150 {
			o.Declared, o.Name = true, fmt.Sprint(d["name"])
		}
	}
	for _, d := range data {
		code, _ := d["code"].(float64)
		name, _ := d["name"].(string)
		val, _ := d["data"].(string)
		switch {
		case code == 150 || (o.Name != "" && name == o.Name):
			o.Opt150 = append(o.Opt150, splitList(val)...)
		case code == 66 || name == "tftp-server-name":
			o.Opt66 = append(o.Opt66, strings.TrimSpace(val))
		}
	}
	return o, nil
}

func parseDnsmasq(b []byte) DHCPOptions {
	o := DHCPOptions{Format: "dnsmasq", Declared: true}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), "=")
		if !ok || (k != "dhcp-option" && k != "dhcp-option-force") {
			continue
		}
		f := splitList(v)
		for len(f) > 0 && (strings.HasPrefix(f[0], "tag:") || strings.HasPrefix(f[0], "set:")) {
			f = f[1:]
		}
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "150":
			o.Opt150 = append(o.Opt150, f[1:]...)
		case "66", "option:tftp-server":
			o.Opt66 = append(o.Opt66, strings.Trim(f[1], `"`))
		}
	}
	return o
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// CheckDHCPConfig checks that the configuration declares option 150 and
// sets it to one of want (this host's addresses, or --tftp-server).
func CheckDHCPConfig(path string, want []netip.Addr) []Finding {
	o, err := ReadDHCPConfig(path)
	if errors.Is(err, os.ErrNotExist) {
		return []Finding{unchecked(path, "give the DHCP server's file with --dhcpd-conf", "no such file")}
	}
	if err != nil {
		return []Finding{problem(path, "correct the file (setup-dhcp writes a valid one)", "%v", err)}
	}
	merge := "setup-dhcp --merge --tftp-server " + first(want)
	if o.Format != "isc" {
		merge = "setup-dhcp --format " + o.Format + " --tftp-server " + first(want)
	}
	var fs []Finding
	switch {
	case !o.Declared:
		fs = append(fs, problem(path, merge, "declares no option with code 150 (dhcpd has no name for it): phones get no TFTP server from it"))
	case len(o.Opt150) == 0:
		fs = append(fs, problem(path, merge, "option 150 (%s) is declared but never set: phones get no TFTP server from it", o.Name))
	default:
		if !slices.ContainsFunc(o.Opt150, func(s string) bool { return containsAddr(want, s) }) {
			fs = append(fs, problem(path, "set option 150 to "+first(want)+" (setup-dhcp --merge --tftp-server "+first(want)+")",
				"option 150 is %s, not this TFTP server (%s)", join(o.Opt150), joinAddrs(want)))
		}
	}
	if len(o.Opt150) == 0 && len(o.Opt66) == 0 {
		fs = append(fs, problem(path, merge, "neither option 150 nor option 66: phones show \"Protocol Application Invalid\""))
	}
	for _, v := range o.Opt66 {
		if !containsAddr(want, v) {
			fs = append(fs, problem(path, "set option 66 (tftp-server-name) to \""+first(want)+"\"", "option 66 is %q, not this TFTP server", v))
		}
	}
	return fs
}

func containsAddr(as []netip.Addr, s string) bool {
	a, err := netip.ParseAddr(strings.Trim(s, `"`))
	return err == nil && slices.Contains(as, a)
}

func first(as []netip.Addr) string {
	if len(as) == 0 {
		return "ADDRESS"
	}
	return as[0].String()
}

func joinAddrs(as []netip.Addr) string {
	var s []string
	for _, a := range as {
		s = append(s, a.String())
	}
	return join(s)
}

// DHCPServers are the command names of DHCP servers.
var DHCPServers = []string{"dhcpd", "kea-dhcp4", "dnsmasq"}

// CheckDHCPServer checks that a DHCP server runs, that dhcpd reads conf,
// and that conf has not changed since it started.
func CheckDHCPServer(procs []Proc, conf string) []Finding {
	run := Named(procs, DHCPServers...)
	if len(run) == 0 {
		return []Finding{problem("DHCP server", "systemctl start isc-dhcp-server (or kea-dhcp4-server, dnsmasq)", "no dhcpd, kea-dhcp4 or dnsmasq is running: phones get no address")}
	}
	var fs []Finding
	for _, p := range run {
		cf := argAfter(p.Args, "-cf", "-c")
		if cf != "" && conf != "" && filepath.Clean(cf) != filepath.Clean(conf) {
			fs = append(fs, note(p.Comm, "pid %d reads %s, not %s", p.PID, cf, conf))
			continue
		}
		fi, err := os.Stat(conf)
		if err == nil && !p.Start.IsZero() && fi.ModTime().After(p.Start.Add(time.Second)) {
			fs = append(fs, problem(conf, "systemctl restart isc-dhcp-server (or restart "+p.Comm+")",
				"changed after %s (pid %d) started: the running server still uses the old settings", p.Comm, p.PID))
		}
	}
	return fs
}

func argAfter(args []string, flags ...string) string {
	for i := 0; i+1 < len(args); i++ {
		if slices.Contains(flags, args[i]) {
			return args[i+1]
		}
		for _, f := range flags {
			if v, ok := strings.CutPrefix(args[i], f+"="); ok && strings.HasPrefix(f, "--") {
				return v
			}
		}
	}
	return ""
}

// LocalAddrs lists this host's IPv4 addresses, from the kernel's view of
// the current network namespace.
func LocalAddrs(ifaceAddrs []string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ifaceAddrs {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			continue
		}
		if a := p.Addr(); a.Is4() && !a.IsLoopback() {
			out = append(out, a)
		}
	}
	return out
}
