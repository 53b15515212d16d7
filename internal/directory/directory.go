// Package directory builds the company directory a Cisco 7940/7960 shows
// under its Directories key: CiscoIPPhoneDirectory pages (and, for more
// than one page, a CiscoIPPhoneMenu by first letter) made from FreePBX's
// users, written as static files into a directory a web server already
// serves. The phone's directory_url points at the first file.
//
// Limits (Cisco Unified IP Phone Services Application Development Notes,
// OL-20949-01, ch. 3 "CiscoIPPhone XML Objects":
// CiscoIPPhoneDirectory and CiscoIPPhoneMenu): at most 32 DirectoryEntry
// objects per page and 100 MenuItem objects per menu; Title, Prompt, Name
// and Telephone at most 32 characters; SoftKeyItem objects replace the
// phone's own soft keys, so Dial, EditDial and Exit are given with the
// paging keys. The phone fetches the pages over HTTP (fact sheet §3). Names
// are made safe the way the .cnf files' are (package cnftext: the phone's
// ASCII, accents transliterated) and then XML-escaped.
package directory

import (
	"fmt"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
)

// Limits of the phone's XML objects (see the package comment).
const (
	PerPage      = 32
	MaxMenuItems = 100
	MaxText      = 32
)

// Index is the file directory_url points at.
const Index = "directory.xml"

// File is one page to write.
type File struct {
	Name string
	Data []byte
}

// Entry is one person in the directory.
type Entry struct {
	Name      string // safe for the phone, at most MaxText characters
	Telephone string
	group     string // first-letter group: A-Z, 0-9 or #
}

// URL is the phone's directory_url for pages served at base.
func URL(base string) string { return strings.TrimRight(base, "/") + "/" + Index }

// Entries turns FreePBX's users into directory entries, sorted by name
// then extension. A user whose extension the phone cannot dial as typed is
// left out and named in skipped.
func Entries(users []freepbx.User) (out []Entry, skipped []string) {
	for _, u := range users {
		if _, err := cnftext.Token(u.Extension); err != nil || strings.Trim(u.Extension, "0123456789*#") != "" {
			skipped = append(skipped, fmt.Sprintf("user %q (%s): extension is not digits, * or #", u.Extension, u.Name))
			continue
		}
		name := cnftext.Text(u.Name, MaxText)
		if name == "" {
			name = u.Extension
		}
		out = append(out, Entry{Name: name, Telephone: u.Extension, group: group(name)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].Telephone < out[j].Telephone
	})
	return out, skipped
}

func group(name string) string {
	c := name[0]
	switch {
	case c >= 'a' && c <= 'z':
		return string(c - 'a' + 'A')
	case c >= 'A' && c <= 'Z':
		return string(c)
	case c >= '0' && c <= '9':
		return "0-9"
	}
	return "#"
}

// fileKey is the group's part of a file name.
func fileKey(g string) string {
	switch g {
	case "0-9":
		return "0"
	case "#":
		return "other"
	}
	return g
}

// Pages builds the files for entries served at base: directory.xml alone
// when everyone fits on one page, else directory.xml as a menu of first
// letters, each letter's entries on pages of 32 with Next and Previous.
func Pages(entries []Entry, base string) []File {
	base = strings.TrimRight(base, "/")
	if len(entries) <= PerPage {
		return []File{{Name: Index, Data: page("Directory", fmt.Sprintf("%d entries", len(entries)), entries, "", "")}}
	}
	var groups []string
	by := map[string][]Entry{}
	for _, e := range entries {
		if _, ok := by[e.group]; !ok {
			groups = append(groups, e.group)
		}
		by[e.group] = append(by[e.group], e)
	}
	sort.Slice(groups, func(i, j int) bool { return order(groups[i]) < order(groups[j]) })
	var files []File
	var menu []menuItem
	for _, g := range groups {
		list := by[g]
		n := (len(list) + PerPage - 1) / PerPage
		name := func(k int) string { return fmt.Sprintf("directory-%s-%d.xml", fileKey(g), k) }
		for k := 1; k <= n; k++ {
			chunk := list[(k-1)*PerPage : min(k*PerPage, len(list))]
			prev, next := "", ""
			if k > 1 {
				prev = base + "/" + name(k-1)
			}
			if k < n {
				next = base + "/" + name(k+1)
			}
			prompt := fmt.Sprintf("%s: page %d of %d", g, k, n)
			files = append(files, File{Name: name(k), Data: page("Directory "+g, prompt, chunk, prev, next)})
		}
		menu = append(menu, menuItem{fmt.Sprintf("%s (%d)", g, len(list)), base + "/" + name(1)})
	}
	// 26 letters, digits and the rest: always within MaxMenuItems.
	files = append(files, File{Name: Index, Data: menuPage(menu, len(entries))})
	return files
}

// order puts letters first, then digits, then the rest.
func order(g string) string {
	switch g {
	case "0-9":
		return "~0"
	case "#":
		return "~1"
	}
	return g
}

type softKey struct {
	name, url string
}

type menuItem struct {
	name, url string
}

// esc escapes XML's five special characters with the named entities of
// Cisco's development notes (&amp; &lt; &gt; &quot; &apos;).
var esc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func elem(b *strings.Builder, indent, name, text string) {
	fmt.Fprintf(b, "%s<%s>%s</%s>\n", indent, name, esc.Replace(text), name)
}

func page(title, prompt string, entries []Entry, prev, next string) []byte {
	var b strings.Builder
	b.WriteString("<CiscoIPPhoneDirectory>\n")
	elem(&b, " ", "Title", cut(title))
	elem(&b, " ", "Prompt", cut(prompt))
	for _, e := range entries {
		b.WriteString(" <DirectoryEntry>\n")
		elem(&b, "  ", "Name", e.Name)
		elem(&b, "  ", "Telephone", e.Telephone)
		b.WriteString(" </DirectoryEntry>\n")
	}
	keys := []softKey{{"Dial", "SoftKey:Dial"}, {"EditDial", "SoftKey:EditDial"}}
	if next != "" {
		keys = append(keys, softKey{"Next", next})
	}
	if prev != "" {
		keys = append(keys, softKey{"Previous", prev})
	}
	keys = append(keys, softKey{"Exit", "SoftKey:Exit"})
	for i, k := range keys {
		b.WriteString(" <SoftKeyItem>\n")
		elem(&b, "  ", "Name", k.name)
		elem(&b, "  ", "URL", k.url)
		elem(&b, "  ", "Position", fmt.Sprint(i+1))
		b.WriteString(" </SoftKeyItem>\n")
	}
	b.WriteString("</CiscoIPPhoneDirectory>\n")
	return []byte(b.String())
}

func menuPage(items []menuItem, total int) []byte {
	var b strings.Builder
	b.WriteString("<CiscoIPPhoneMenu>\n")
	elem(&b, " ", "Title", "Directory")
	elem(&b, " ", "Prompt", cut(fmt.Sprintf("%d entries: pick a letter", total)))
	for _, m := range items {
		b.WriteString(" <MenuItem>\n")
		elem(&b, "  ", "Name", m.name)
		elem(&b, "  ", "URL", m.url)
		b.WriteString(" </MenuItem>\n")
	}
	b.WriteString("</CiscoIPPhoneMenu>\n")
	return []byte(b.String())
}

func cut(s string) string {
	if len(s) > MaxText {
		return s[:MaxText]
	}
	return s
}
