// Package phonecheck is the one validation of a phone's entry against
// FreePBX: phone add/set, phone list, doctor and the write run all report a
// phone's problems through it, in the same words.
//
// Rules, per line key (sources: freepbx-facts.md §1, the Cisco 79x0 SIP
// admin guide's config file syntax, cisco-79x0-sip-facts.md §2):
//   - the extension is a chan_sip or chan_pjsip device (devices.tech 'sip'
//     or 'pjsip'); a device of another technology (IAX2, DAHDi, ...) is
//     named as such: a Cisco SIP phone cannot register it;
//   - its number can stand as a token in the phone's file (cnftext.Token);
//   - its technology's channel driver is loaded: FreePBX's SIP Channel
//     Driver setting (ASTSIPDRIVER) is "both" or names it (sipsettings
//     Sipsettings::getBinds; core drivers/Sip.class.php getInfo);
//   - it has a plain secret (sip 'secret'), not only an md5_cred;
//   - the secret survives the phone's file syntax unchanged (cnftext.Secret).
//
// The entry itself (model, line numbers, lines the model cannot show) is
// inventory.Validate's; Inventory applies both.
package phonecheck

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// Checked is a line that passed: the device and the values the phone's
// file carries.
type Checked struct {
	Ext      freepbx.Extension
	Name     string // lineN_name: the extension number as a token
	Password string // lineN_password: the secret, unchanged
}

// Line checks one line's extension; msg is the problem in words, "" when
// the line is good.
func Line(l inventory.Line, pbx freepbx.Data) (Checked, string) {
	e, ok := pbx.Extensions[l.Ext]
	if !ok {
		if tech, other := pbx.Others[l.Ext]; other {
			return Checked{}, fmt.Sprintf("unknown extension: %s is %s device in FreePBX, not SIP or PJSIP; a Cisco SIP phone cannot register it", l.Ext, article(tech))
		}
		return Checked{}, "unknown extension: no SIP or PJSIP device with this number in FreePBX"
	}
	if msg := driverLoaded(e.Tech, pbx.SIPDriver); msg != "" {
		return Checked{}, msg
	}
	if a := pbx.Ports.ChanSIPAddr; e.Tech == "sip" && a != "" && !Reachable(a) {
		return Checked{}, fmt.Sprintf("a chan_sip device, but chan_sip listens on %s only (bindaddr, Settings > Asterisk SIP Settings > chan_sip): no 7940/7960 can reach that (IPv4 only, not loopback), so the line cannot register", a)
	}
	if binds := pbx.Ports.PJSIPBinds; e.Tech == "pjsip" && len(binds) > 0 && !slices.ContainsFunc(binds, func(b freepbx.Bind) bool { return Reachable(b.Addr) }) {
		return Checked{}, fmt.Sprintf("a chan_pjsip device, but chan_pjsip's UDP binds are on %s only (Settings > Asterisk SIP Settings > chan_pjsip): no 7940/7960 can reach that (IPv4 only, not loopback), so the line cannot register", binds[0].Addr)
	}
	if e.Tech == "pjsip" && pbx.Ports.PJSIPNoUDP {
		// Sipsettings::getBinds: only binds that are on listen.
		return Checked{}, "a chan_pjsip device, but chan_pjsip has no UDP transport switched on (Settings > Asterisk SIP Settings > chan_pjsip, udp): the 7940/7960 speak SIP over UDP only, so the line cannot register; switch a UDP bind on"
	}
	name, err := cnftext.Token(e.ID)
	if err != nil {
		return Checked{}, "extension number: " + err.Error()
	}
	if e.Secret == "" {
		if e.MD5Cred {
			return Checked{}, "authenticates by md5_cred only: the phone needs the plain secret; set one in FreePBX"
		}
		return Checked{}, "empty secret: set one in FreePBX"
	}
	pw, err := cnftext.Secret(e.Secret)
	if err != nil {
		return Checked{}, err.Error() + ": change it in FreePBX"
	}
	return Checked{Ext: e, Name: name, Password: pw}, ""
}

// Reachable says whether a 7940/7960 can reach a SIP driver bound to
// addr: the rule for any address a phone is sent to (siteconf.CheckIPv4:
// IPv4 only, not loopback, unspecified, multicast or broadcast).
func Reachable(addr string) bool { return siteconf.CheckIPv4(addr) == nil }

// driverLoaded says why a device of technology tech cannot register when
// FreePBX's SIP Channel Driver setting (ASTSIPDRIVER) loads only the other
// driver; "" when it can (or the setting is unknown).
func driverLoaded(tech, driver string) string {
	want := map[string]string{"sip": "chan_sip", "pjsip": "chan_pjsip"}[tech]
	if driver == "" || driver == "both" || want == "" || driver == want {
		return ""
	}
	return fmt.Sprintf("a %s device, but FreePBX's SIP Channel Driver (Settings > Advanced Settings, ASTSIPDRIVER) is %s: Asterisk does not listen for %s, so the line cannot register; convert the extension to %s in FreePBX, or set the driver to both",
		want, driver, want, map[string]string{"chan_sip": "PJSIP", "chan_pjsip": "chan_sip"}[want])
}

// Phone checks a phone's image pin and every line against FreePBX; any
// problem makes the phone bad.
func Phone(p inventory.Phone, pbx freepbx.Data) []inventory.Problem {
	var probs []inventory.Problem
	bad := func(l inventory.Line, msg string) {
		probs = append(probs, inventory.Problem{MAC: string(p.MAC), Source: p.Source, Line: l.N, Ext: l.Ext, Msg: msg})
	}
	if p.Image != "" {
		if _, err := cnftext.Token(p.Image); err != nil {
			bad(inventory.Line{}, "image pin: "+err.Error())
		}
	}
	for _, l := range p.Lines {
		if _, msg := Line(l, pbx); msg != "" {
			bad(l, msg)
		}
	}
	return probs
}

// Inventory applies Phone to every good phone of inv: phones with a
// problem move to Bad and their problems to Problems, as a write run
// reports them.
func Inventory(inv inventory.Inventory, pbx freepbx.Data) inventory.Inventory {
	out := inv
	out.Phones = nil
	out.Problems = append([]inventory.Problem(nil), inv.Problems...)
	out.Bad = append(out.Bad[:0:0], inv.Bad...)
	for _, p := range inv.Phones {
		if probs := Phone(p, pbx); len(probs) > 0 {
			out.Problems = append(out.Problems, probs...)
			out.Bad = append(out.Bad, p.MAC)
			continue
		}
		out.Phones = append(out.Phones, p)
	}
	return out
}

// Entry checks what phone add or phone set would store: the entry
// (inventory.Validate, dropped lines included), every line against
// FreePBX, the image pin's form (a SIP load name as phones request it)
// and the fixed address (IPv4). The error names each problem.
func Entry(p inventory.Phone, pbx freepbx.Data) error {
	var msgs []string
	if _, ok := inventory.Models[p.Model]; !ok {
		return fmt.Errorf("--model %q: want 7940 or 7960", p.Model)
	}
	keys := inventory.Models[p.Model]
	kept, probs := inventory.Validate(p)
	for _, pr := range probs {
		if pr.Line > keys {
			// phone add/set never store a line the phone cannot show
			msgs = append(msgs, fmt.Sprintf("line %d (extension %s): a %s has %d lines", pr.Line, pr.Ext, p.Model, keys))
			continue
		}
		msgs = append(msgs, lineMsg(pr))
	}
	for _, pr := range Phone(kept, pbx) {
		if _, sip := pbx.Extensions[pr.Ext]; pr.Line > 0 && !sip {
			m := fmt.Sprintf("line %d: extension %s is not a SIP or PJSIP extension in FreePBX", pr.Line, pr.Ext)
			if tech, ok := pbx.Others[pr.Ext]; ok {
				m += " (it is " + article(tech) + " device)"
			}
			msgs = append(msgs, m)
			continue
		}
		msgs = append(msgs, lineMsg(pr))
	}
	if p.Image != "" {
		img, err := firmware.Parse(p.Image)
		switch {
		case err != nil:
			msgs = append(msgs, "--image: "+err.Error())
		case img.Protocol != firmware.SIP || img.Name != p.Image:
			msgs = append(msgs, fmt.Sprintf("--image %s: want a SIP load name as phones request it, e.g. P0S3-08-6-00", p.Image))
		}
	}
	if p.IP != "" {
		if a, err := netip.ParseAddr(p.IP); err != nil || !a.Is4() {
			msgs = append(msgs, fmt.Sprintf("--ip %q: not an IPv4 address", p.IP))
		}
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	return nil
}

func lineMsg(pr inventory.Problem) string {
	if pr.Line == 0 {
		return pr.Msg
	}
	if pr.Ext != "" {
		return fmt.Sprintf("line %d (extension %s): %s", pr.Line, pr.Ext, pr.Msg)
	}
	return fmt.Sprintf("line %d: %s", pr.Line, pr.Msg)
}

// article: "an IAX2", "a DAHDI".
func article(tech string) string {
	t := strings.ToUpper(tech)
	if t != "" && strings.ContainsRune("AEIOU", rune(t[0])) {
		return "an " + t
	}
	return "a " + t
}
