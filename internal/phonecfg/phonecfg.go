// Package phonecfg turns the inventory, FreePBX's extensions and the site
// settings into what each phone must be told: plain values, already safe for
// the phone's config syntax, ready for the templates. A phone whose rows are
// bad is left out and reported; the others are still built.
package phonecfg

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/phonecheck"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// DefaultPort is used when neither the config file nor the database says
// on which port a channel driver listens.
const DefaultPort = 5060

// Input is what Build needs.
type Input struct {
	Site      siteconf.Site
	Proxy     string // resolved proxy address (config or this host)
	Inventory inventory.Inventory
	// Each, when set, hands the good phones over instead of
	// Inventory.Phones (inventory.Stored.Each): it calls its argument with
	// each, the same order every time (not necessarily by MAC), and returns
	// its first error. BuildEach reads them two or three times.
	Each      func(func(inventory.Phone) error) error
	FreePBX   freepbx.Data
	RingFiles []string // *.raw files present in the TFTP root, for RINGLIST.DAT
}

// Config is the model the templates render.
type Config struct {
	Site  siteconf.Site
	Proxy string
	Ports freepbx.Ports // resolved: never 0
	// OS79XX is what OS79XX.TXT holds: firmware.OS79XXName of the site
	// image, the rule upgrade-path uses too.
	OS79XX    string
	Rings     []Ring
	Phones    []Phone
	Problems  []inventory.Problem
	Bad       []macaddr.MAC // phones whose previous files must stay untouched
	PortNotes []string      // how the ports were chosen, for -v
	// PortWarnings: a proxy address the settings file sets that a SIP
	// driver bound to other addresses does not listen on.
	PortWarnings []string
	// Warnings: lines that work only in part, the phones still written
	// (phonecheck.Shared), and what the Asterisk configuration read said
	// (freepbx.Data.Warnings).
	Warnings []string
}

// Ring is one RINGLIST.DAT entry.
type Ring struct{ Label, File string }

// Phone is one phone's settings.
type Phone struct {
	MAC   macaddr.MAC
	Model string
	Label string // phone_label
	Image string // pinned image_version, empty for the site image
	Lines []Line
	// Sync is the phone's sync value, compared with syncinfo.xml on a
	// check-sync NOTIFY (see package resync); set by the write path.
	Sync string
	// Retired: the phone left the inventory, and its SIP<MAC>.cnf is kept
	// with every key of the key table at its reset value (no lines, no
	// label, phone_password back to Cisco's default), so the phone, which
	// keeps in flash whatever no file sets (fact sheet §7, ADM40-p2-4),
	// stops registering instead of living on with its old lines.
	Retired bool `json:",omitempty"`
}

// RetiredPhone is the model of a phone that left the inventory: its
// SIP<MAC>.cnf resets every per-phone key. The model is unknown, so it
// gets every line key a 7960 has (a 7940 reads its two of them).
func RetiredPhone(mac macaddr.MAC) Phone { return Phone{MAC: mac, Retired: true} }

// Line is one registered line key.
type Line struct {
	N           int
	Name        string // lineN_name and lineN_authname: the extension
	Password    string
	DisplayName string
	ShortName   string
	Proxy       string
	Port        int
	Tech        string // sip or pjsip
}

// Build assembles the model. It never fails as a whole: bad rows become
// Problems and their phones are left out.
func Build(in Input) Config {
	var phones []Phone
	if n := len(in.Inventory.Phones); n > 0 {
		phones = make([]Phone, 0, n) // not grown by doubling: 11 MB at 100,000 phones
	}
	c, _ := BuildEach(in, func(p Phone) error {
		phones = append(phones, p)
		return nil
	})
	c.Phones = phones
	return c
}

// BuildEach is Build handing each good phone to out, in the order of
// Inventory.Phones or Input.Each, as it is made, instead of keeping it in Config.Phones (nil): a run of
// 100,000 phones (25 MB of models) need not hold them all at once. The
// first error of out or Input.Each stops it and is returned; Config is
// then incomplete.
func BuildEach(in Input, out func(Phone) error) (Config, error) {
	c := Config{Site: in.Site, Proxy: in.Proxy, OS79XX: in.Site.ImageVersion}
	if img, err := firmware.Parse(in.Site.ImageVersion); err == nil && img.Protocol == firmware.SIP {
		c.OS79XX = firmware.OS79XXName(img)
	}
	c.Ports, c.PortNotes = ports(in.Site, in.FreePBX.Ports)
	c.PortWarnings = bindWarnings(in.Site, in.FreePBX.Ports)
	c.Warnings = append(c.Warnings, in.FreePBX.Warnings...)
	each := in.Each
	if each == nil {
		each = func(f func(inventory.Phone) error) error {
			for _, p := range in.Inventory.Phones {
				if err := f(p); err != nil {
					return err
				}
			}
			return nil
		}
	}
	shared, err := phonecheck.SharedEach(each, in.FreePBX)
	if err != nil {
		return c, err
	}
	for _, s := range shared {
		c.Warnings = append(c.Warnings, s.Msg)
	}
	c.Problems = append(c.Problems, in.Inventory.Problems...)
	fromPhones := len(c.Problems)
	c.Bad = append(c.Bad, in.Inventory.Bad...)
	for _, f := range in.RingFiles {
		label := cnftext.Text(strings.TrimSuffix(f, ".raw"), 25)
		if label != "" {
			c.Rings = append(c.Rings, Ring{Label: label, File: f})
		}
	}
	if err := each(func(ip inventory.Phone) error {
		p, probs := phone(ip, in.FreePBX, c)
		if len(probs) > 0 {
			c.Problems = append(c.Problems, probs...)
			c.Bad = append(c.Bad, ip.MAC)
			return nil
		}
		return out(p)
	}); err != nil {
		return c, err
	}
	sort.Slice(c.Bad, func(i, j int) bool { return c.Bad[i] < c.Bad[j] })
	// The phones' own problems by MAC, each phone's in its order, whatever
	// order Each gave the phones in.
	slices.SortStableFunc(c.Problems[fromPhones:], func(a, b inventory.Problem) int { return strings.Compare(a.MAC, b.MAC) })
	return c, nil
}

func ports(s siteconf.Site, db freepbx.Ports) (freepbx.Ports, []string) {
	var notes []string
	pick := func(name string, override, fromDB int, from string) int {
		switch {
		case override != 0:
			notes = append(notes, fmt.Sprintf("%s port %d (config file)", name, override))
			return override
		case fromDB != 0 && from != "":
			notes = append(notes, fmt.Sprintf("%s port %d (%s)", name, fromDB, from))
			return fromDB
		case fromDB != 0:
			notes = append(notes, fmt.Sprintf("%s port %d (FreePBX database)", name, fromDB))
			return fromDB
		default:
			notes = append(notes, fmt.Sprintf("%s port %d (default: not found in the database)", name, DefaultPort))
			return DefaultPort
		}
	}
	out := freepbx.Ports{
		ChanSIP:     pick("chan_sip", s.SIPPort, db.ChanSIP, db.ChanSIPFrom),
		PJSIP:       pick("chan_pjsip", s.PJSIPPort, db.PJSIP, ""),
		ChanSIPAddr: db.ChanSIPAddr, PJSIPBinds: db.PJSIPBinds, PJSIPNoUDP: db.PJSIPNoUDP,
	}
	if db.ChanSIPAddr != "" {
		notes = append(notes, fmt.Sprintf("chan_sip listens on %s only (bindaddr)", db.ChanSIPAddr))
	}
	if len(db.PJSIPBinds) > 0 {
		var bs []string
		for _, b := range db.PJSIPBinds {
			bs = append(bs, fmt.Sprintf("%s:%d", b.Addr, b.Port))
		}
		notes = append(notes, "chan_pjsip listens on "+strings.Join(bs, ", ")+" only (its UDP binds)")
	}
	return out, notes
}

func phone(ip inventory.Phone, pbx freepbx.Data, c Config) (Phone, []inventory.Problem) {
	p := Phone{MAC: ip.MAC, Model: ip.Model, Image: ip.Image}
	if len(ip.Lines) > 0 {
		p.Lines = make([]Line, 0, len(ip.Lines))
	}
	// One validation for every command (internal/phonecheck).
	probs := phonecheck.Phone(ip, pbx)
	for _, l := range ip.Lines {
		ck, msg := phonecheck.Line(l, pbx)
		if msg != "" {
			continue
		}
		e, name, pw := ck.Ext, ck.Name, ck.Password
		display := cnftext.Text(e.Name, cnftext.MaxDisplayName)
		if display == "" {
			display = name
		}
		short := cnftext.Text(l.Label, cnftext.MaxShortName)
		if short == "" {
			short = cnftext.Text(firstWord(display), cnftext.MaxShortName)
		}
		proxy, port := lineServer(c, e.Tech)
		p.Lines = append(p.Lines, Line{N: l.N, Name: name, Password: pw, DisplayName: display,
			ShortName: short, Proxy: proxy, Port: port, Tech: e.Tech})
	}
	p.Label = cnftext.Text(ip.Label, cnftext.MaxLabel)
	if p.Label == "" && len(p.Lines) > 0 {
		l := p.Lines[0]
		// The extension and the first word of its name; the extension
		// once where the name is the extension itself (none usable).
		label := l.Name
		if w := firstWord(l.DisplayName); w != l.Name {
			label += " " + w
		}
		p.Label = cnftext.Text(label, cnftext.MaxLabel)
	}
	return p, probs
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// lineServer is the address and port a line of technology tech registers
// to. A driver bound to some addresses only (chan_sip's bindaddr, chan_pjsip
// UDP binds none of which is every address) listens nowhere else:
//   - the proxy address is kept when the driver listens on it (with that
//     bind's port, unless the settings file sets the port);
//   - a proxy address the settings file or --proxy sets is the admin's
//     (phones behind NAT reach the PBX by another address) and is kept;
//   - else (this host's address) the line goes to the bind: the one with
//     the port the settings file sets, else the first a phone can reach.
//
// A driver bound only where no phone can reach it (IPv6, loopback) is a
// bad row (phonecheck).
func lineServer(c Config, tech string) (string, int) {
	explicit := c.Site.ProxyAddress != ""
	if tech != "pjsip" {
		a := c.Ports.ChanSIPAddr
		if a != "" && a != c.Proxy && !explicit && phonecheck.Reachable(a) {
			return a, c.Ports.ChanSIP
		}
		return c.Proxy, c.Ports.ChanSIP
	}
	binds, override := c.Ports.PJSIPBinds, c.Site.PJSIPPort
	if len(binds) == 0 {
		return c.Proxy, c.Ports.PJSIP
	}
	for _, b := range binds {
		if b.Addr == c.Proxy && (override == 0 || override == b.Port) {
			return c.Proxy, b.Port
		}
	}
	if explicit {
		return c.Proxy, c.Ports.PJSIP
	}
	for _, b := range binds {
		if override != 0 && b.Port == override && phonecheck.Reachable(b.Addr) {
			return b.Addr, b.Port
		}
	}
	for _, b := range binds {
		if phonecheck.Reachable(b.Addr) {
			port := b.Port
			if override != 0 {
				port = override
			}
			return b.Addr, port
		}
	}
	return c.Proxy, c.Ports.PJSIP
}

// bindWarnings: with proxy_address (or --proxy) set, a driver bound to
// other addresses only does not listen where the phones are sent. The
// admin's address is kept (phones behind NAT reach the PBX through
// another address than it binds), and the mismatch is said.
func bindWarnings(s siteconf.Site, db freepbx.Ports) []string {
	p := s.ProxyAddress
	if p == "" {
		return nil
	}
	var out []string
	if a := db.ChanSIPAddr; a != "" && a != p && phonecheck.Reachable(a) {
		out = append(out, fmt.Sprintf("chan_sip listens on %s only (bindaddr), but proxy_address is %s: its lines are sent to %s; unless that address reaches %s (NAT), set proxy_address = %s", a, p, p, a, a))
	}
	if bs := db.PJSIPBinds; len(bs) > 0 && !slices.ContainsFunc(bs, func(b freepbx.Bind) bool { return b.Addr == p }) {
		for _, b := range bs {
			if phonecheck.Reachable(b.Addr) {
				out = append(out, fmt.Sprintf("chan_pjsip listens on %s:%d (its UDP binds) and not on proxy_address %s: its lines are sent to %s; unless that address reaches %s (NAT), set proxy_address = %s", b.Addr, b.Port, p, p, b.Addr, b.Addr))
				break
			}
		}
	}
	return out
}
