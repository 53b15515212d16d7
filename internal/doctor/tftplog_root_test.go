package doctor

import (
	"path/filepath"
	"strings"
	"testing"
)

// dnsmasq's "TFTP root is OTHER secure mode" (tftp-secure) names OTHER;
// after a restart on setup-cisco's root, misses are the phones' again.
func TestTFTPLogDnsmasqRootRestart(t *testing.T) {
	root, other := t.TempDir(), t.TempDir()
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, "Nov 29 10:00:00 pbx dnsmasq-tftp[10]: TFTP root is "+other+" secure mode\n"+
		"Nov 29 10:00:01 pbx dnsmasq-tftp[10]: file "+other+"/SIPDefault.cnf not found for 192.0.2.11\n"+
		"Nov 29 10:00:01 pbx dnsmasq-tftp[10]: file "+other+"/SIP001122334455.cnf not found for 192.0.2.11\n"+
		"Nov 29 10:05:00 pbx dnsmasq-tftp[11]: TFTP root is "+root+"\n"+
		"Nov 29 10:05:01 pbx dnsmasq-tftp[11]: file "+root+"/SIP001122334477.cnf not found for 192.0.2.13\n", 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	var mismatch, phone int
	for _, f := range fs {
		s := f.String()
		switch {
		case strings.Contains(s, "serving "+other+" (") && !strings.Contains(s, "secure mode ("):
			mismatch++
		case strings.Contains(s, "asked for SIP001122334477.cnf") && strings.Contains(f.Fix, "phone add"):
			phone++
		}
	}
	if mismatch != 1 || phone != 1 || len(fs) != 2 {
		t.Errorf("want one root mismatch (%s) and one missing SIP001122334477.cnf, got %d, %d: %v", other, mismatch, phone, fs)
	}
}

// tftpd-hpa at -v logs RRQ lines only: a requested SIP<MAC>.cnf not in the
// root is named with tftpd-hpa's own advice; requested files that are
// there, and one whose NAK the log shows, are judged as before.
func TestTFTPLogHPARequestsOnly(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "SIPDefault.cnf"), "x\n", 0o644)
	log := filepath.Join(t.TempDir(), "syslog")
	write(t, log, "Nov 29 10:00:00 pbx in.tftpd[900]: RRQ from 192.0.2.11 filename SIPDefault.cnf\n"+
		"Nov 29 10:00:01 pbx in.tftpd[901]: RRQ from 192.0.2.11 filename SIP001122334499.cnf\n"+
		"Nov 29 10:00:02 pbx in.tftpd[902]: RRQ from 192.0.2.11 filename RINGLIST.DAT\n", 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	if len(fs) != 1 || !strings.Contains(fs[0].Msg, "asked for SIP001122334499.cnf") || !strings.Contains(fs[0].Msg, "-v -v") ||
		strings.Contains(fs[0].Msg, "--verbose") || !strings.Contains(fs[0].Fix, "phone add 001122334499") {
		t.Errorf("want one finding for SIP001122334499.cnf with tftpd-hpa's advice: %v", fs)
	}
}

// dnsmasq before 2.86: a clientless miss of a per-phone file names its
// phone from the file, any other one no phone, whatever came before.
func TestTFTPLogClientlessMisses(t *testing.T) {
	root := t.TempDir()
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, "Nov 29 10:00:00 dnsmasq-tftp[5]: TFTP root is "+root+"\n"+
		"Nov 29 10:00:01 dnsmasq-tftp[5]: file "+root+"/SIP001122334477.cnf not found for 192.0.2.30\n"+
		"Nov 29 10:00:02 dnsmasq-tftp[5]: file "+root+"/SIP001122334455.cnf not found\n"+
		"Nov 29 10:00:03 dnsmasq-tftp[5]: file "+root+"/SIPDefault.cnf not found\n", 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	var got []string
	for _, f := range fs {
		got = append(got, f.Subject+" | "+f.Msg)
	}
	s := strings.Join(got, "\n")
	if len(fs) != 3 || !strings.Contains(s, "phone 001122334477 | asked for SIP001122334477.cnf") ||
		!strings.Contains(s, "ext 1001") || !strings.Contains(s, "the log names no client) | asked for SIPDefault.cnf") {
		t.Errorf("clientless misses misattributed:\n%s", s)
	}
}

// A refusal served since is no problem; one still standing is, with the
// generic fix when dnsmasq is not in secure mode.
func TestTFTPLogRefusals(t *testing.T) {
	root := t.TempDir()
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, "Nov 29 10:00:00 dnsmasq-tftp[5]: TFTP root is "+root+"\n"+
		"Nov 29 10:00:01 dnsmasq-tftp[5]: cannot access "+root+"/SIPDefault.cnf: Permission denied\n"+
		"Nov 29 10:00:02 dnsmasq-tftp[5]: cannot access "+root+"/SIP001122334455.cnf: Permission denied\n"+
		"Nov 29 10:00:03 dnsmasq-tftp[5]: cannot access "+root+"/RINGLIST.DAT: Permission denied\n"+
		"Nov 29 10:05:00 dnsmasq-tftp[5]: sent "+root+"/SIPDefault.cnf to 192.0.2.11\n", 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	if len(fs) != 1 || !strings.Contains(fs[0].Msg, "refused SIP001122334455.cnf") || strings.Contains(fs[0].Fix, "tftp-secure") {
		t.Errorf("want one refusal (SIP001122334455.cnf), generic fix: %v", fs)
	}
}

// atftpd at --verbose=6 and up names each miss by its full path in the
// directory it serves: a log rotated past the daemon's start still shows
// that it serves another directory than setup-cisco's root.
func TestTFTPLogAtftpdOtherRootFromMiss(t *testing.T) {
	root, other := t.TempDir(), t.TempDir()
	write(t, filepath.Join(root, "SIPDefault.cnf"), "x\n", 0o644)
	log := filepath.Join(t.TempDir(), "atftpd.log")
	write(t, log, "Nov 29 10:00:01 pbx atftpd[10.2]: Serving SIPDefault.cnf to 192.0.2.11:3000\n"+
		"Nov 29 10:00:01 pbx atftpd[10.2]: File "+other+"/SIPDefault.cnf not found\n", 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	if len(fs) != 1 || fs[0].Subject != "atftpd" || !strings.Contains(fs[0].Msg, "serving "+other+" (") ||
		!strings.Contains(fs[0].Fix, "set tftp_root = "+other) || !strings.Contains(fs[0].Fix, "/etc/default/atftpd") {
		t.Errorf("want one problem naming atftpd's directory %s: %v", other, fs)
	}
}

// Names with control characters (any host chooses them) are shown quoted
// and are no phone's file: a note, never a fix that writes them.
func TestTFTPLogControlCharacters(t *testing.T) {
	root := t.TempDir()
	log := filepath.Join(t.TempDir(), "dnsmasq.log")
	write(t, log, "Nov 29 10:00:00 dnsmasq-tftp[5]: TFTP root is "+root+"\n"+
		"Nov 29 10:00:01 dnsmasq-tftp[5]: file "+root+"/SIPDefault.cnf\x1b[2J not found for 192.0.2.30\n"+
		"Nov 29 10:00:02 dnsmasq-tftp[5]: cannot access "+root+"/SIP001122334455.cnf\x07: Permission denied\x1b]0;x\x07\n", 0o644)
	fs := CheckTFTPLog(log, root, b16Inv())
	for _, f := range fs {
		if strings.ContainsAny(f.String(), "\x1b\x07") || f.Severity != Note {
			t.Errorf("raw control characters or not a note: %q", f.String())
		}
	}
	if len(fs) != 2 {
		t.Errorf("want two notes: %v", fs)
	}
}
