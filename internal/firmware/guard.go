package firmware

import (
	"fmt"
	"strings"
)

// Warning is a reason the site load would not reach the phones.
type Warning struct {
	Image   Image
	Message string
	Files   []string // the files concerned, by name
}

func (w Warning) String() string {
	if len(w.Files) == 0 {
		return fmt.Sprintf("%s: %s", w.Image.Name, w.Message)
	}
	return fmt.Sprintf("%s: %s: %s", w.Image.Name, w.Message, strings.Join(w.Files, ", "))
}

// CheckSite checks the load set for the whole site (SIPDefault.cnf's
// image_version) against the TFTP root. No warnings means every phone on
// that load, or one step away from it, finds its files.
func CheckSite(site Image, cat Catalog) []Warning {
	var ws []Warning
	warn := func(msg string, files ...string) {
		ws = append(ws, Warning{Image: site, Message: msg, Files: files})
	}
	switch site.Protocol {
	case SIP:
	case Loader:
		warn(fmt.Sprintf("is the universal loader, not a load for image_version; use %s", site.Bundle().Name))
		return ws
	default:
		warn(fmt.Sprintf("is a %s load; SIPDefault.cnf needs a SIP load", site.Protocol))
		return ws
	}
	if len(cat.BlockedDirs) > 0 {
		warn("the TFTP daemon cannot enter these directories (no world execute bit)", cat.BlockedDirs...)
	}
	e, ok := cat.Lookup(site.Name)
	if !ok {
		warn("no files of this load in "+cat.Root+"; import its bundle", RequiredFiles(site)...)
		return ws
	}
	if len(e.Missing) > 0 {
		warn("missing in "+cat.Root, e.Missing...)
	}
	for _, r := range e.Misnamed {
		warn(fmt.Sprintf("phones ask for %s but the file is named", r.Want), r.Have)
	}
	if len(e.Unreadable) > 0 {
		warn("not readable by the TFTP daemon (need mode o+r, regular file)", e.Unreadable...)
	}
	if len(e.Empty) > 0 {
		warn("empty (0 bytes: a failed download?); import the bundle again", e.Empty...)
	}
	for _, u := range e.Invalid {
		warn(u.Why+"; import the bundle again", u.Name)
	}
	return ws
}
