package provision

import (
	"fmt"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

// firmwareWarnings checks the site image and every pinned image against
// the TFTP root, and each move a phone is told to make against the image
// it was last told to load: missing or unreadable image files, a move
// below 5.0 for phones on a signed image, a skipped step (Cisco's steps:
// CME-INST, fact sheet §4; firmware.SkipsStep, SignedDowngrade).
//
// pins are the good phones with a pinned image (MAC and Image); retired
// the phones whose SIP<MAC>.cnf is kept retired (retire.go), which keep
// their pin (retiredPin); changed the phones whose files this run writes
// (Report.Changed). A phone loads the image_version of its own
// SIP<MAC>.cnf, else SIPDefault.cnf's (the phone reads SIPDefault.cnf
// first and its own file after it: ADM40-p2-4). So the site image moves
// the phones that follow SIPDefault.cnf (checked against the old
// SIPDefault.cnf), and a phone whose SIP<MAC>.cnf is written moves from
// what its old file told it to its pin, or to the site image when its
// file no longer pins one (a pin cleared with phone set --image "", a
// hand-made file's pin the first run replaces): each such phone is
// checked on its own, whatever other phones share the pin or the move.
func firmwareWarnings(dir *syncdir.Dir, cfg *phonecfg.Config, pins []phonecfg.Phone, retired, changed []macaddr.MAC) ([]string, error) {
	root := dir.Path()
	cat, err := firmware.ScanNames(root, dir.Entries())
	if err != nil {
		return nil, fmt.Errorf("scanning firmware in %s: %w", root, err)
	}
	var out []string
	site := cfg.Site.ImageVersion
	siteWas := imageIn(dir, "SIPDefault.cnf")
	// who names the image's users; messages read "who: problem".
	check := func(who, image string) {
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
	}
	check("site image", site)
	if w := moveWarning("site image", siteWas, site, ""); w != "" {
		out = append(out, w)
	}

	// Each phone's image now: its pin, a retired phone's kept pin, else
	// the site image.
	pin := make(map[macaddr.MAC]string, len(pins)+len(retired))
	var images []string
	users := map[string][]string{}
	use := func(mac macaddr.MAC, image, who string) {
		pin[mac] = image
		if image == site {
			return
		}
		if users[image] == nil {
			images = append(images, image)
		}
		users[image] = append(users[image], who)
	}
	for _, p := range pins {
		if p.Image != "" {
			use(p.MAC, p.Image, string(p.MAC))
		}
	}
	for _, mac := range retired {
		if im := retiredPin(dir, mac); im != "" {
			use(mac, im, string(mac)+" (retired)")
		}
	}
	sort.Strings(images)
	for _, im := range images {
		check("pinned image of phone "+phoneList(users[im]), im)
	}

	// The moves of the phones whose files change, grouped by move.
	type move struct {
		was, now string
		pinned   bool
	}
	var moves []move
	movers := map[move][]string{}
	for _, mac := range changed {
		now, pinned := pin[mac]
		if !pinned {
			now = site
		}
		was := ""
		if cnf := "SIP" + string(mac) + ".cnf"; !dir.Absent(cnf) {
			// A new phone's file is not read: a first run into an
			// empty root opens nothing more.
			was = imageIn(dir, cnf)
		}
		if was == "" {
			was = siteWas
		}
		if was == "" || was == now || was == siteWas && now == site {
			continue // no move, or the site image's own (said above)
		}
		mv := move{was, now, pinned}
		if movers[mv] == nil {
			moves = append(moves, mv)
		}
		movers[mv] = append(movers[mv], string(mac))
	}
	for _, mv := range moves {
		who := "pinned image of phone " + phoneList(movers[mv])
		keep := ""
		if !mv.pinned {
			who = "phone " + phoneList(movers[mv]) + ", whose SIP<MAC>.cnf no longer sets image_version (the site image from now on)"
			keep = fmt.Sprintf("; to keep it on %s: setup-cisco phone set MAC --image %s", mv.was, mv.was)
		}
		if w := moveWarning(who, mv.was, mv.now, keep); w != "" {
			out = append(out, w)
		}
	}
	return out, nil
}

// moveWarning says what is wrong with phones moving from the load was to
// now, for who ("" when nothing is or either name is not a load); hint ends
// the skipped-step message.
func moveWarning(who, was, now, hint string) string {
	if was == "" || was == now {
		return ""
	}
	prev, err1 := firmware.Parse(was)
	img, err2 := firmware.Parse(now)
	if err1 != nil || err2 != nil {
		return ""
	}
	switch {
	case firmware.SignedDowngrade(prev, img):
		return fmt.Sprintf("%s: moving from %s to %s goes below 5.0: phones already on a signed image (5.0 or later) cannot load it", who, prev.Name, img.Name)
	case firmware.SkipsStep(prev, img):
		return fmt.Sprintf("%s: moving from %s straight to %s skips a required step (see setup-cisco upgrade-path %s %s%s)", who, prev.Name, img.Name, prev.Name, img.Name, hint)
	}
	return ""
}

// phoneList joins MACs for a message: the first ten, then how many more.
func phoneList(macs []string) string {
	const show = 10
	if len(macs) <= show {
		return strings.Join(macs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(macs[:show], ", "), len(macs)-show)
}

// retiredPin is the image a retired phone's SIP<MAC>.cnf keeps: the
// image_version its file in dir sets now (the phone's last pin, or the
// one an earlier run kept), when that names a SIP load; else "" (the
// phone follows SIPDefault.cnf). A retired phone still on a desk is so
// not moved to another load by its retirement.
func retiredPin(dir *syncdir.Dir, mac macaddr.MAC) string {
	im := imageIn(dir, "SIP"+string(mac)+".cnf")
	if img, err := firmware.Parse(im); err != nil || img.Protocol != firmware.SIP || img.Name != im {
		return ""
	}
	return im
}

// imageIn returns the image_version the cnf file name in dir sets (the
// last one, as the phone reads the file line by line), or ""; read
// without following a symbolic link, only a file of ours or root's (see
// syncdir.Dir.ReadFile).
func imageIn(dir *syncdir.Dir, name string) string {
	data, why, err := dir.ReadFile(name)
	if err != nil || why != "" {
		return ""
	}
	im := ""
	for rest := string(data); rest != ""; {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		k, v, ok := strings.Cut(l, ":")
		if ok && strings.TrimSpace(k) == "image_version" {
			v, _, _ = strings.Cut(v, ";")
			im = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return im
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
