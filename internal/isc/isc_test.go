package isc

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// Statements, scopes and offsets of a dhcpd.conf with an include inside a
// subnet: included statements take the include's scope, offsets point into
// their own file, and Scope names the blocks from the outside in.
func TestLoadScopesAndIncludes(t *testing.T) {
	main := "option a code 150 = ip-address; # c\nshared-network office {\n  subnet 10.0.0.0 netmask 255.0.0.0 {\n    include \"inc.conf\";\n    pool { range 10.0.0.5 10.0.0.9; }\n  }\n}\nhost h { hardware ethernet 00:11:22:33:44:55; }\n"
	inc := "option a 10.0.0.1;\nclass \"c\" { option a 10.0.0.2; }\n"
	read := func(name string) ([]byte, error) {
		if name == "inc.conf" {
			return []byte(inc), nil
		}
		return nil, os.ErrNotExist
	}
	c, err := Load("main.conf", []byte(main), read)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ file, text, scope string }
	var got []row
	for i, s := range c.Stmts {
		got = append(got, row{s.File, s.Text(), Scope(c.Stmts, i)})
		src := c.Files[s.File]
		if !s.Block && !strings.HasSuffix(string(src[s.Off:s.End]), ";") {
			t.Errorf("%s:%d: offsets %d-%d cover %q", s.File, s.Line, s.Off, s.End, src[s.Off:s.End])
		}
	}
	want := []row{
		{"main.conf", "option a code 150 = ip-address", "global"},
		{"main.conf", "shared-network office", "global"},
		{"main.conf", "subnet 10.0.0.0 netmask 255.0.0.0", "shared-network office"},
		{"main.conf", `include "inc.conf"`, "shared-network office > subnet 10.0.0.0 netmask 255.0.0.0"},
		{"inc.conf", "option a 10.0.0.1", "shared-network office > subnet 10.0.0.0 netmask 255.0.0.0"},
		{"inc.conf", `class "c"`, "shared-network office > subnet 10.0.0.0 netmask 255.0.0.0"},
		{"inc.conf", "option a 10.0.0.2", `shared-network office > subnet 10.0.0.0 netmask 255.0.0.0 > class "c"`},
		{"main.conf", "pool", "shared-network office > subnet 10.0.0.0 netmask 255.0.0.0"},
		{"main.conf", "range 10.0.0.5 10.0.0.9", "shared-network office > subnet 10.0.0.0 netmask 255.0.0.0 > pool"},
		{"main.conf", "host h", "global"},
		{"main.conf", "hardware ethernet 00:11:22:33:44:55", "host h"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d statements, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("statement %d: got %q, want %q", i, got[i], want[i])
		}
	}
	if c.At[4] != 4 || c.Stmts[4].Line != 1 || c.Stmts[4].Depth != 2 {
		t.Errorf("included statement: at %d, line %d, depth %d", c.At[4], c.Stmts[4].Line, c.Stmts[4].Depth)
	}
	if len(c.Comments) != 1 || c.Comments[0].Text != "# c" || len(c.Order) != 2 {
		t.Errorf("comments %+v, files %q", c.Comments, c.Order)
	}
}

func TestLoadErrors(t *testing.T) {
	loop := func(string) ([]byte, error) { return []byte("include \"x\";\n"), nil }
	for _, tc := range []struct {
		src  string
		read func(string) ([]byte, error)
		want string
	}{
		{"a {\n", nil, "f:1: unbalanced braces: { is never closed"},
		{"a;\n}\n", nil, "f:2: unbalanced braces: } without {"},
		{"b \"x;\n", nil, "f:1: unterminated string"},
		{"a;\nb\n", nil, "f:2: statement is not terminated by ;"},
		{"option r code 9 = { text\n", nil, "f:1: unclosed { in option type"},
		{"include \"x\";\n", loop, "includes nested too deeply"},
	} {
		_, err := Load("f", []byte(tc.src), tc.read)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
	c, err := Load("f", []byte("include \"missing\";\n"), func(string) ([]byte, error) { return nil, os.ErrNotExist })
	if err != nil || len(c.Notes) != 1 || !strings.HasPrefix(c.Notes[0], "f:1: not following include") {
		t.Errorf("missing include: %v %q", err, c.Notes)
	}
}

// The leases file goes through the same lexer: a lease's statements are
// its children, a nested block's are not.
func TestChildren(t *testing.T) {
	src := "lease 10.0.0.5 {\n  starts 4 2026/01/01 10:00:00;\n  on expiry { set x = \"a;b\"; }\n  binding state active;\n}\n"
	stmts, _, err := ParseFile("leases", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, i := range Children(stmts, 0) {
		words = append(words, stmts[i].Word(0))
	}
	if strings.Join(words, " ") != "starts on binding" {
		t.Errorf("children: %q", words)
	}
}

// A control character outside a string is an error naming its line, not a
// lexer that never moves on (found by FuzzMerge: a NUL in an option value).
func TestLexControlCharacter(t *testing.T) {
	_, err := Lex("d.conf", []byte("subnet 10.7.0.0 netmask 255.255.255.0 {\n  option x 1\x00\x107.0.5;\n}\n"))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 2 || !strings.Contains(se.Msg, "control character 0x00") {
		t.Errorf("err = %v", err)
	}
}
