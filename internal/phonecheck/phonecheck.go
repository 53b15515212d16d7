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
//   - the secret survives the phone's file syntax unchanged (cnftext.Secret);
//   - FreePBX generates a device of its number that takes a REGISTER over
//     UDP: its sip 'account' row is the number, and (chan_sip) its host is
//     dynamic, its type not user, its transport allows UDP
//     (freepbx.Register);
//   - FreePBX generates the device for the driver devices.tech names (its
//     sip 'sipdriver' row agrees: freepbx.Driver) and rings it (devices.dial
//     names it: freepbx.DialRingsDevice); else the phone registers to a
//     driver that has no such device, or registers and never rings.
//
// Across phones (Shared): an extension on more phones than its driver lets
// register at once (freepbx.Extension.Contacts) rings only the phone that
// registered last; said as a warning, both phones are written.
//
// The entry itself (model, line numbers, lines the model cannot show) is
// inventory.Validate's; Inventory applies both.
package phonecheck

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"net/netip"
	"slices"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/cnftext"
	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/freepbx"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
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
	e, ok := pbx.Extensions.Get(l.Ext)
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
	if e.Tech == "pjsip" && pbx.Ports.PJSIPBad != "" {
		return Checked{}, "a chan_pjsip device, but " + pbx.Ports.PJSIPBad
	}
	if e.Tech == "pjsip" && pbx.Ports.PJSIPNoUDP {
		// Sipsettings::getBinds: only binds that are on listen.
		return Checked{}, "a chan_pjsip device, but chan_pjsip has no UDP transport switched on (Settings > Asterisk SIP Settings > chan_pjsip, udp): the 7940/7960 speak SIP over UDP only, so the line cannot register; switch a UDP bind on"
	}
	if msg := driverMismatch(e); msg != "" {
		return Checked{}, msg
	}
	if dial, odd := pbx.Dials[e.ID]; odd {
		want := map[string]string{"sip": "SIP", "pjsip": "PJSIP"}[e.Tech] + "/" + e.ID
		return Checked{}, fmt.Sprintf("a %s device whose dial string (devices.dial) is %s: FreePBX rings that, not %s, so the phone registers and never rings; set Dial to %s (Applications > Extensions > %s > Advanced) or clear devices.dial and re-save the extension",
			techName(e.Tech), dial, want, want, e.ID)
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
	if msg := registers(e, pbx); msg != "" {
		return Checked{}, msg
	}
	return Checked{Ext: e, Name: name, Password: pw}, ""
}

// driverMismatch says why FreePBX generates no device for the driver
// devices.tech names (freepbx.Driver has the source): tech pjsip with
// sipdriver chan_sip is a chan_sip peer and no PJSIP endpoint; tech sip
// with sipdriver chan_pjsip is neither. "" when they agree or there is no
// sipdriver row.
func driverMismatch(e freepbx.Extension) string {
	var driver string
	switch {
	case e.Driver == freepbx.DriverNone:
		return ""
	case e.Tech == "pjsip" && e.Driver != freepbx.DriverPJSIP:
		driver = "chan_sip"
		if e.Driver == freepbx.DriverOther {
			driver = "neither chan_pjsip nor chan_sip"
		}
		return fmt.Sprintf("devices.tech is pjsip but the device's sipdriver (sip table) is %s: FreePBX generates no PJSIP endpoint %s (and a chan_sip peer where sipdriver is chan_sip), so the line cannot both register and ring; make them agree: re-save the extension in FreePBX with the driver you want, or fix the tech or sipdriver column and import again (Bulk Handler)",
			driver, e.ID)
	case e.Tech == "sip" && e.Driver == freepbx.DriverPJSIP:
		return fmt.Sprintf("devices.tech is sip but the device's sipdriver (sip table) is chan_pjsip: FreePBX generates neither a chan_sip peer nor a PJSIP endpoint %s, so the line cannot register; make them agree: re-save the extension in FreePBX with the driver you want, or fix the tech or sipdriver column and import again (Bulk Handler)", e.ID)
	}
	return ""
}

// registers says why the device FreePBX generates for e takes no REGISTER
// from a 7940/7960 (freepbx.Register has the sources): no device of its
// number (its sip 'account' row is missing or names another), or a
// chan_sip peer with a fixed Host, Connection Type user, or a Transport
// without UDP (the phones' only transport). "" when it registers.
func registers(e freepbx.Extension, pbx freepbx.Data) string {
	r := e.Register
	resave := fmt.Sprintf("re-save extension %s in FreePBX (Applications > Extensions > %s > Submit, then Apply Config), which writes it", e.ID, e.ID)
	switch {
	case r&freepbx.RegNoAccount != 0:
		return fmt.Sprintf("the device has no 'account' row in the sip table: FreePBX names the %s it generates after that row, so Asterisk has no %s %s and the line cannot register; %s",
			map[string]string{"sip": "chan_sip peer ([<account>] in sip_additional.conf)", "pjsip": "PJSIP endpoint and aor"}[e.Tech], techName(e.Tech), e.ID, resave)
	case r&freepbx.RegOtherAccount != 0:
		return fmt.Sprintf("the device's 'account' row in the sip table is not %s: FreePBX names the %s it generates after that row, so Asterisk has no %s %s and the line cannot register; %s",
			e.ID, map[string]string{"sip": "chan_sip peer", "pjsip": "PJSIP endpoint and aor"}[e.Tech], techName(e.Tech), e.ID, resave)
	case e.Tech != "sip":
		return ""
	case r&freepbx.RegTypeUser != 0:
		return fmt.Sprintf("a chan_sip device whose Connection Type (sip 'type') is user: chan_sip registers peers only, so it answers the phone's REGISTER as for no device and the line cannot register; set Connection Type to friend (Applications > Extensions > %s > Advanced)", e.ID)
	case r&freepbx.RegHostFixed != 0:
		return fmt.Sprintf("a chan_sip device whose Host (sip 'host') is a fixed address, not dynamic: chan_sip answers every REGISTER for it with 403 Forbidden ('not configured as host=dynamic'), so the line cannot register; set Host to dynamic (Applications > Extensions > %s > Advanced)", e.ID)
	}
	if t := r.Transports(pbx.ChanSIPTCP, pbx.ChanSIPTLS); t != 0 && t&freepbx.RegUDP == 0 {
		var names []string
		for _, n := range []struct {
			bit  freepbx.Register
			name string
		}{{freepbx.RegTCP, "TCP"}, {freepbx.RegTLS, "TLS"}, {freepbx.RegWS, "WS/WSS"}} {
			if t&n.bit != 0 {
				names = append(names, n.name)
			}
		}
		return fmt.Sprintf("a chan_sip device whose Transport (sip 'transport') allows %s only: chan_sip answers a REGISTER over UDP, the only transport of a 7940/7960, with 403 Forbidden, so the line cannot register; set Transport to one with UDP, e.g. All - UDP Primary (Applications > Extensions > %s > Advanced)",
			strings.Join(names, " and "), e.ID)
	}
	return ""
}

func techName(tech string) string {
	return map[string]string{"sip": "chan_sip", "pjsip": "chan_pjsip"}[tech]
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
// reports them; Shared's findings over every phone go to Warnings.
func Inventory(inv inventory.Inventory, pbx freepbx.Data) inventory.Inventory {
	out := inv
	out.Warnings = append([]string(nil), inv.Warnings...)
	for _, s := range Shared(inv.Phones, pbx) {
		out.Warnings = append(out.Warnings, s.Msg)
	}
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
		if _, sip := pbx.Extensions.Get(pr.Ext); pr.Line > 0 && !sip {
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

// SharedExt is an extension on more phones than can be registered to it at
// once (freepbx.Extension.Contacts): each phone's REGISTER replaces
// another's, so only the phone that registered last rings, and which one
// changes with every re-registration.
type SharedExt struct {
	Ext    string
	Phones []macaddr.MAC // sorted
	Msg    string        // the whole warning, naming the extension and every phone
}

// Shared finds the extensions of FreePBX's SIP devices that are on more of
// phones than their device takes registrations (a phone with the same
// extension on two keys registers it once). It holds an index of 8 bytes
// a line while it sorts, nothing per extension; the result is ordered by
// extension.
func Shared(phones []inventory.Phone, pbx freepbx.Data) []SharedExt {
	type ref struct{ p, l uint32 }
	n := 0
	for i := range phones {
		n += len(phones[i].Lines)
	}
	refs := make([]ref, 0, n)
	for i := range phones {
		for j, l := range phones[i].Lines {
			if _, ok := pbx.Extensions.Get(l.Ext); ok {
				refs = append(refs, ref{uint32(i), uint32(j)})
			}
		}
	}
	ext := func(r ref) string { return phones[r.p].Lines[r.l].Ext }
	slices.SortFunc(refs, func(a, b ref) int {
		if c := strings.Compare(ext(a), ext(b)); c != 0 {
			return c
		}
		return strings.Compare(string(phones[a.p].MAC), string(phones[b.p].MAC))
	})
	var out []SharedExt
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && ext(refs[j]) == ext(refs[i]) {
			j++
		}
		distinct := 1 // phones, counted before anything is built: most extensions have one
		for k := i + 1; k < j; k++ {
			if phones[refs[k].p].MAC != phones[refs[k-1].p].MAC {
				distinct++
			}
		}
		e, _ := pbx.Extensions.Get(ext(refs[i]))
		if distinct <= e.Contacts() {
			i = j
			continue
		}
		var macs []macaddr.MAC
		var where []string
		for _, r := range refs[i:j] {
			p := phones[r.p]
			if len(macs) > 0 && macs[len(macs)-1] == p.MAC {
				continue
			}
			macs = append(macs, p.MAC)
			where = append(where, fmt.Sprintf("%s line %d", p.MAC, p.Lines[r.l].N))
		}
		out = append(out, SharedExt{Ext: e.ID, Phones: macs, Msg: sharedMsg(e, where)})
		i = j
	}
	return out
}

// SharedEach is Shared for phones handed over one at a time by each (which
// calls its argument with every phone, in order, and returns its first
// error), so they need not all be held (inventory.Stored): a first pass
// keeps 16 bytes a line (a hash of its extension and the phone's place),
// and only the phones whose extensions may be shared are kept by a second
// one, with just those lines, for Shared.
func SharedEach(each func(func(inventory.Phone) error) error, pbx freepbx.Data) ([]SharedExt, error) {
	type ref struct {
		h uint64
		p uint32
	}
	seed := maphash.MakeSeed()
	var refs []ref
	k := uint32(0)
	if err := each(func(p inventory.Phone) error {
		for _, l := range p.Lines {
			if _, ok := pbx.Extensions.Get(l.Ext); ok {
				refs = append(refs, ref{maphash.String(seed, l.Ext), k})
			}
		}
		k++
		return nil
	}); err != nil {
		return nil, err
	}
	slices.SortFunc(refs, func(a, b ref) int {
		if c := cmp.Compare(a.h, b.h); c != 0 {
			return c
		}
		return cmp.Compare(a.p, b.p)
	})
	maybe := map[uint64]bool{} // on two phones or more (or a hash two extensions share)
	for i := 1; i < len(refs); i++ {
		if refs[i].h == refs[i-1].h && refs[i].p != refs[i-1].p {
			maybe[refs[i].h] = true
		}
	}
	refs = nil
	if len(maybe) == 0 {
		return nil, nil
	}
	var phones []inventory.Phone
	if err := each(func(p inventory.Phone) error {
		var ls []inventory.Line
		for _, l := range p.Lines {
			if maybe[maphash.String(seed, l.Ext)] {
				ls = append(ls, l)
			}
		}
		if len(ls) > 0 {
			p.Lines = ls
			phones = append(phones, p)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return Shared(phones, pbx), nil
}

// SharedWith is Shared for the entry p as phone add or phone set would
// store it, among the other phones (p's old entry, if any, is replaced):
// only the extensions p shares.
func SharedWith(p inventory.Phone, others []inventory.Phone, pbx freepbx.Data) []SharedExt {
	exts := map[string]bool{}
	for _, l := range p.Lines {
		exts[l.Ext] = true
	}
	phones := []inventory.Phone{p}
	for _, o := range others {
		if o.MAC == p.MAC {
			continue
		}
		var ls []inventory.Line
		for _, l := range o.Lines {
			if exts[l.Ext] {
				ls = append(ls, l)
			}
		}
		if len(ls) > 0 {
			o.Lines = ls
			phones = append(phones, o)
		}
	}
	return Shared(phones, pbx)
}

func sharedMsg(e freepbx.Extension, where []string) string {
	on := fmt.Sprintf("extension %s is on %d phones (%s)", e.ID, len(where), strings.Join(where, ", "))
	if e.Tech == "pjsip" {
		return fmt.Sprintf("%s, but its PJSIP aor takes %d contact(s) (max_contacts %d; FreePBX writes 1 with remove_existing=yes when Max Contacts is unset or 1): each phone's registration evicts another's, so only the phone that registered last rings; raise Max Contacts to %d (Applications > Extensions > %s > Advanced) or give each phone its own extension",
			on, e.Contacts(), e.Contacts(), len(where), e.ID)
	}
	return fmt.Sprintf("%s, but chan_sip keeps one registered address per peer: each phone's registration replaces the other's, so only the phone that registered last rings; give each phone its own extension, or convert %s to PJSIP with Max Contacts %d", on, e.ID, len(where))
}
