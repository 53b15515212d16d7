// Package ringlist decides RINGLIST.DAT's entries: the ring files the TFTP
// root offers, keeping the entries an admin wrote for files that exist.
//
// Format (Cisco SIP IP Phone admin guide, "Custom Ring Types"; the
// how-to's RINGLIST.DAT): one entry per line, the label shown on the phone,
// then whitespace (a tab), then the file name in the TFTP root. The phone
// offers every entry it lists, so an entry whose file is missing, or that
// breaks Cisco's rules for a ring (Playable), is a ring type that fails
// when chosen.
package ringlist

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Cisco's rules for a ring a phone can play (Cisco IP Phone administration
// guides, "PCM File Requirements for Custom Ring Types" and the ring
// list's "FileName": e.g. 7961G/7941G OL-6966-01 p.6-2/6-3, 7906G/7911G
// OL-10008-01 p.6-2/6-3; usecallmanager.nz ring-list-xml): raw u-law PCM,
// no header, 8000 samples/s, 8 bits (one byte) a sample, 240 to 16080
// samples, a multiple of 240; the file name at most 25 characters.
const (
	MinRingBytes = 240
	MaxRingBytes = 16080
	RingStep     = 240
	MaxRingName  = 25
)

// Playable says which of Cisco's rules (above) a ring file of that name
// and size in bytes breaks, in words naming the rule and the fix; "" when
// it keeps them all. Only the size and the name are checked: whether the
// bytes are u-law cannot be told from them.
func Playable(name string, size int64) string {
	switch {
	case len([]rune(name)) > MaxRingName:
		return fmt.Sprintf("its name has %d characters, a phone's ring list at most %d (rename it)", len([]rune(name)), MaxRingName)
	case size == 0:
		return "it is empty (a failed copy?)"
	case size < MinRingBytes:
		return fmt.Sprintf("it is %d bytes, a ring at least %d (%d u-law samples, 30 ms)", size, MinRingBytes, MinRingBytes)
	case size > MaxRingBytes:
		return fmt.Sprintf("it is %d bytes, a ring at most %d (%d u-law samples at 8000/s, about 2 s; trim it)", size, MaxRingBytes, MaxRingBytes)
	case size%RingStep != 0:
		return fmt.Sprintf("it is %d bytes, not a multiple of %d u-law samples (trim or pad it to %d or %d)", size, RingStep, size/RingStep*RingStep, (size/RingStep+1)*RingStep)
	}
	return ""
}

// Entry is one RINGLIST.DAT line.
type Entry struct {
	Label string // as shown on the phone
	File  string // name in the TFTP root
}

// Parse reads RINGLIST.DAT: blank lines are skipped, a line with no file
// name is an error naming its line number.
func Parse(data []byte) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		// The label may hold spaces ("Old Style"). With a tab, the file is
		// what follows the last one (as setup-cisco writes it); without,
		// the last field, the label everything before it.
		var label, file string
		if i := strings.LastIndexByte(line, '\t'); i >= 0 {
			label, file = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		} else if f := strings.Fields(line); len(f) >= 2 {
			file = f[len(f)-1]
			label = strings.TrimSpace(strings.TrimSuffix(strings.TrimRight(line, " \t"), file))
		}
		if label == "" || file == "" {
			return nil, fmt.Errorf("RINGLIST.DAT:%d: want LABEL<TAB>FILE, got %q", n, line)
		}
		out = append(out, Entry{Label: label, File: file})
	}
	return out, sc.Err()
}

// Merge returns the entries to write: first the existing file's entries
// whose file is in the TFTP root (have says, from its listing), in their
// order and with their labels; then each .raw file (raw) not listed yet,
// labelled by label. dropped are the existing entries whose file is
// missing.
func Merge(existing []Entry, have func(file string) bool, raw []string, label func(file string) string) (entries, dropped []Entry) {
	listed := map[string]bool{}
	for _, e := range existing {
		if listed[e.File] {
			continue
		}
		if !have(e.File) {
			dropped = append(dropped, e)
			continue
		}
		listed[e.File] = true
		entries = append(entries, e)
	}
	rest := append([]string(nil), raw...)
	sort.Strings(rest)
	for _, f := range rest {
		if listed[f] {
			continue
		}
		if l := label(f); l != "" {
			listed[f] = true
			entries = append(entries, Entry{Label: l, File: f})
		}
	}
	return entries, dropped
}
