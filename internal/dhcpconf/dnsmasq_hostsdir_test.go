package dhcpconf

import (
	"os"
	"path/filepath"
	"testing"
)

// dhcp-hostsdir entries are read like dhcp-hostsfile ones: every file of
// the directory, one dhcp-host per line, hidden files and editor backups
// skipped as dnsmasq's inotify.c skips them.
func TestInspectDnsmasqHostsDir(t *testing.T) {
	dir := t.TempDir()
	hd := filepath.Join(dir, "hosts.d")
	for name, s := range map[string]string{
		"dnsmasq.conf":       "dhcp-range=10.77.0.100,10.77.0.200\ndhcp-hostsdir = " + hd + "\n",
		"hosts.d/printers":   "# printers\n00:11:22:33:44:55,10.77.0.161,printer\n",
		"hosts.d/cams":       "id:01:aa:bb:cc:dd:ee:ff,aa:bb:cc:dd:ee:01,10.77.0.162\n",
		"hosts.d/.hidden":    "00:11:22:33:44:66,10.77.0.163\n",
		"hosts.d/printers~":  "00:11:22:33:44:77,10.77.0.164\n",
		"hosts.d/sub/nested": "00:11:22:33:44:88,10.77.0.165\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site, err := InspectDnsmasq(filepath.Join(dir, "dnsmasq.conf"), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range site.Hosts {
		got[h.IP.String()] = filepath.Base(h.File)
		if !h.HostsFile {
			t.Errorf("%s: not marked as a hosts file entry", h.Text)
		}
	}
	want := map[string]string{"10.77.0.161": "printers", "10.77.0.162": "cams"}
	if len(got) != len(want) || got["10.77.0.161"] != "printers" || got["10.77.0.162"] != "cams" {
		t.Errorf("hosts read: %v, want %v", got, want)
	}
}
