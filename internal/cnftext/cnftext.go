// Package cnftext makes database text safe to place inside a quoted value of
// a Cisco 79x0 .cnf file, so that no value can change the file's structure.
//
// The phone's parser reads one `name: value` per line; `#` starts a comment
// and `;` ends the value (Cisco's samples and CME-generated files write
// `key: "value"; comment`), and a double quote ends a quoted value. No escape
// syntax is documented for either character (see the fact sheet, "Unverified":
// whether `;` or `#` are accepted inside quotes). So display text keeps only
// printable ASCII without `"`, `#` and `;`, and a secret that needs any of
// those is refused rather than altered: an altered secret would register
// with the wrong password and nobody would know why.
//
// Sources: Cisco SIP IP Phone admin guide 7.5, appendix D (sipaxd75);
// CME "Files" chapter (cmefiles); both cited in
// shared/reference/cisco-79x0-sip-facts.md §2.
package cnftext

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Field lengths. Cisco's appendix lists no limits for these fields; the
// values are conservative: phone_label 11 (FUNKFEUER), Provisioner's 12 for
// the line label, and 31 for text the phone sends in SIP headers.
const (
	MaxDisplayName = 31
	MaxShortName   = 12
	MaxLabel       = 11
	// MaxSecret is generous: FreePBX generates 32-character secrets.
	MaxSecret = 64
)

// letters the NFD decomposition does not reduce to ASCII: Latin ones, and
// the Cyrillic and Greek alphabets (names typed in Russia, Ukraine,
// Bulgaria, Serbia or Greece), transliterated as BGN/PCGN (Cyrillic) and
// ELOT 743 (Greek) do, simplified to one spelling per letter. Letters with
// a diacritic (й, ї, ё, ў; Greek tonos) are reduced by NFD to their base
// letter first.
var special = withScripts(map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "AE", 'ø': "o", 'Ø': "O", 'œ': "oe", 'Œ': "OE",
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "Th",
	'ı': "i", '–': "-", '—': "-", '‘': "'", '’': "'", '“': "'", '”': "'", '„': "'",
})

// scripts pairs each lower-case letter with its transliteration; the
// upper-case letter gets it capitalised.
var scripts = []struct {
	letter rune
	latin  string
}{
	// Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian).
	{'а', "a"}, {'б', "b"}, {'в', "v"}, {'г', "g"}, {'ґ', "g"}, {'д', "d"}, {'ђ', "dj"},
	{'е', "e"}, {'є', "ye"}, {'ж', "zh"}, {'з', "z"}, {'ѕ', "dz"}, {'и', "i"}, {'і', "i"},
	{'ј', "j"}, {'к', "k"}, {'л', "l"}, {'љ', "lj"}, {'м', "m"}, {'н', "n"}, {'њ', "nj"},
	{'о', "o"}, {'п', "p"}, {'р', "r"}, {'с', "s"}, {'т', "t"}, {'ћ', "c"}, {'у', "u"},
	{'ф', "f"}, {'х', "kh"}, {'ц', "ts"}, {'ч', "ch"}, {'џ', "dz"}, {'ш', "sh"},
	{'щ', "shch"}, {'ъ', ""}, {'ы', "y"}, {'ь', ""}, {'э', "e"}, {'ю', "yu"}, {'я', "ya"},
	// Greek.
	{'α', "a"}, {'β', "v"}, {'γ', "g"}, {'δ', "d"}, {'ε', "e"}, {'ζ', "z"}, {'η', "i"},
	{'θ', "th"}, {'ι', "i"}, {'κ', "k"}, {'λ', "l"}, {'μ', "m"}, {'ν', "n"}, {'ξ', "x"},
	{'ο', "o"}, {'π', "p"}, {'ρ', "r"}, {'σ', "s"}, {'ς', "s"}, {'τ', "t"}, {'υ', "y"},
	{'φ', "f"}, {'χ', "ch"}, {'ψ', "ps"}, {'ω', "o"},
}

// withScripts adds scripts, both cases, to m.
func withScripts(m map[rune]string) map[rune]string {
	for _, l := range scripts {
		m[l.letter] = l.latin
		if up := unicode.ToUpper(l.letter); up != l.letter {
			if l.latin == "" {
				m[up] = ""
			} else {
				m[up] = strings.ToUpper(l.latin[:1]) + l.latin[1:]
			}
		}
	}
	return m
}

// Text returns s transliterated to printable ASCII (accents removed, ß to
// ss), with quote, comment characters and control characters dropped, runs
// of white space folded to one space, trimmed and cut to max bytes. Text
// that is already so is returned as it is, not copied (most names are:
// 100,000 phones' worth is 8 MB not held twice).
func Text(s string, max int) string {
	if plain(s, max) {
		return s
	}
	return text(s, max)
}

// plain says whether Text(s, max) is s: at most max bytes of printable
// ASCII but '"', '#' and ';', with single spaces between words.
func plain(s string, max int) bool {
	if len(s) > max || len(s) > 0 && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return false
	}
	space := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if space {
				return false
			}
			space = true
		case c < 0x21 || c > 0x7e || c == '"' || c == '#' || c == ';':
			return false
		default:
			space = false
		}
	}
	return true
}

func text(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		if rep, ok := special[r]; ok {
			b.WriteString(rep)
			space = false
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r): // combining accent left by NFD
		case unicode.IsSpace(r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
		case r < 0x21 || r > 0x7e, r == '"', r == '#', r == ';':
		default:
			b.WriteRune(r)
			space = false
		}
	}
	out := strings.TrimSpace(b.String())
	if len(out) > max {
		out = strings.TrimSpace(out[:max])
	}
	return out
}

// Secret returns s unchanged when the phone can be given it faithfully, or
// an error saying why not.
func Secret(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty secret")
	}
	if len(s) > MaxSecret {
		return "", fmt.Errorf("secret longer than %d characters", MaxSecret)
	}
	for _, r := range s {
		switch {
		case r < 0x21 || r > 0x7e:
			return "", fmt.Errorf("secret has a character the phone's config file cannot hold (space, control or non-ASCII)")
		case r == '"' || r == '#' || r == ';':
			return "", fmt.Errorf("secret contains %q, which ends the value in the phone's config file", r)
		}
	}
	return s, nil
}

// Token returns s when it is a plain identifier usable as lineN_name or
// authname (Cisco: a number or user ID, no host part), or an error.
func Token(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty")
	}
	if len(s) > 31 {
		return "", fmt.Errorf("%q is longer than 31 characters", s)
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '*' || r == '+' || r == '_' || r == '.' || r == '-') {
			return "", fmt.Errorf("%q contains %q: a line name is a number or user ID", s, r)
		}
	}
	return s, nil
}

// MaskSecrets replaces the values of password keys (lineN_password,
// phone_password) with a short fingerprint, `<secret hmac-sha256:1a2b3c>`,
// for diffs and displays: a changed secret shows as a changed line without
// its value (issue 11.3). The fingerprint is keyed with a random key drawn
// once per process, so within one run equal values give equal fingerprints,
// but a fingerprint cannot be looked up in a table of hashed common
// passwords. The value is what follows the colon, blanks and quotes
// trimmed; an empty one shows as `<secret empty>`.
func MaskSecrets(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	for i, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		if !ok || !SecretKey(strings.TrimSpace(k)) {
			continue
		}
		nl := ""
		if strings.HasSuffix(l, "\n") {
			nl = "\n"
		}
		lines[i] = k + ": " + Fingerprint(strings.Trim(strings.TrimSpace(v), `"`)) + nl
	}
	return []byte(strings.Join(lines, ""))
}

// SecretKey says whether a .cnf key holds a secret: lineN_password (the
// line's SIP secret, from FreePBX) and phone_password (the settings
// menu's), or any other key ending in "password", in any case.
func SecretKey(k string) bool {
	return len(k) >= len("password") && strings.EqualFold(k[len(k)-len("password"):], "password")
}

// Fingerprint is the masked form of one secret (see MaskSecrets).
func Fingerprint(secret string) string {
	if secret == "" {
		return "<secret empty>"
	}
	maskKeyOnce.Do(func() { rand.Read(maskKey[:]) }) // never fails (crypto/rand)
	m := hmac.New(sha256.New, maskKey[:])
	m.Write([]byte(secret))
	return fmt.Sprintf("<secret hmac-sha256:%x>", m.Sum(nil)[:3])
}

var (
	maskKeyOnce sync.Once
	maskKey     [32]byte
)
