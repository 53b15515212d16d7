package doctor

import (
	"path/filepath"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/tftpargs"
)

// Kinds of TFTP server doctor reads the command line of.
const (
	kindAtftpd  = "atftpd"
	kindHPA     = "tftpd-hpa"
	kindDnsmasq = "dnsmasq"
)

// tftpKind says which TFTP server p is. The program's real name counts:
// Debian's atftpd package installs /usr/sbin/in.tftpd as a link to atftpd
// (and its systemd unit starts in.tftpd), while tftpd-hpa's binary is
// in.tftpd itself; a process seen without its executable is taken by its
// command name.
func tftpKind(p Proc) string {
	if p.Comm == "dnsmasq" || p.Comm == "pihole-FTL" {
		return kindDnsmasq
	}
	name := p.Comm
	if p.Exe != "" {
		name = filepath.Base(strings.TrimSuffix(p.Exe, " (deleted)"))
	}
	switch name {
	case "atftpd":
		return kindAtftpd
	case "in.tftpd", "tftpd":
		return kindHPA
	}
	return ""
}

// daemonArgs parses a TFTP daemon's command line with its own table.
func daemonArgs(p Proc) tftpargs.Cmdline {
	switch tftpKind(p) {
	case kindAtftpd:
		return tftpargs.Atftpd(p.Args)
	case kindHPA:
		return tftpargs.HPA(p.Args)
	}
	return tftpargs.Cmdline{}
}

// daemonRoot is the directory a TFTP daemon serves, from its command line
// parsed as the daemon parses it: atftpd's first operand (default
// /srv/tftp), tftpd-hpa's first directory (the chroot with --secure);
// "" when unknown.
func daemonRoot(p Proc) string {
	switch tftpKind(p) {
	case kindAtftpd:
		return tftpargs.AtftpdRoot(daemonArgs(p))
	case kindHPA:
		return tftpargs.HPARoot(daemonArgs(p))
	}
	return ""
}

// hpaFlag says whether in.tftpd's command line sets the option long
// (tftpd(8): create, secure, permissive), long or short, clustered or not,
// anywhere on the line.
func hpaFlag(args []string, long string) bool {
	return tftpargs.HPA(args).Has(long)
}
