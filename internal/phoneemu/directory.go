package phoneemu

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DirectoryEntry is one entry the phone shows under Directories.
type DirectoryEntry struct {
	Name      string
	Telephone string
}

// Directory is what browsing the directory found.
type Directory struct {
	Entries []DirectoryEntry
	Pages   int // CiscoIPPhoneDirectory pages fetched
	Menus   int // CiscoIPPhoneMenu pages fetched
}

// Limits of the phone's XML objects (Cisco Unified IP Phone Services, OL-20949-01,
// Application Development Notes): 32 DirectoryEntry per page, 100 MenuItem
// per menu, 32 characters of Name and Telephone.
const (
	maxDirEntries = 32
	maxMenuItems  = 100
	maxDirText    = 32
)

// BrowseDirectory fetches directory_url over HTTP as the phone does and
// walks it: every item of a CiscoIPPhoneMenu, and on each
// CiscoIPPhoneDirectory page the soft key named Next until there is none.
// A page over the phone's limits, a loop or anything but the two objects
// is an error naming the URL.
func BrowseDirectory(url string) (Directory, error) {
	var d Directory
	client := &http.Client{Timeout: 10 * time.Second}
	seen := map[string]bool{}
	var walk func(url string) error
	walk = func(url string) error {
		if seen[url] {
			return fmt.Errorf("%s: fetched twice (a loop in Next or menu links)", url)
		}
		seen[url] = true
		resp, err := client.Get(url)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", url, err)
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: HTTP %s", url, resp.Status)
		}
		var root struct {
			XMLName xml.Name
			Entries []struct {
				Name      string `xml:"Name"`
				Telephone string `xml:"Telephone"`
			} `xml:"DirectoryEntry"`
			Items []struct {
				Name string `xml:"Name"`
				URL  string `xml:"URL"`
			} `xml:"MenuItem"`
			Keys []struct {
				Name string `xml:"Name"`
				URL  string `xml:"URL"`
			} `xml:"SoftKeyItem"`
		}
		if err := xml.Unmarshal(body, &root); err != nil {
			return fmt.Errorf("%s: %w", url, err)
		}
		switch root.XMLName.Local {
		case "CiscoIPPhoneMenu":
			d.Menus++
			if len(root.Items) == 0 || len(root.Items) > maxMenuItems {
				return fmt.Errorf("%s: %d menu items (1-%d)", url, len(root.Items), maxMenuItems)
			}
			for _, it := range root.Items {
				if err := walk(it.URL); err != nil {
					return err
				}
			}
		case "CiscoIPPhoneDirectory":
			d.Pages++
			if len(root.Entries) > maxDirEntries {
				return fmt.Errorf("%s: %d entries, the phone shows %d", url, len(root.Entries), maxDirEntries)
			}
			for _, e := range root.Entries {
				if len(e.Name) > maxDirText || len(e.Telephone) > maxDirText || e.Telephone == "" {
					return fmt.Errorf("%s: entry %q/%q over the phone's limits", url, e.Name, e.Telephone)
				}
				d.Entries = append(d.Entries, DirectoryEntry{Name: e.Name, Telephone: e.Telephone})
			}
			for _, k := range root.Keys {
				if k.Name == "Next" {
					return walk(k.URL)
				}
			}
		default:
			return fmt.Errorf("%s: <%s> is neither CiscoIPPhoneDirectory nor CiscoIPPhoneMenu", url, root.XMLName.Local)
		}
		return nil
	}
	return d, walk(url)
}
