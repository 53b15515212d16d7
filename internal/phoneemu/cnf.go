package phoneemu

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
)

// Cnf is a parsed SIPDefault.cnf or SIP<MAC>.cnf: key to value, keys as
// written (the phone's keys are lower case).
type Cnf map[string]string

// ParseCnf reads a .cnf file with the phone's rules (fact sheet §2): one
// `name: value` per line, `#` starts a comment line, `;` ends the value,
// quotes around the value are optional, spacing around the colon varies.
// Lines that are not `name: value` are skipped, as the phone skips unknown
// keys; the last value of a key wins.
func ParseCnf(data []byte) Cnf {
	c := Cnf{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if k, v, ok := cnfLine(sc.Text()); ok {
			c[k] = v
		}
	}
	return c
}

// cnfLine splits one line into key and value: the same reader doctor
// uses, so the emulator and doctor read a file alike.
func cnfLine(line string) (key, value string, ok bool) { return cnftext.ParseLine(line) }

// FirstLineImage returns the image_version set on the first line of
// SIPDefault.cnf (cnftext.FirstLineImage).
func FirstLineImage(data []byte) (string, bool) { return cnftext.FirstLineImage(data) }

// Format writes c as a .cnf file, keys sorted, every value quoted: the form
// phoneemu --flash keeps a phone's flash in between runs.
func (c Cnf) Format() []byte {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: \"%s\"\n", k, c[k])
	}
	return b.Bytes()
}
