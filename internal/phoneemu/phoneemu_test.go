package phoneemu

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/pin/tftp/v3"
)

func TestParseCnf(t *testing.T) {
	src := "image_version: P0S3-8-12-00 ; the load\n" +
		"# proxy1_address: commented\n" +
		"proxy1_address:\"192.0.2.1\";\n" +
		"  line1_name : 1001\n" +
		"line1_password: \"a b;c\" ; quoted value keeps ';'\n" +
		"phone_label: \"Desk \"\r\n" +
		"not a setting\n" +
		"unknown_key: kept but unused\n"
	c := ParseCnf([]byte(src))
	want := map[string]string{
		"image_version":  "P0S3-8-12-00",
		"proxy1_address": "192.0.2.1",
		"line1_name":     "1001",
		"line1_password": "a b;c",
		"phone_label":    "Desk ",
		"unknown_key":    "kept but unused",
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("%s = %q, want %q", k, c[k], v)
		}
	}
	if len(c) != len(want) {
		t.Errorf("got %d keys, want %d: %v", len(c), len(want), c)
	}
	if img, ok := FirstLineImage([]byte(src)); !ok || img != "P0S3-8-12-00" {
		t.Errorf("FirstLineImage = %q, %v", img, ok)
	}
	if _, ok := FirstLineImage([]byte("# header\nimage_version: P0S3-8-12-00\n")); ok {
		t.Error("image_version on line 2 counted as the first line")
	}
}

// serve runs a real TFTP server (pin/tftp) on loopback for dir, refusing
// files without the world-read bit as atftpd running as nobody does.
func serve(t *testing.T, dir string) *Client {
	t.Helper()
	s := tftp.NewServer(func(name string, rf io.ReaderFrom) error {
		p := filepath.Join(dir, filepath.Clean("/"+name))
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o004 == 0 {
			return errors.New("File not found")
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = rf.ReadFrom(f)
		return err
	}, nil)
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(conn)
	t.Cleanup(s.Shutdown)
	c, err := NewClient(netip.MustParseAddrPort(conn.LocalAddr().String()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func write(t *testing.T, dir, name, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

const sipDefault = `image_version: "P0S3-8-12-00"
# SIPDefault.cnf as setup-cisco writes it
proxy1_address: "192.0.2.10"
proxy1_port: "5060"
proxy_register: 1
dial_template: "dialplan"
`

func site(t *testing.T) string {
	dir := t.TempDir()
	write(t, dir, "SIPDefault.cnf", sipDefault, 0o644)
	write(t, dir, "SIP001B54796001.cnf", `phone_label: "1001 Alice"
line1_name: "1001"
line1_authname: "1001"
line1_password: "secret1"
proxy1_address: "192.0.2.10"
proxy1_port: "5060"
line2_name: "1003"
line2_password: "secret3"
proxy2_address: "192.0.2.10"
proxy2_port: "5160"
`, 0o644)
	write(t, dir, "dialplan.xml", "<DIALTEMPLATE/>\n", 0o644)
	for _, f := range []string{"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"} {
		write(t, dir, f, "image", 0o644)
	}
	return dir
}

func names(fs []Fetch) string {
	var n []string
	for _, f := range fs {
		n = append(n, f.Name)
	}
	return strings.Join(n, " ")
}

func TestBootLoaderOrder(t *testing.T) {
	dir := site(t)
	r := Boot(serve(t, dir), Phone{MAC: "001B54796001", Model: "7960", Running: "P0S3-08-11-00"}, nil)
	if !r.OK() {
		t.Fatalf("failure: %s", r.Failure)
	}
	want := "CTLSEP001B54796001.tlv SEP001B54796001.cnf.xml P0S3-08-11-00.loads SIPDefault.cnf SIP001B54796001.cnf RINGLIST.DAT dialplan.xml " +
		"P0S3-8-12-00.loads P0S3-8-12-00.sb2 P003-8-12-00.bin P003-8-12-00.sbn"
	if got := names(r.Fetches); got != want {
		t.Errorf("requests:\n got %s\nwant %s", got, want)
	}
	if r.Image != "P0S3-8-12-00" || !r.Upgrade || r.ImageFrom != "SIPDefault.cnf" {
		t.Errorf("image %q from %q upgrade %v", r.Image, r.ImageFrom, r.Upgrade)
	}
	wantLines := []Line{
		{N: 1, Name: "1001", AuthName: "1001", Password: "secret1", Proxy: "192.0.2.10", Port: 5060},
		// authname falls back to line 1's (ADM40-p3-24)
		{N: 2, Name: "1003", AuthName: "1001", Password: "secret3", Proxy: "192.0.2.10", Port: 5160},
	}
	if len(r.Lines) != len(wantLines) {
		t.Fatalf("lines %v", r.Lines)
	}
	for i := range wantLines {
		if r.Lines[i] != wantLines[i] {
			t.Errorf("line %d = %+v, want %+v", i+1, r.Lines[i], wantLines[i])
		}
	}
}

func TestBootOldLoadPinnedImage(t *testing.T) {
	dir := site(t)
	write(t, dir, "OS79XX.TXT", "P003-07-5-00", 0o644)
	write(t, dir, "SIP001B54794002.cnf", "image_version: P0S3-07-5-00\nline1_name: 2001\nline1_password: pw\n", 0o644)
	for _, f := range []string{"P0S3-07-5-00.loads", "P0S3-07-5-00.sb2", "P003-07-5-00.sbn"} {
		write(t, dir, f, "image", 0o644)
	}
	r := Boot(serve(t, dir), Phone{MAC: "001B54794002", Model: "7940", Running: "P0S3-06-3-00"}, nil)
	if !r.OK() {
		t.Fatalf("failure: %s", r.Failure)
	}
	if got := names(r.Fetches); !strings.HasPrefix(got, "OS79XX.TXT SIPDefault.cnf SIP001B54794002.cnf ") ||
		!strings.HasSuffix(got, " P0S3-07-5-00.loads P0S3-07-5-00.sb2 P003-07-5-00.sbn") {
		t.Errorf("requests: %s", got)
	}
	if r.Image != "P0S3-07-5-00" || r.ImageFrom != "SIP001B54794002.cnf" {
		t.Errorf("image %q from %q", r.Image, r.ImageFrom)
	}
	// No line1_authname: Cisco's default is the literal UNPROVISIONED,
	// not line1_name (ADM40-p3-24); the proxy comes from SIPDefault.cnf.
	if r.Lines[0].AuthName != "UNPROVISIONED" || r.Lines[0].Proxy != "192.0.2.10" {
		t.Errorf("line 1 %+v", r.Lines[0])
	}
}

func TestBootFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"no per-phone file", func(dir string) { os.Remove(filepath.Join(dir, "SIP001B54796001.cnf")) }, "SIP001B54796001.cnf not found"},
		{"unreadable per-phone file", func(dir string) { os.Chmod(filepath.Join(dir, "SIP001B54796001.cnf"), 0o600) }, "SIP001B54796001.cnf not found"},
		{"image file missing", func(dir string) { os.Remove(filepath.Join(dir, "P0S3-8-12-00.sb2")) }, "P0S3-8-12-00.sb2: file not found"},
		{"image_version not first", func(dir string) {
			write(t, dir, "SIPDefault.cnf", "# header\n"+sipDefault, 0o644)
		}, "No Load Specified"},
		{"no SIPDefault.cnf", func(dir string) { os.Remove(filepath.Join(dir, "SIPDefault.cnf")) }, "SIPDefault.cnf not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := site(t)
			tc.setup(dir)
			r := Boot(serve(t, dir), Phone{MAC: "001B54796001", Model: "7960"}, nil)
			if r.OK() || !strings.Contains(r.Failure, tc.want) {
				t.Errorf("failure %q, want it to contain %q", r.Failure, tc.want)
			}
		})
	}
	// Optional files missing do not fail the boot.
	r := Boot(serve(t, site(t)), Phone{MAC: "001B54796001", Model: "7960"}, nil)
	if !r.OK() || !errors.Is(r.Fetches[0].Err, ErrNotFound) {
		t.Errorf("CTLSEP missing: ok=%v failure=%q err=%v", r.OK(), r.Failure, r.Fetches[0].Err)
	}
}

func ack(t *testing.T, opts ...dhcpv4.Option) *dhcpv4.DHCPv4 {
	t.Helper()
	mods := []dhcpv4.Modifier{dhcpv4.WithYourIP(net.IPv4(10, 79, 60, 150)), dhcpv4.WithNetmask(net.CIDRMask(24, 32)),
		dhcpv4.WithServerIP(net.IPv4(10, 79, 60, 1)), dhcpv4.WithMessageType(dhcpv4.MessageTypeAck)}
	for _, o := range opts {
		mods = append(mods, dhcpv4.WithOption(o))
	}
	m, err := dhcpv4.New(mods...)
	if err != nil {
		t.Fatal(err)
	}
	// Through the wire format, as the client receives it.
	m, err = dhcpv4.FromBytes(m.ToBytes())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFromACK(t *testing.T) {
	opt150 := dhcpv4.OptGeneric(dhcpv4.OptionTFTPServerAddress, []byte{10, 79, 60, 1, 10, 79, 60, 2})
	l, err := FromACK(ack(t, opt150, dhcpv4.OptTFTPServerName("10.79.60.9")))
	if err != nil || l.TFTP.String() != "10.79.60.1" || l.From != "option 150" || l.Addr.String() != "10.79.60.150/24" {
		t.Errorf("150 and 66: %+v %v", l, err)
	}
	l, _ = FromACK(ack(t, dhcpv4.OptTFTPServerName("10.79.60.9")))
	if l.TFTP.String() != "10.79.60.9" || l.From != "option 66" {
		t.Errorf("66 only: %+v", l)
	}
	l, _ = FromACK(ack(t, dhcpv4.OptTFTPServerName("tftp.example")))
	if l.TFTP.IsValid() || l.TFTPErr == nil || !strings.Contains(l.TFTPErr.Error(), "tftp.example") {
		t.Errorf("66 as a name: %+v", l)
	}
	l, _ = FromACK(ack(t))
	if !errors.Is(l.TFTPErr, ErrNoTFTPServer) || !strings.Contains(l.TFTPErr.Error(), "Protocol Application Invalid") {
		t.Errorf("neither: %+v", l)
	}
}
