package dhcpconf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Format is a DHCP server's configuration language.
type Format string

const (
	ISC     Format = "isc"
	Kea     Format = "kea"
	Dnsmasq Format = "dnsmasq"
)

// ParseFormat accepts isc, kea or dnsmasq.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case ISC, Kea, Dnsmasq:
		return f, nil
	}
	return "", fmt.Errorf("%q is not isc, kea or dnsmasq", s)
}

// DefaultPath is where the server reads its configuration on Debian; for
// ISC, the file DHCPDv4_CONF names in /etc/default/isc-dhcp-server
// (DebianDHCPDConf), else /etc/dhcpd.conf on systems (CentOS 5, trixbox)
// that have no /etc/dhcp directory but do have that file. root is "/"
// outside tests.
func (f Format) DefaultPath(root string) string {
	switch f {
	case Kea:
		return "/etc/kea/kea-dhcp4.conf"
	case Dnsmasq:
		return "/etc/dnsmasq.d/setup-dhcp.conf"
	}
	if p, _ := DebianDHCPDConf(root); p != "" {
		return p
	}
	if _, err := os.Stat(filepath.Join(root, "etc/dhcp")); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(root, "etc/dhcpd.conf")); err == nil {
			return "/etc/dhcpd.conf"
		}
	}
	return "/etc/dhcp/dhcpd.conf"
}

// Tool is the program that parses this format and its arguments for a
// syntax-only check of file.
func (f Format) Tool(file string) (name string, args []string) {
	switch f {
	case Kea:
		return "kea-dhcp4", []string{"-t", file}
	case Dnsmasq:
		return "dnsmasq", []string{"--test", "--conf-file=" + file}
	}
	// No -4: IPv4 is dhcpd's default and builds without DHCPv6 reject -4.
	// -t parses the configuration only; leases and interfaces are untouched.
	// -q would hide the errors too.
	return "dhcpd", []string{"-t", "-cf", file}
}

// ErrNoTool means the format's checker is not installed.
var ErrNoTool = errors.New("not installed")

// FindTool looks for a program in PATH, then in the sbin directories a
// non-root PATH often lacks.
func FindTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, ErrNoTool)
}

// RejectedError is a configuration the server's own parser refused.
type RejectedError struct {
	Tool   string
	Output string
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("%s rejected the configuration:\n%s", e.Tool, e.Output)
}

const checkTimeout = 10 * time.Second

// Check runs the format's own parser on file. It returns an error wrapping
// ErrNoTool when the parser is not installed, and *RejectedError when it
// refuses the file.
func Check(ctx context.Context, f Format, file string) error {
	name, args := f.Tool(file)
	path, err := FindTool(name)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return fmt.Errorf("%s: no answer within %s", name, checkTimeout)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		src, _ := os.ReadFile(file)
		return &RejectedError{Tool: name, Output: MaskOutput(src, trimOutput(f, string(out)))}
	}
	if err != nil {
		return fmt.Errorf("running %s: %w", name, err)
	}
	return nil
}

// CheckContent checks content from a temporary file, for dry runs.
func CheckContent(ctx context.Context, f Format, content []byte) error {
	dir, err := os.MkdirTemp("", "setup-dhcp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "candidate.conf")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		return err
	}
	return Check(ctx, f, file)
}

// trimOutput keeps the parser's diagnosis and drops its boilerplate.
func trimOutput(f Format, out string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if f == ISC && strings.HasPrefix(l, "If you think you have received this message") {
			break
		}
		if f == Kea && strings.Contains(l, " INFO ") || f == ISC && iscBanner(l) {
			continue
		}
		keep = append(keep, l)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

func iscBanner(l string) bool {
	for _, p := range []string{"Internet Systems Consortium DHCP Server", "Copyright ", "All rights reserved.", "For info, please visit", "Config file:", "Database file:", "PID file:"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// DebianDefaults is the file Debian's /etc/init.d/isc-dhcp-server sources
// before it starts dhcpd -4 with -cf "$DHCPDv4_CONF".
const DebianDefaults = "/etc/default/isc-dhcp-server"

// DebianDHCPDConf is the dhcpd.conf Debian's isc-dhcp-server starts dhcpd
// with when DebianDefaults sets DHCPDv4_CONF (the init script:
// DHCPDv4_CONF=${DHCPDv4_CONF:-/etc/dhcp/dhcpd.conf}), and where it is
// set (file:line); "" when the file or the setting is absent or empty, or
// its value is not a plain absolute path (a shell expansion this does
// not evaluate). The last assignment wins, as in the shell.
func DebianDHCPDConf(root string) (path, where string) {
	b, err := os.ReadFile(filepath.Join(root, DebianDefaults))
	if err != nil {
		return "", ""
	}
	for n, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimSpace(strings.TrimPrefix(l, "export "))
		v, ok := strings.CutPrefix(l, "DHCPDv4_CONF=")
		if !ok {
			continue
		}
		if c := strings.Index(v, " #"); c >= 0 {
			v = v[:c]
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		path, where = "", ""
		if v != "" && filepath.IsAbs(v) && !strings.ContainsAny(v, "$`\\\"' \t;&|") {
			path, where = filepath.Clean(v), fmt.Sprintf("%s:%d", DebianDefaults, n+1)
		}
	}
	return path, where
}
