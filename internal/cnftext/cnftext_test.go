package cnftext

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Jürgen Müller", "Jurgen Muller"},
		{"José \"Pepe\" Núñez", "Jose Pepe Nunez"},
		{"Reception # main; desk", "Reception main desk"},
		{"line1\nline2\r\nx", "line1 line2 x"},
		{"Straße Øresund", "Strasse Oresund"},
		{"北京 office", "office"},
		{"   ", ""},
		{"tab\there", "tab here"},
		{"\x00\x1b[31mred", "[31mred"},
	}
	for _, c := range cases {
		if got := Text(c.in, 40); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Text("Bartholomew Longname", 12); got != "Bartholomew" {
		t.Errorf("cut = %q", got)
	}
	// Whatever goes in, nothing that ends the value comes out.
	for _, in := range []string{"a\"b", "a;b", "a#b", "a\nb", "é\u0301"} {
		out := Text(in, 40)
		if strings.ContainsAny(out, "\"#;\n\r") {
			t.Errorf("Text(%q) = %q keeps a structural character", in, out)
		}
		for _, r := range out {
			if r < 0x20 || r > 0x7e {
				t.Errorf("Text(%q) = %q keeps non-printable %q", in, out, r)
			}
		}
	}
}

func TestSecret(t *testing.T) {
	if s, err := Secret("8f14e45fceea167a5a36dedd4bea2543"); err != nil || s != "8f14e45fceea167a5a36dedd4bea2543" {
		t.Errorf("good secret refused: %v", err)
	}
	for _, bad := range []string{"", "pa ss", "pa\"ss", "pa#ss", "pa;ss", "pässword", "a\nb", strings.Repeat("x", 65)} {
		if _, err := Secret(bad); err == nil {
			t.Errorf("Secret(%q) accepted", bad)
		}
	}
}

func TestToken(t *testing.T) {
	for _, ok := range []string{"1001", "alice", "*97", "a.b-c_d"} {
		if _, err := Token(ok); err != nil {
			t.Errorf("Token(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "10 01", "1001@pbx", "a\"b", "a;b"} {
		if _, err := Token(bad); err == nil {
			t.Errorf("Token(%q) accepted", bad)
		}
	}
}

func TestMaskSecrets(t *testing.T) {
	in := "line1_name: \"1001\"\nline1_password: \"s3cret\"\nphone_password: \"cisco\"\nline2_password:x"
	got := string(MaskSecrets([]byte(in)))
	if strings.Contains(got, "s3cret") || strings.Contains(got, "cisco") || strings.Contains(got, ":x") {
		t.Errorf("not masked:\n%s", got)
	}
	if !strings.HasPrefix(got, "line1_name: \"1001\"\n") || strings.Count(got, "<secret hmac-sha256:") != 3 {
		t.Errorf("masked wrongly:\n%s", got)
	}
}

// A changed secret shows as a changed line, also beside other changes;
// an unchanged one masks the same on both sides.
func TestMaskSecretsShowsChange(t *testing.T) {
	old := MaskSecrets([]byte("sync: 2\nline1_password: \"old\"\nphone_password: \"cisco\"\n"))
	neu := MaskSecrets([]byte("sync: 3\nline1_password: \"new\"\nphone_password: \"cisco\"\n"))
	ol, nl := strings.Split(string(old), "\n"), strings.Split(string(neu), "\n")
	if ol[1] == nl[1] {
		t.Errorf("changed secret masks the same: %q", ol[1])
	}
	if ol[2] != nl[2] {
		t.Errorf("unchanged secret masks differently: %q, %q", ol[2], nl[2])
	}
	if got := string(MaskSecrets([]byte("line1_password: \"\"\n"))); got != "line1_password: <secret empty>\n" {
		t.Errorf("empty secret: %q", got)
	}
}
