package dhcpconf

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Service is the init system's name for the DHCP server.
type Service struct {
	Name    string
	Systemd bool     // false: sysvinit script in /etc/init.d
	enable  []string // command that makes it start at boot
}

// serviceNames lists Debian's name first, then Red Hat's.
func (f Format) serviceNames() []string {
	switch f {
	case Kea:
		return []string{"kea-dhcp4-server", "kea-dhcp4"}
	case Dnsmasq:
		return []string{"dnsmasq"}
	}
	return []string{"isc-dhcp-server", "dhcpd"}
}

// FindService finds the DHCP server's unit or init script under root ("/"
// outside tests). systemd counts as running when /run/systemd/system exists.
func FindService(root string, f Format) (Service, error) {
	exists := func(p string) bool {
		_, err := os.Stat(filepath.Join(root, p))
		return err == nil
	}
	systemd := exists("run/systemd/system")
	for _, name := range f.serviceNames() {
		unit := false
		for _, dir := range []string{"etc/systemd/system", "lib/systemd/system", "usr/lib/systemd/system"} {
			unit = unit || exists(filepath.Join(dir, name+".service"))
		}
		script := exists(filepath.Join("etc/init.d", name))
		switch {
		case systemd && (unit || script):
			// systemctl also enables init scripts, through systemd-sysv-install.
			return Service{Name: name, Systemd: true, enable: []string{"systemctl", "enable", name}}, nil
		case script:
			for _, tool := range []struct {
				name string
				args []string
			}{{"update-rc.d", []string{name, "defaults"}}, {"chkconfig", []string{name, "on"}}} {
				for _, dir := range []string{"usr/sbin", "sbin", "usr/bin", "bin"} {
					if exists(filepath.Join(dir, tool.name)) {
						return Service{Name: name, enable: append([]string{tool.name}, tool.args...)}, nil
					}
				}
			}
			return Service{}, fmt.Errorf("found /etc/init.d/%s but neither update-rc.d nor chkconfig", name)
		}
	}
	return Service{}, fmt.Errorf("no systemd unit or init script for %s", strings.Join(f.serviceNames(), " or "))
}

// EnableCommand is the command that makes the service start at boot.
func (s Service) EnableCommand() []string { return s.enable }

// RestartCommand is the command the user runs to load a new configuration.
func (s Service) RestartCommand() string {
	if s.Systemd {
		return "systemctl restart " + s.Name
	}
	return "/etc/init.d/" + s.Name + " restart"
}

// Enable runs EnableCommand, passing its output to w.
func (s Service) Enable(ctx context.Context, w io.Writer) error {
	if len(s.enable) == 0 {
		return fmt.Errorf("enable: no command for service %q", s.Name)
	}
	cmd := exec.CommandContext(ctx, s.enable[0], s.enable[1:]...)
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(s.enable, " "), err)
	}
	return nil
}
