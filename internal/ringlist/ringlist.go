// Package ringlist decides RINGLIST.DAT's entries: the ring files the TFTP
// root offers, keeping the entries an admin wrote for files that exist.
//
// Format (Cisco SIP IP Phone admin guide, "Custom Ring Types"; the
// how-to's RINGLIST.DAT): one entry per line, the label shown on the phone,
// then whitespace (a tab), then the file name in the TFTP root. The phone
// offers every entry it lists, so an entry whose file is missing is a ring
// type that fails when chosen.
package ringlist

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strings"
)

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
