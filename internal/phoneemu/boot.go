// Package phoneemu emulates what a Cisco 7940/7960 on SIP firmware does at
// boot: get a DHCP lease, take the TFTP server from option 150 (else 66),
// fetch its files in the firmware's order, read the .cnf files with the
// phone's rules, decide which load it would run and with which credentials
// each line registers. It drives scripts/e2e against real dhcpd and atftpd
// and is a diagnostic: it reports where a real phone would stop.
//
// Request order (shared/reference/cisco-79x0-sip-facts.md §1): a phone on
// the universal loader (SIP 7.x/8.x) asks for CTLSEP<MAC>.tlv and
// SEP<MAC>.cnf.xml (both may be missing), its load's .loads, SIPDefault.cnf,
// SIP<MAC>.cnf (after tftp_cfg_dir), RINGLIST.DAT and the dial plan (TEO's
// log). A phone on an older load first asks for OS79XX.TXT (MATRIX); an
// SCCP load on that boot mechanism takes its next load from OS79XX.TXT
// alone (it reads no SIPDefault.cnf), a SIP load from image_version.
//
// Upgrade rules: a phone moves only where firmware.SkipsStep and
// firmware.SignedDowngrade allow (Cisco's steps, CME-INST), the rules
// upgrade-path and the run's warnings follow; otherwise it keeps its load
// and the boot fails naming the step. Lines register only with
// proxy_register 1 (0, Cisco's default, registers nothing).
//
// Flash: a real phone keeps in flash every value it was last given, and a
// key that neither SIPDefault.cnf nor SIP<MAC>.cnf sets keeps that value
// (ADM40-p2-4: flash, replaced by SIPDefault.cnf, replaced by SIP<MAC>.cnf;
// fact sheet §7). Phone.Flash is that memory: Boot starts from it and
// Result.Flash is what the phone holds afterwards, so a line removed from
// the files but not cleared by them goes on registering, as on the phone.
package phoneemu

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pin/tftp/v3"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// ErrNotFound is a TFTP "File not found" answer. atftpd gives it for files
// it may not read too, so a phone cannot tell the two apart.
var ErrNotFound = errors.New("file not found")

// Phone is the emulated phone.
type Phone struct {
	MAC   macaddr.MAC
	Model string // "7940" or "7960"
	// Running is the load in the phone's flash. Empty: a load other than
	// the configured one, on the universal loader, so the phone fetches
	// (and this emulator checks) every file of the configured load.
	Running string
	// Flash is the configuration the phone kept from its last boot; nil
	// for a phone fresh from a factory reset.
	Flash Cnf
}

// Fetch is one TFTP request and its outcome.
type Fetch struct {
	Name     string
	Size     int
	Err      error // nil, wrapping ErrNotFound, or another failure
	Optional bool  // the phone carries on without it
}

func (f Fetch) String() string {
	switch {
	case f.Err == nil:
		return fmt.Sprintf("fetched %s (%d bytes)", f.Name, f.Size)
	case errors.Is(f.Err, ErrNotFound) && f.Optional:
		return fmt.Sprintf("asked for %s: not found (optional, carries on)", f.Name)
	}
	return fmt.Sprintf("asked for %s: %v", f.Name, f.Err)
}

// Line is what one line key registers with.
type Line struct {
	N        int
	Name     string // lineN_name: the user part
	AuthName string
	Password string
	Proxy    string
	Port     int
}

func (l Line) String() string {
	return fmt.Sprintf("line %d: name=%s authname=%s password=%s proxy=%s port=%d", l.N, l.Name, l.AuthName, l.Password, l.Proxy, l.Port)
}

// Result is what the boot did.
type Result struct {
	Fetches   []Fetch
	Image     string // the load the phone would run after this boot
	ImageFrom string // the file that named it
	Upgrade   bool   // the phone downloads Image
	Lines     []Line // lines that register
	// Sync is the "sync" value of the configuration the phone runs: from
	// SIP<MAC>.cnf, else SIPDefault.cnf, else the phones' default "1"
	// (SyncFrom says which). check-sync compares it with syncinfo.xml.
	Sync     string
	SyncFrom string
	DialPlan string // the dial plan file it asks for (dial_template + ".xml")
	// Flash is what the phone keeps for its next boot: Phone.Flash with
	// SIPDefault.cnf and SIP<MAC>.cnf laid over it.
	Flash Cnf
	// Kept lists the line keys (lineN_*, proxyN_*) that no file set and
	// whose value came from flash.
	Kept  []string
	Notes []string
	// Failure is where a real phone would stop, with what it would show
	// where known; empty when it boots and registers.
	Failure string
}

// OK reports whether the phone boots and registers at least one line.
func (r Result) OK() bool { return r.Failure == "" }

// Client fetches files from one TFTP server.
type Client struct {
	c      *tftp.Client
	server netip.AddrPort
}

// NewClient returns a TFTP client for server (port 69 for phones).
func NewClient(server netip.AddrPort) (*Client, error) {
	c, err := tftp.NewClient(server.String())
	if err != nil {
		return nil, fmt.Errorf("tftp client for %s: %w", server, err)
	}
	// Phones retry a few times, then give up on the file.
	c.SetTimeout(time.Second)
	c.SetRetries(3)
	return &Client{c: c, server: server}, nil
}

// Get fetches one file in octet mode.
func (c *Client) Get(name string) ([]byte, error) {
	wt, err := c.c.Receive(name, "octet")
	if err != nil {
		return nil, c.tftpErr(err)
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return nil, c.tftpErr(err)
	}
	return b.Bytes(), nil
}

// tftpErr maps the library's "code: 1, message: ..." to ErrNotFound.
func (c *Client) tftpErr(err error) error {
	if strings.HasPrefix(err.Error(), "code: 1,") {
		return fmt.Errorf("%w (TFTP error 1 from %s)", ErrNotFound, c.server)
	}
	return fmt.Errorf("TFTP %s: %w", c.server, err)
}

// Boot fetches the phone's files from c in the firmware's order and
// evaluates them. progress, if not nil, sees each request as it completes.
func Boot(c *Client, p Phone, progress func(Fetch)) Result {
	b := &booter{c: c, p: p, progress: progress}
	b.boot()
	return b.res
}

type booter struct {
	c        *Client
	p        Phone
	progress func(Fetch)
	res      Result
}

// get fetches name; a transport failure (no answer) is a boot failure too.
func (b *booter) get(name string, optional bool) ([]byte, bool) {
	data, err := b.c.Get(name)
	f := Fetch{Name: name, Size: len(data), Err: err, Optional: optional}
	b.res.Fetches = append(b.res.Fetches, f)
	if b.progress != nil {
		b.progress(f)
	}
	if err != nil && !errors.Is(err, ErrNotFound) && b.res.Failure == "" {
		b.res.Failure = fmt.Sprintf("TFTP server does not answer for %s: %v", name, err)
	}
	return data, err == nil
}

func (b *booter) fail(format string, a ...any) {
	if b.res.Failure == "" {
		b.res.Failure = fmt.Sprintf(format, a...)
	}
}

func (b *booter) note(format string, a ...any) {
	b.res.Notes = append(b.res.Notes, fmt.Sprintf(format, a...))
}

func (b *booter) boot() {
	mac := string(b.p.MAC)
	var running firmware.Image
	if b.p.Running != "" {
		img, err := firmware.Parse(b.p.Running)
		if err != nil {
			b.fail("running load: %v", err)
			return
		}
		running = img
	}
	loader := running.IsZero() || running.UniversalLoader()

	if loader {
		b.get("CTLSEP"+mac+".tlv", true)
		if b.res.Failure != "" {
			return
		}
		if _, ok := b.get("SEP"+mac+".cnf.xml", true); ok {
			b.note("SEP%s.cnf.xml exists: the loader takes its protocol and load from it first", mac)
		}
		if !running.IsZero() {
			b.get(running.Name+".loads", true)
		}
	} else {
		data, ok := b.get("OS79XX.TXT", true)
		var named firmware.Image
		if ok {
			named, _ = firmware.Parse(strings.TrimSpace(string(data)))
		}
		if running.Protocol == firmware.SCCP && b.res.Failure == "" {
			// An SCCP load on the original boot mechanism reads no
			// SIPDefault.cnf: OS79XX.TXT alone switches it, when the
			// protocol letter of the name differs (MATRIX). The SIP load it
			// switches to then boots and reads the SIP files.
			if named.IsZero() || named.Protocol != firmware.SIP {
				b.fail("the %s load (%s) takes its load from OS79XX.TXT only, and OS79XX.TXT names no SIP load (%q): the phone stays on SCCP",
					running.Name, running.Protocol, strings.TrimSpace(string(data)))
				return
			}
			b.note("OS79XX.TXT names %s: the %s load switches to it (MATRIX: 3rd character differs)", named.Name, running.Protocol)
			if !b.load(running, named, "OS79XX.TXT") {
				return
			}
			running = named // the SIP load reads the rest
		}
	}
	if b.res.Failure != "" {
		return
	}

	def, ok := b.get("SIPDefault.cnf", false)
	if !ok {
		b.fail("SIPDefault.cnf not found (missing, or not readable by the TFTP daemon): no image_version and no defaults")
		return
	}
	if b.padded(running, "SIPDefault.cnf", def) {
		return
	}
	defCfg := ParseCnf(def)
	siteImage, haveSite := FirstLineImage(def)
	if !haveSite && defCfg["image_version"] != "" {
		b.note("SIPDefault.cnf sets image_version, but not on its first line")
	}

	tftpDir := defCfg["tftp_cfg_dir"]
	if _, set := defCfg["tftp_cfg_dir"]; !set {
		tftpDir = b.p.Flash["tftp_cfg_dir"]
	}
	perName := tftpDir + "SIP" + mac + ".cnf" // prepended as written (TEO)
	per, ok := b.get(perName, false)
	switch {
	case !ok && !flashLines(b.p.Flash):
		b.fail("%s not found (missing, or not readable by the TFTP daemon): the phone boots with no lines (\"UNPROVISIONED\")", perName)
		return
	case !ok:
		// A phone provisioned before keeps its lines in flash and goes on
		// registering with them (fact sheet §7; the field trial's removed
		// phone): only a file that clears them stops it.
		b.note("%s not found: the phone runs on the lines in its flash", perName)
	case b.padded(running, perName, per):
		return
	}
	perCfg := ParseCnf(per)
	// Flash, replaced by SIPDefault.cnf, replaced by SIP<MAC>.cnf
	// (ADM40-p2-4).
	cfg := Cnf{}
	for k, v := range b.p.Flash {
		cfg[k] = v
	}
	for k, v := range defCfg {
		cfg[k] = v
	}
	for k, v := range perCfg {
		cfg[k] = v
	}
	b.res.Flash = cfg
	for k := range b.p.Flash {
		_, inDef := defCfg[k]
		_, inPer := perCfg[k]
		if !inDef && !inPer && (strings.HasPrefix(k, "line") || strings.HasPrefix(k, "proxy")) && cfg[k] != "" {
			b.res.Kept = append(b.res.Kept, k)
		}
	}
	sort.Strings(b.res.Kept)
	if len(b.res.Kept) > 0 {
		b.note("kept from flash, set by no file: %s", strings.Join(b.res.Kept, ", "))
	}
	b.res.Sync, b.res.SyncFrom = DefaultSync, "the phones' default"
	if v, ok := perCfg["sync"]; ok && v != "" {
		b.res.Sync, b.res.SyncFrom = v, perName
	} else if v := defCfg["sync"]; v != "" {
		b.res.Sync, b.res.SyncFrom = v, "SIPDefault.cnf"
	} else if v := b.p.Flash["sync"]; v != "" {
		b.res.Sync, b.res.SyncFrom = v, "flash"
	}

	b.get("RINGLIST.DAT", true)
	tmpl := cfg["dial_template"]
	if tmpl == "" {
		tmpl = "dialplan"
	}
	b.res.DialPlan = tmpl + ".xml"
	b.get(b.res.DialPlan, true)
	if b.res.Failure != "" {
		return
	}

	b.image(running, siteImage, perCfg["image_version"], perName)
	b.lines(cfg)
}

// image decides the load and, when it differs from the running one,
// fetches every file of it.
func (b *booter) image(running firmware.Image, site, pinned, perName string) {
	name, from := site, "SIPDefault.cnf"
	if pinned != "" {
		name, from = pinned, perName
	}
	if name == "" {
		b.fail("no image_version on the first line of SIPDefault.cnf nor in %s: the phone has no load to check (\"No Load Specified\")", perName)
		return
	}
	img, err := firmware.Parse(name)
	if err != nil {
		b.fail("%s: image_version %q is not a 7940/7960 load name", from, name)
		return
	}
	if b.res.Upgrade {
		// Converted from SCCP by OS79XX.TXT in this boot: the SIP load
		// takes image_version at its next boot.
		if img.Name != b.res.Image {
			b.note("%s names %s: the phone moves on to it at its next boot", from, img.Name)
		}
		return
	}
	b.load(running, img, from)
}

// load moves the phone from running to img, named by the file from: the
// step must be one Cisco allows (firmware.SkipsStep, SignedDowngrade: the
// rules setup-cisco's upgrade-path and its run warnings follow), and every
// file of img must be there. It reports whether the phone runs img after
// this boot; if not, the failure says why and the phone keeps running its
// load.
func (b *booter) load(running, img firmware.Image, from string) bool {
	b.res.Image, b.res.ImageFrom = img.Name, from
	if !running.IsZero() && running.Name == img.Name {
		return true // already running it: nothing to download
	}
	if !running.IsZero() {
		refuse := ""
		switch {
		case firmware.SignedDowngrade(running, img):
			refuse = fmt.Sprintf("the running %s load is signed (5.0 or later) and never loads the unsigned %s", running.Label(), img.Name)
		case firmware.SkipsStep(running, img):
			refuse = fmt.Sprintf("going from %s straight to %s skips a step Cisco requires (CME-INST; setup-cisco upgrade-path %s %s)",
				running.Name, img.Name, running.Name, img.Name)
		}
		if refuse != "" {
			b.res.Image = running.Name
			b.fail("load %s (from %s): %s; the phone keeps running %s", img.Name, from, refuse, running.Name)
			return false
		}
	}
	b.res.Upgrade = true
	files := firmware.RequiredFiles(img)
	if len(files) == 0 {
		b.fail("%s: no known files for load %s", from, img.Name)
		return false
	}
	if !running.IsZero() && running.EightDotThree() && running.Compare(firmware.MustParse("P0S30203")) < 0 {
		for _, f := range files {
			if !eightDotThree(f) {
				b.fail("running %s fetches 8.3 file names only; it cannot ask for %s", running.Name, f)
				return false
			}
		}
	}
	for _, f := range files {
		if _, ok := b.get(f, false); !ok {
			was := "its current load"
			if !running.IsZero() {
				was = running.Name
			}
			b.fail("load %s (from %s): %s: file not found; the phone keeps running %s", img.Name, from, f, was)
			return false
		}
	}
	return true
}

// lines reads the registration settings of each line key.
func (b *booter) lines(cfg Cnf) {
	max := inventory.Models[b.p.Model]
	if max == 0 {
		max = 6
	}
	if v := cfg["proxy_register"]; v != "1" {
		// 0 = off, Cisco's default (HUGO-sample, JH-SIPDefault): the
		// phone registers nothing, whatever its lines hold.
		if v == "" {
			v = "unset: Cisco's default 0"
		}
		b.fail("proxy_register is %s, not 1: no line registers", v)
		return
	}
	auth1 := cfg["line1_authname"]
	if auth1 == "" {
		auth1 = "UNPROVISIONED" // Cisco's default for line 1 (ADM40-p3-24)
	}
	for n := 1; n <= max; n++ {
		key := func(f string) string { return cfg[fmt.Sprintf(f, n)] }
		name := key("line%d_name")
		if name == "" || name == "UNPROVISIONED" {
			continue
		}
		l := Line{N: n, Name: name, AuthName: key("line%d_authname"), Password: key("line%d_password"), Proxy: key("proxy%d_address")}
		if l.AuthName == "" {
			l.AuthName = auth1 // an unset authname falls back to line 1's
		}
		if l.Proxy == "" {
			l.Proxy = cfg["proxy1_address"]
		}
		l.Port = 5060
		if p := key("proxy%d_port"); p != "" {
			port, err := strconv.Atoi(p)
			if err != nil || port < 1 || port > 65535 {
				b.fail("line %d: proxy%d_port %q is not a port", n, n, p)
				continue
			}
			l.Port = port
		}
		if l.Proxy == "" {
			b.fail("line %d (%s): no proxy%d_address nor proxy1_address", n, name, n)
			continue
		}
		b.res.Lines = append(b.res.Lines, l)
	}
	if len(b.res.Lines) == 0 {
		b.fail("no line has a lineN_name: nothing registers")
	}
}

// padded fails the boot when the running load is SIP 3.x/4.x and the file
// carries comment or blank lines: such loads fail on padded config files
// (the how-to's 4.4 step worked only with a compacted SIPDefault.cnf;
// firmware.Image.Compact).
func (b *booter) padded(running firmware.Image, name string, data []byte) bool {
	if running.IsZero() || !running.Compact() {
		return false
	}
	for i, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			b.fail("%s:%d: comment or blank line: the running %s load fails on padded config files (how-to)", name, i+1, running.Label())
			return true
		}
	}
	return false
}

// eightDotThree reports whether a file name fits DOS 8.3.
func eightDotThree(name string) bool {
	base, ext, _ := strings.Cut(name, ".")
	return len(base) <= 8 && len(ext) <= 3 && !strings.Contains(ext, ".")
}

// flashLines reports whether flash holds a line a phone would register.
func flashLines(flash Cnf) bool {
	for k, v := range flash {
		if strings.HasPrefix(k, "line") && strings.HasSuffix(k, "_name") && v != "" && v != "UNPROVISIONED" {
			return true
		}
	}
	return false
}
