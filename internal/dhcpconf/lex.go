package dhcpconf

import (
	"fmt"
	"strings"
)

// This is not a dhcpd.conf grammar: it splits the file into statements and
// scopes well enough to find option declarations, option settings, host
// blocks and our markers. dhcpd -t remains the judge of validity.

type tokKind int

const (
	tokWord tokKind = iota
	tokString
	tokPunct // { } ; , =
	tokComment
)

type token struct {
	kind tokKind
	text string // strings: without quotes, escapes kept as written
	line int
}

// SyntaxError points at a line of a configuration file.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

func lex(file string, src []byte) ([]token, error) {
	var toks []token
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
			toks = append(toks, token{tokComment, string(src[i:j]), line})
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
			toks = append(toks, token{tokString, string(src[i+1 : j]), start})
			i = j + 1
		case strings.IndexByte("{};,=", c) >= 0:
			toks = append(toks, token{tokPunct, string(c), line})
			i++
		default:
			j := i
			for j < len(src) && !isBreak(src[j]) {
				j++
			}
			toks = append(toks, token{tokWord, string(src[i:j]), line})
			i = j
		}
	}
	return toks, nil
}

func isBreak(c byte) bool {
	return c <= ' ' || strings.IndexByte("{};,=\"#", c) >= 0
}

// stmt is one statement, or the header of a block when block is set.
type stmt struct {
	file  string
	line  int // line of the first token
	end   int // line of the terminating ; or {
	depth int // 0 for global scope
	scope string
	words []token
	block bool
}

// word returns the i-th token's text, or "".
func (s stmt) word(i int) string {
	if i < len(s.words) {
		return s.words[i].text
	}
	return ""
}

type comment struct {
	line  int
	depth int
	text  string
}

// parse splits tokens into statements. base is the depth of the scope the
// file is read into (an include inside a subnet is not global).
func parse(file string, toks []token, base int, scope string) ([]stmt, []comment, error) {
	var (
		out      []stmt
		comments []comment
		cur      []token
		opens    []int // line of each open {
		scopes   = []string{scope}
	)
	depth := func() int { return base + len(opens) }
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tokComment {
			comments = append(comments, comment{t.line, depth(), t.text})
			continue
		}
		if t.kind != tokPunct || t.text == "," || t.text == "=" {
			cur = append(cur, t)
			continue
		}
		switch t.text {
		case ";":
			if len(cur) > 0 {
				out = append(out, stmt{file, cur[0].line, t.line, depth(), scopes[len(scopes)-1], cur, false})
			}
			cur = nil
		case "{":
			// A brace right after "=" opens a record type in an option
			// declaration (code N = { ip-address, text }), not a scope.
			if len(cur) > 0 && cur[len(cur)-1].text == "=" && cur[len(cur)-1].kind == tokPunct {
				j := i
				for ; j < len(toks) && !(toks[j].kind == tokPunct && toks[j].text == "}"); j++ {
					if toks[j].kind != tokComment {
						cur = append(cur, toks[j])
					}
				}
				if j == len(toks) {
					return nil, nil, &SyntaxError{file, t.line, "unclosed { in option type"}
				}
				cur = append(cur, toks[j])
				i = j
				continue
			}
			line := t.line
			if len(cur) > 0 {
				line = cur[0].line
			}
			hdr := stmt{file, line, t.line, depth(), scopes[len(scopes)-1], cur, true}
			out = append(out, hdr)
			name := ""
			if len(cur) > 0 {
				name = cur[0].text
			}
			scopes = append(scopes, name)
			opens = append(opens, t.line)
			cur = nil
		case "}":
			if len(opens) == 0 {
				return nil, nil, &SyntaxError{file, t.line, "unbalanced braces: } without {"}
			}
			if len(cur) > 0 {
				out = append(out, stmt{file, cur[0].line, t.line, depth(), scopes[len(scopes)-1], cur, false})
				cur = nil
			}
			opens = opens[:len(opens)-1]
			scopes = scopes[:len(scopes)-1]
		}
	}
	if len(opens) > 0 {
		return nil, nil, &SyntaxError{file, opens[len(opens)-1], "unbalanced braces: { is never closed"}
	}
	if len(cur) > 0 {
		return nil, nil, &SyntaxError{file, cur[0].line, "statement is not terminated by ;"}
	}
	return out, comments, nil
}
