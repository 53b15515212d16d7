// Package isc reads files in ISC DHCP's configuration syntax: dhcpd.conf
// (dhcpd.conf(5)), with its include statements, and dhcpd.leases
// (dhcpd.leases(5)). It is not a grammar: it splits a file into tokens,
// statements and { } scopes, keeping each one's file, line and byte offsets,
// well enough to find option declarations and settings, host and lease
// blocks and the markers setup-dhcp writes. dhcpd -t remains the judge of
// validity.
package isc

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Kind of a token.
type Kind int

// Token kinds.
const (
	Word    Kind = iota
	String       // a quoted string; Text is without the quotes, escapes kept as written
	Punct        // one of { } ; , =
	Comment      // from # to the end of the line
)

// Token is one lexical element.
type Token struct {
	Kind Kind
	Text string
	Line int // 1-based line of its first byte
	Off  int // byte offset of its first byte
	End  int // byte offset just past it
}

// SyntaxError points at a line of a file.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Lex splits src into tokens. file names src in errors.
func Lex(file string, src []byte) ([]Token, error) {
	var toks []Token
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#':
			j := i
			for j < len(src) && src[j] != '\n' {
				j++
			}
			toks = append(toks, Token{Comment, string(src[i:j]), line, i, j})
			i = j
		case c == '"':
			start := line
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				if src[j] == '\n' {
					line++
				}
			}
			if j >= len(src) {
				return nil, &SyntaxError{file, start, "unterminated string"}
			}
			toks = append(toks, Token{String, string(src[i+1 : j]), start, i, j + 1})
			i = j + 1
		case strings.IndexByte("{};,=", c) >= 0:
			toks = append(toks, Token{Punct, string(c), line, i, i + 1})
			i++
		case c < ' ' || c == 0x7f:
			// Another control character (a NUL, say) ends no word and
			// starts none: without this case the lexer never moved on.
			return nil, &SyntaxError{file, line, fmt.Sprintf("control character 0x%02x outside a string", c)}
		default:
			j := i
			for j < len(src) && !isBreak(src[j]) {
				j++
			}
			toks = append(toks, Token{Word, string(src[i:j]), line, i, j})
			i = j
		}
	}
	return toks, nil
}

func isBreak(c byte) bool {
	return c <= ' ' || c == 0x7f || strings.IndexByte("{};,=\"#", c) >= 0
}

// Stmt is one statement, or the header of a { } block when Block is set.
type Stmt struct {
	File    string
	Line    int // line of the first token
	EndLine int // line of the terminating ; or {
	Off     int // byte offset of the first token in File
	End     int // byte offset just past the terminating ; or { (or the last word, before a })
	Depth   int // 0 at global scope
	Parent  int // index of the enclosing block's header in the same list; -1 at global scope
	Words   []Token
	Block   bool
}

// Word returns the i-th token's text, or "".
func (s Stmt) Word(i int) string {
	if i < len(s.Words) {
		return s.Words[i].Text
	}
	return ""
}

// Text is the statement's words joined by single spaces (strings quoted).
func (s Stmt) Text() string {
	var b strings.Builder
	for i, w := range s.Words {
		if i > 0 && !(w.Kind == Punct && w.Text == ",") {
			b.WriteByte(' ')
		}
		if w.Kind == String {
			b.WriteString(`"` + w.Text + `"`)
		} else {
			b.WriteString(w.Text)
		}
	}
	return b.String()
}

// CommentLine is a comment with the scope depth it appears at.
type CommentLine struct {
	File  string
	Line  int
	Depth int
	Text  string
}

// Parse splits tokens into statements. depth is that of the scope the
// tokens are read into (an include inside a subnet is not global). Parent
// indexes point into the returned list; -1 is the top level.
func Parse(file string, toks []Token, depth int) ([]Stmt, []CommentLine, error) {
	var (
		out      []Stmt
		comments []CommentLine
		cur      []Token
		opens    []int // index in out of each open block's header (-1: the caller's parent)
	)
	top := func() int {
		if len(opens) == 0 {
			return -1
		}
		return opens[len(opens)-1]
	}
	d := func() int { return depth + len(opens) }
	emit := func(end Token, block bool) {
		line, off := end.Line, end.Off
		if len(cur) > 0 {
			line, off = cur[0].Line, cur[0].Off
		}
		endOff := end.End
		if end.Text == "}" { // a statement closed by } without ;
			endOff = cur[len(cur)-1].End
		}
		out = append(out, Stmt{File: file, Line: line, EndLine: end.Line, Off: off, End: endOff, Depth: d(), Parent: top(), Words: cur, Block: block})
		cur = nil
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == Comment {
			comments = append(comments, CommentLine{file, t.Line, d(), t.Text})
			continue
		}
		if t.Kind != Punct || t.Text == "," || t.Text == "=" {
			cur = append(cur, t)
			continue
		}
		switch t.Text {
		case ";":
			if len(cur) > 0 {
				emit(t, false)
			}
		case "{":
			// A brace right after "=" opens a record type in an option
			// declaration (code N = { ip-address, text }), not a scope.
			if len(cur) > 0 && cur[len(cur)-1].Kind == Punct && cur[len(cur)-1].Text == "=" {
				j := i
				for ; j < len(toks) && !(toks[j].Kind == Punct && toks[j].Text == "}"); j++ {
					if toks[j].Kind != Comment {
						cur = append(cur, toks[j])
					}
				}
				if j == len(toks) {
					return nil, nil, &SyntaxError{file, t.Line, "unclosed { in option type"}
				}
				cur = append(cur, toks[j])
				i = j
				continue
			}
			emit(t, true)
			opens = append(opens, len(out)-1)
		case "}":
			if len(opens) == 0 {
				return nil, nil, &SyntaxError{file, t.Line, "unbalanced braces: } without {"}
			}
			if len(cur) > 0 {
				emit(t, false)
			}
			opens = opens[:len(opens)-1]
		}
	}
	if len(opens) > 0 {
		return nil, nil, &SyntaxError{file, out[opens[len(opens)-1]].EndLine, "unbalanced braces: { is never closed"}
	}
	if len(cur) > 0 {
		return nil, nil, &SyntaxError{file, cur[0].Line, "statement is not terminated by ;"}
	}
	return out, comments, nil
}

// ParseFile lexes and parses one file at global scope.
func ParseFile(file string, src []byte) ([]Stmt, []CommentLine, error) {
	toks, err := Lex(file, src)
	if err != nil {
		return nil, nil, err
	}
	return Parse(file, toks, 0)
}

// Config is a dhcpd.conf with the files it includes, read in the order
// dhcpd reads them.
type Config struct {
	Path     string
	Files    map[string][]byte // every file read, by the name statements carry
	Order    []string          // Files' names, main file first
	Stmts    []Stmt            // the main file's statements with each include's spliced in after it
	Comments []CommentLine     // of the main file only
	// At is, for each statement, its line in the main file, or that of
	// the include statement that brought it in.
	At []int
	// Notes are includes that could not be followed, as file:line: text.
	Notes []string
}

// MaxIncludeDepth bounds nested includes (a file including itself).
const MaxIncludeDepth = 8

// Load reads a dhcpd.conf whose content is src. readFile, if not nil,
// follows include statements (a relative name is taken from path's
// directory); an include that cannot be read becomes a note.
func Load(path string, src []byte, readFile func(string) ([]byte, error)) (*Config, error) {
	stmts, comments, err := ParseFile(path, src)
	if err != nil {
		return nil, err
	}
	c := &Config{Path: path, Files: map[string][]byte{path: src}, Order: []string{path}, Comments: comments}
	if err := c.add(stmts, -1, nil, readFile, 0); err != nil {
		return nil, err
	}
	return c, nil
}

// add appends one file's statements (Parent indexes local to stmts, -1 at
// the file's top level, which lies in block outer of c.Stmts); anchor is the
// main-file line of the include that brought them in (nil for the main file).
func (c *Config) add(stmts []Stmt, outer int, anchor *int, readFile func(string) ([]byte, error), nest int) error {
	where := make([]int, len(stmts)) // local index -> index in c.Stmts
	for k, s := range stmts {
		at := s.Line
		if anchor != nil {
			at = *anchor
		}
		if s.Parent < 0 {
			s.Parent = outer
		} else {
			s.Parent = where[s.Parent]
		}
		where[k] = len(c.Stmts)
		c.Stmts = append(c.Stmts, s)
		c.At = append(c.At, at)
		if s.Word(0) != "include" || readFile == nil || len(s.Words) < 2 || s.Words[1].Kind != String {
			continue
		}
		name := s.Words[1].Text
		if !filepath.IsAbs(name) && c.Path != "" {
			name = filepath.Join(filepath.Dir(c.Path), name)
		}
		if nest >= MaxIncludeDepth {
			return &SyntaxError{s.File, s.Line, "includes nested too deeply"}
		}
		src, err := readFile(name)
		if err != nil {
			c.Notes = append(c.Notes, fmt.Sprintf("%s:%d: not following include: %v", s.File, s.Line, err))
			continue
		}
		if _, seen := c.Files[name]; !seen {
			c.Order = append(c.Order, name)
		}
		c.Files[name] = src
		toks, err := Lex(name, src)
		if err != nil {
			return err
		}
		sub, _, err := Parse(name, toks, s.Depth)
		if err != nil {
			return err
		}
		if err := c.add(sub, s.Parent, &at, readFile, nest+1); err != nil {
			return err
		}
	}
	return nil
}

// Scope describes where statement i applies: "global", or its enclosing
// blocks from the outside in, e.g. `subnet 192.0.2.0 netmask 255.255.255.0 > pool`.
func Scope(stmts []Stmt, i int) string {
	var chain []string
	for p := stmts[i].Parent; p >= 0; p = stmts[p].Parent {
		chain = append([]string{stmts[p].Text()}, chain...)
	}
	if len(chain) == 0 {
		return "global"
	}
	return strings.Join(chain, " > ")
}

// ScopeKind is the keyword of the innermost block around statement i
// (subnet, pool, host, class, ...), or "" at global scope.
func ScopeKind(stmts []Stmt, i int) string {
	if p := stmts[i].Parent; p >= 0 {
		return stmts[p].Word(0)
	}
	return ""
}

// Children returns the indexes of the statements directly inside block i.
func Children(stmts []Stmt, i int) []int {
	var out []int
	for j := i + 1; j < len(stmts) && stmts[j].Depth > stmts[i].Depth; j++ {
		if stmts[j].Parent == i {
			out = append(out, j)
		}
	}
	return out
}

// SplitLines splits s after each newline, keeping the line endings.
func SplitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
