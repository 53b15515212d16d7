package freepbx

import "unicode/utf8"

// cp1252High maps the characters MariaDB's "latin1" (which is Windows-1252,
// MariaDB manual "Supported Character Sets and Collations") gives bytes
// 0x80-0x9F back to those bytes. The five bytes cp1252 leaves undefined
// (0x81, 0x8D, 0x8F, 0x90, 0x9D) come back as U+0081 etc. and need no entry.
var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// undoDoubleUTF8 repairs text that FreePBX 2.x/trixbox stored as UTF-8
// bytes in a latin1 column: its PHP wrote through a latin1 connection, so
// "Jürgen" sits in users.name as the bytes 4A C3 BC ..., and a UTF-8
// connection reads it back as "JÃ¼rgen". (Seen in a real FreePBX 2.8.1
// dump: ivr.displayname 'Nextor_DÃ­a'.) When s maps back to cp1252 bytes
// that form valid UTF-8 with at least one multi-byte sequence, those bytes
// are the text the admin typed; anything else (plain ASCII, real latin1
// text such as "Müller" read correctly, text from a utf8mb4 table) is
// returned unchanged, because a real name almost never reads as valid
// UTF-8 once re-encoded.
func undoDoubleUTF8(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < 0x80
	}
	if ascii {
		return s // nothing to repair, nothing to copy
	}
	b := make([]byte, 0, len(s))
	high := false
	for _, r := range s {
		switch {
		case r < 0x80:
			b = append(b, byte(r))
		case r <= 0xFF:
			b = append(b, byte(r))
			high = true
		default:
			c, ok := cp1252High[r]
			if !ok {
				return s
			}
			b = append(b, c)
			high = true
		}
	}
	if !high || !utf8.Valid(b) {
		return s
	}
	return string(b)
}
