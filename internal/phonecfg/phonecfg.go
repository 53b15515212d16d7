// Package phonecfg turns the inventory, FreePBX's extensions and the site
// settings into what each phone must be told: plain values, already safe for
// the phone's config syntax, ready for the templates. A phone whose rows are
// bad is left out and reported; the others are still built.
package phonecfg

import (
	"fmt"
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
	c := Config{Site: in.Site, Proxy: in.Proxy, OS79XX: in.Site.ImageVersion}
	if img, err := firmware.Parse(in.Site.ImageVersion); err == nil && img.Protocol == firmware.SIP {
		c.OS79XX = firmware.OS79XXName(img)
	}
	c.Ports, c.PortNotes = ports(in.Site, in.FreePBX.Ports)
	c.Problems = append(c.Problems, in.Inventory.Problems...)
	c.Bad = append(c.Bad, in.Inventory.Bad...)
	for _, f := range in.RingFiles {
		label := cnftext.Text(strings.TrimSuffix(f, ".raw"), 25)
		if label != "" {
			c.Rings = append(c.Rings, Ring{Label: label, File: f})
		}
	}
	for _, ip := range in.Inventory.Phones {
		p, probs := phone(ip, in.FreePBX, c)
		if len(probs) > 0 {
			c.Problems = append(c.Problems, probs...)
			c.Bad = append(c.Bad, ip.MAC)
			continue
		}
		c.Phones = append(c.Phones, p)
	}
	sort.Slice(c.Bad, func(i, j int) bool { return c.Bad[i] < c.Bad[j] })
	return c
}

func ports(s siteconf.Site, db freepbx.Ports) (freepbx.Ports, []string) {
	var notes []string
	pick := func(name string, override, fromDB int) int {
		switch {
		case override != 0:
			notes = append(notes, fmt.Sprintf("%s port %d (config file)", name, override))
			return override
		case fromDB != 0:
			notes = append(notes, fmt.Sprintf("%s port %d (FreePBX database)", name, fromDB))
			return fromDB
		default:
			notes = append(notes, fmt.Sprintf("%s port %d (default: not found in the database)", name, DefaultPort))
			return DefaultPort
		}
	}
	out := freepbx.Ports{
		ChanSIP:     pick("chan_sip", s.SIPPort, db.ChanSIP),
		PJSIP:       pick("chan_pjsip", s.PJSIPPort, db.PJSIP),
		ChanSIPAddr: db.ChanSIPAddr, PJSIPAddr: db.PJSIPAddr, PJSIPNoUDP: db.PJSIPNoUDP,
	}
	for _, b := range []struct{ name, addr string }{{"chan_sip", db.ChanSIPAddr}, {"chan_pjsip", db.PJSIPAddr}} {
		if b.addr != "" {
			notes = append(notes, fmt.Sprintf("%s listens on %s only (FreePBX database): its lines are sent there, whatever the proxy address", b.name, b.addr))
		}
	}
	return out, notes
}

func phone(ip inventory.Phone, pbx freepbx.Data, c Config) (Phone, []inventory.Problem) {
	p := Phone{MAC: ip.MAC, Model: ip.Model, Image: ip.Image}
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
		// A driver bound to one address listens nowhere else (chan_sip's
		// bindaddr, a pjsip UDP bind on one address): its lines go there.
		port, proxy := c.Ports.ChanSIP, c.Proxy
		if c.Ports.ChanSIPAddr != "" {
			proxy = c.Ports.ChanSIPAddr
		}
		if e.Tech == "pjsip" {
			port, proxy = c.Ports.PJSIP, c.Proxy
			if c.Ports.PJSIPAddr != "" {
				proxy = c.Ports.PJSIPAddr
			}
		}
		p.Lines = append(p.Lines, Line{N: l.N, Name: name, Password: pw, DisplayName: display,
			ShortName: short, Proxy: proxy, Port: port, Tech: e.Tech})
	}
	p.Label = cnftext.Text(ip.Label, cnftext.MaxLabel)
	if p.Label == "" && len(p.Lines) > 0 {
		p.Label = cnftext.Text(p.Lines[0].Name+" "+firstWord(p.Lines[0].DisplayName), cnftext.MaxLabel)
	}
	return p, probs
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}
