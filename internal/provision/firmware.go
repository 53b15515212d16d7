package provision

import (
	"fmt"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// firmwareWarnings checks the site image and every pinned image (pins: the
// phones with one, MAC and Image) against the TFTP root and against the image the phones were last told to load (the
// image_version of the files now in the root): missing or unreadable image
// files, a move below 5.0 for phones on a signed image, a skipped step.
func firmwareWarnings(dir *syncdir.Dir, cfg *phonecfg.Config, pins []phonecfg.Phone) ([]string, error) {
	root := dir.Path()
	cat, err := firmware.ScanNames(root, dir.Entries())
	if err != nil {
		return nil, fmt.Errorf("scanning firmware in %s: %w", root, err)
	}
	var out []string
	siteWas := imageIn(dir, "SIPDefault.cnf")
	// who names the image's users; messages read "who: problem".
	check := func(who, image, was string) {
		img, err := firmware.Parse(image)
		if err != nil {
			out = append(out, fmt.Sprintf("%s: image %q: %v", who, image, err))
			return
		}
		if img.Protocol != firmware.SIP {
			out = append(out, fmt.Sprintf("%s: image %s is a %s load, not a SIP image", who, image, img.Protocol))
			return
		}
		for _, w := range firmware.CheckSite(img, cat) {
			out = append(out, fmt.Sprintf("%s %s", who, w))
		}
		if was == "" || was == image {
			return
		}
		prev, err := firmware.Parse(was)
		if err != nil {
			return
		}
		switch {
		case firmware.SignedDowngrade(prev, img):
			out = append(out, fmt.Sprintf("%s: moving from %s to %s goes below 5.0: phones already on a signed image (5.0 or later) cannot load it", who, prev.Name, img.Name))
		case firmware.SkipsStep(prev, img):
			out = append(out, fmt.Sprintf("%s: moving from %s straight to %s skips a required step (see setup-cisco upgrade-path %s %s)", who, prev.Name, img.Name, prev.Name, img.Name))
		}
	}
	check("site image", cfg.Site.ImageVersion, siteWas)
	pinned := map[string][]string{}
	for _, p := range pins {
		if p.Image != "" && p.Image != cfg.Site.ImageVersion {
			pinned[p.Image] = append(pinned[p.Image], string(p.MAC))
		}
	}
	images := make([]string, 0, len(pinned))
	for im := range pinned {
		images = append(images, im)
	}
	sort.Strings(images)
	for _, im := range images {
		macs := pinned[im]
		was := ""
		if len(macs) == 1 {
			if was = imageIn(dir, "SIP"+macs[0]+".cnf"); was == "" {
				was = siteWas
			}
		}
		check("pinned image of phone "+strings.Join(macs, ", "), im, was)
	}
	return out, nil
}

// imageIn returns the image_version the cnf file name in dir sets, or "";
// read without following a symbolic link (see syncdir.Dir.ReadFile).
func imageIn(dir *syncdir.Dir, name string) string {
	data, why, err := dir.ReadFile(name)
	if err != nil || why != "" {
		return ""
	}
	for _, l := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if ok && strings.TrimSpace(k) == "image_version" {
			v, _, _ = strings.Cut(v, ";")
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

// pinWarnings names the pins (pinned: the phones with one, MAC and Image)
// a phone still on an SCCP load before 6.x
// cannot follow: such a load reads OS79XX.TXT alone (MATRIX), which holds
// the site image, never SIP<MAC>.cnf or SEP<MAC>.cnf.xml where a pin is
// written; so a pin to the load it should convert to
// (firmware.ThroughOS79XX) does not take effect for it, and only the
// site's image_version does (upgrade-path names that command for the step).
// A pin is named in the run that writes it (its SIP<MAC>.cnf in dir does
// not hold it yet), when the admin acts on it, not in every later run: most
// such pins are ordinary steps of SIP phones.
func pinWarnings(dir *syncdir.Dir, cfg *phonecfg.Config, pinned []phonecfg.Phone) []string {
	site, err := firmware.Parse(cfg.Site.ImageVersion)
	if err != nil {
		return nil // firmwareWarnings names it
	}
	pins := map[string][]string{}
	var images []string
	for _, p := range pinned {
		img, err := firmware.Parse(p.Image)
		if err != nil || !firmware.ThroughOS79XX(img) || firmware.OS79XXName(img) == firmware.OS79XXName(site) ||
			imageIn(dir, "SIP"+string(p.MAC)+".cnf") == p.Image {
			continue
		}
		if pins[img.Name] == nil {
			images = append(images, img.Name)
		}
		pins[img.Name] = append(pins[img.Name], string(p.MAC))
	}
	sort.Strings(images)
	var out []string
	for _, im := range images {
		out = append(out, fmt.Sprintf("pinned image of phone %s: %s reaches a phone through SIP<MAC>.cnf once it runs SIP; a phone still on an SCCP load before 6.x reads OS79XX.TXT only, which holds %s (the settings file's image_version), so it does not take the pin: convert such phones with image_version = %s in setup-cisco.conf (setup-cisco upgrade-path)",
			strings.Join(pins[im], ", "), im, firmware.OS79XXName(site), im))
	}
	return out
}
