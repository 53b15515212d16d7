package tftpargs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRootAsGetoptReadsIt: each daemon's directory is its first operand
// wherever it stands, its options parsed with its own table. The atftpd
// lines are as the real atftpd 0.8.0 was run (it logs "directory: D/"):
// `--logfile - --verbose=7 d1 d2` serves d1, `--logfile - d1 -v 7` d1 (-v
// takes its value only attached, so 7 is a second operand), `d1 --verb=7
// --log -` d1 (abbreviations), `--logfile - -v7 -m 5 d2` d2, and with no
// directory Debian's build serves /srv/tftp.
func TestRootAsGetoptReadsIt(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/usr/sbin/atftpd", "--logfile", "/var/log/a.log", "--verbose=7", "/d1", "/d2"}, "/d1"},
		{[]string{"/usr/sbin/atftpd", "--logfile", "-", "/d1", "-v", "7"}, "/d1"},
		{[]string{"/usr/sbin/atftpd", "/d1", "--verb=7", "--log", "/var/log/a.log"}, "/d1"},
		{[]string{"/usr/sbin/atftpd", "--logfile", "/var/log/a.log", "-v7", "-m", "5", "/d2"}, "/d2"},
		{[]string{"/usr/sbin/atftpd", "--daemon", "--user", "tftp.tftp", "--port", "69"}, "/srv/tftp"},
		{[]string{"/usr/sbin/atftpd", "--", "/srv/tftp"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "--tftpd-timeout", "300", "--verbose=5", "/srv/tftp", "--logfile", "/var/log/atftpd.log"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "--verbose=5", "/srv/tftp", "--logfile=/var/log/atftpd.log", "--verbose=7"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "--pidfile", "/run/atftpd.pid"}, "/srv/tftp"},
	} {
		if got := AtftpdRoot(Atftpd(c.args)); got != c.want {
			t.Errorf("atftpd %q: root %q, want %q", c.args, got, c.want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/usr/sbin/in.tftpd", "-m", "/etc/tftpd.map", "-s", "/srv/tftp"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "/srv/tftp", "--user", "tftp", "-vvs"}, "/srv/tftp"},
		{[]string{"/usr/sbin/in.tftpd", "-u", "tftp", "-P", "/run/tftpd.pid", "--secure", "/tftpboot"}, "/tftpboot"},
		{[]string{"/usr/sbin/in.tftpd", "--listen", "--user", "tftp", "--address", ":69", "--secure", "/srv/a", "/srv/b"}, "/srv/a"},
		{[]string{"/usr/sbin/in.tftpd", "-l", "-u", "tftp", "-a", ":69", "-s"}, ""},
	} {
		if got := HPARoot(HPA(c.args)); got != c.want {
			t.Errorf("tftpd-hpa %q: root %q, want %q", c.args, got, c.want)
		}
	}
}

// TestParseOptions: flags anywhere, clustered, abbreviated; values taken
// as getopt takes them; what the table does not hold is Unknown.
func TestParseOptions(t *testing.T) {
	for _, args := range [][]string{
		{"in.tftpd", "-s", "/srv/tftp", "-c"},
		{"in.tftpd", "-vcs", "/srv/tftp"},
		{"in.tftpd", "--cre", "--secure", "/srv/tftp"},
	} {
		if !HPA(args).Has("create") {
			t.Errorf("%q: --create not seen", args)
		}
	}
	// A value is not a flag: -u c is the user c.
	c := HPA([]string{"in.tftpd", "-u", "c", "-s", "/srv/tftp"})
	if c.Has("create") || c.Last("user") != "c" || !slices.Equal(c.Operands, []string{"/srv/tftp"}) {
		t.Errorf("-u c -s /srv/tftp: create %v, user %q, operands %q", c.Has("create"), c.Last("user"), c.Operands)
	}
	// Attached values, the last of a repeated option.
	c = HPA([]string{"in.tftpd", "-uone", "--user=two", "-m/etc/a.map", "--map-file", "/etc/b.map", "/srv/tftp"})
	if c.Last("user") != "two" || c.Last("map-file") != "/etc/b.map" {
		t.Errorf("user %q, map-file %q", c.Last("user"), c.Last("map-file"))
	}
	// atftpd -v takes its level only attached: "-v 7" is -v and an operand.
	c = Atftpd([]string{"atftpd", "-v", "7", "/srv/tftp"})
	if !c.Has("verbose") || c.Last("verbose") != "" || !slices.Equal(c.Operands, []string{"7", "/srv/tftp"}) {
		t.Errorf("-v 7: verbose %v %q, operands %q", c.Has("verbose"), c.Last("verbose"), c.Operands)
	}
	if c := Atftpd([]string{"atftpd", "-v7", "--verbose=5"}); c.Last("verbose") != "5" {
		t.Errorf("-v7 --verbose=5: %q", c.Last("verbose"))
	}
	// Ambiguous abbreviations and unknown options are Unknown, their
	// would-be values operands (getopt does not know they take one).
	c = Atftpd([]string{"atftpd", "--mcast", "1", "--no-t", "-x", "--bogus=1", "/srv/tftp"})
	if !slices.Equal(c.Unknown, []string{"--mcast", "--no-t", "-x", "--bogus=1"}) || !slices.Equal(c.Operands, []string{"1", "/srv/tftp"}) {
		t.Errorf("unknown %q, operands %q", c.Unknown, c.Operands)
	}
	// "--" ends the options; "-" is an operand.
	c = Atftpd([]string{"atftpd", "-", "--", "--daemon", "/x"})
	if c.Has("daemon") || !slices.Equal(c.Operands, []string{"-", "--daemon", "/x"}) {
		t.Errorf("-- ends options: daemon %v, operands %q", c.Has("daemon"), c.Operands)
	}
	// stop: the first operand ends the options (systemd-socket-activate's
	// "+hl:aE:d"): the program's own options stay its own.
	sa := []Opt{{"listen", 'l', RequiredArg}, {"datagram", 'd', NoArg}}
	c = Parse([]string{"systemd-socket-activate", "-d", "-l", "127.0.0.1:69", "/usr/sbin/in.tftpd", "-l", "/srv/tftp"}, sa, true)
	if c.Last("listen") != "127.0.0.1:69" || !slices.Equal(c.Operands, []string{"/usr/sbin/in.tftpd", "-l", "/srv/tftp"}) {
		t.Errorf("stop: listen %q, operands %q", c.Last("listen"), c.Operands)
	}
	// Nothing, or a program alone.
	for _, args := range [][]string{nil, {"atftpd"}} {
		if c := Atftpd(args); c.Has("daemon") || c.Last("user") != "" || len(c.Operands) != 0 || len(c.Unknown) != 0 {
			t.Errorf("%q: %+v", args, c)
		}
	}
	if got := HPARoot(Cmdline{}); got != "" {
		t.Errorf("zero Cmdline: %q", got)
	}
}

// TestReadEnvFile: Debian's /etc/default files as the packages ship them,
// with the forms an admin writes.
func TestReadEnvFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "atftpd")
	text := "## Options for atftpd:\n" +
		"OPTIONS=\"--port 69 --verbose=5 /srv/tftp\"\n" +
		"; a comment\n\n" +
		"  export TFTP_DIRECTORY='/srv/a b'  \n" +
		"NOEQUALS\n" +
		"EMPTY=\n" +
		"Q=\"unbalanced\n" +
		"OPTIONS=--daemon /tftpboot\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KEPT": "1"}
	if err := ReadEnvFile(p, env); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"KEPT": "1", "OPTIONS": "--daemon /tftpboot", "TFTP_DIRECTORY": "/srv/a b", "EMPTY": "", "Q": "\"unbalanced"}
	if len(env) != len(want) {
		t.Errorf("env %q, want %q", env, want)
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	if err := ReadEnvFile(filepath.Join(t.TempDir(), "missing"), env); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

// TestSplitQuoted: ExecStart= and Environment= words.
func TestSplitQuoted(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`/usr/sbin/in.tftpd $OPTIONS`, []string{"/usr/sbin/in.tftpd", "$OPTIONS"}},
		{"  a\tb  ", []string{"a", "b"}},
		{`"OPTIONS=--verbose=5 /srv/tftp" X='a b'`, []string{"OPTIONS=--verbose=5 /srv/tftp", "X=a b"}},
		{`a "" b`, []string{"a", "", "b"}},
		{`say "it's"`, []string{"say", "it's"}},
		{"", nil},
	} {
		if got := SplitQuoted(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}
