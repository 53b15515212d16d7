package firmware

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DefaultTarget is the last SIP release for the 7940/7960.
const DefaultTarget = "P0S3-8-12-00"

// ErrSignedDowngrade is the cause of every refused move from a signed load
// to an unsigned one.
var ErrSignedDowngrade = errors.New("images from 5.0 on are signed and a phone at 5.0 or above can never load an unsigned image")

// ErrNoPath is returned for moves no source describes (from MGCP, to a
// non-SIP load, from or to a bare loader name).
var ErrNoPath = errors.New("no documented upgrade path")

// DowngradeError is a refused move below 5.0; it unwraps to
// ErrSignedDowngrade.
type DowngradeError struct{ From, To Image }

func (e *DowngradeError) Error() string {
	return fmt.Sprintf("firmware: %s (%s) cannot go to %s (%s): %v",
		e.From.Name, e.From.Label(), e.To.Name, e.To.Label(), ErrSignedDowngrade)
}

func (e *DowngradeError) Unwrap() error { return ErrSignedDowngrade }

// Step is one reboot of the phone onto Image.
type Step struct {
	Image Image
	// Files are the files the TFTP root must hold for this step.
	Files []string
	// OS79XX is what OS79XX.TXT must hold while the phone makes this step,
	// or "" when the running load does not read it (universal loader, or an
	// SCCP to SCCP move driven by the XML config).
	OS79XX string
	// Command is how the admin takes the step with setup-cisco (a SIP
	// phone reads its load from image_version), or "" when the running
	// load takes it from OS79XX.TXT or the XML files.
	Command string
	// Reason says why the step is there: the rule that makes it a waypoint,
	// or "target".
	Reason string
	// Notes are what to watch for during the step.
	Notes []string
	// Default is set when no candidate fitted and the documented default
	// name was used.
	Default bool
}

func (s Step) String() string {
	return fmt.Sprintf("%s (%s): %s", s.Image.Name, s.Image.Label(), s.Reason)
}

// ver is a major.minor bound.
type ver struct{ major, minor int }

// waypoint is a release band every upgrade that crosses it must stop in.
type waypoint struct {
	lo, hi    ver // an image with lo <= version < hi satisfies it
	def       string
	mandatory bool // false: the how-to's tested path, not a Cisco rule
	reason    string
}

// sipWaypoints: CME-INST "from version [234].x to 4.4, to 5.3, to 6.x, to
// 7.x. You cannot go directly from version [234].x to version 7.x." Default
// names follow HOWTO (5.1, 6.3, 7.5, then 8.2 and 8.6 on the way to 8.x);
// Cisco names no 8.x waypoint, so those two are optional.
var sipWaypoints = [...]waypoint{
	{ver{4, 4}, ver{4, 5}, "P0S3-04-4-00", true, "Cisco: 2.x-4.x go to 4.4 before 5.x"},
	{ver{5, 0}, ver{6, 0}, "P0S3-05-1-00", true, "Cisco: 4.4 to 5.x (Cisco names 5.3, the how-to used 5.1)"},
	{ver{6, 0}, ver{7, 0}, "P0S3-06-3-00", true, "Cisco: 5.x to 6.x before 7.x"},
	{ver{7, 0}, ver{8, 0}, "P0S3-07-5-00", true, "Cisco: 6.x to 7.x; no jump from 2.x-4.x or 5.x to 7.x and later"},
	{ver{8, 0}, ver{8, 3}, "P0S3-08-2-00", false, "how-to's tested path: first 8.x after 7.5"},
	{ver{8, 3}, ver{8, 7}, "P0S3-08-6-00", false, "how-to's tested path: 8.6 before later 8.x"},
}

// Default names of the other waypoints.
const (
	defaultBridge = "P0S30203"     // HOWTO: P003AM30 -> P0S30203
	defaultSCCP5  = "P00305000200" // CME-INST naming table: SCCP 5.0(2)
	default7x     = "P0S3-07-5-00"
)

// planner holds the choices of one Plan call.
type planner struct {
	cands    []Image // empty: documented defaults
	optional bool    // include the how-to's optional waypoints
}

// Plan returns the reboots that take a phone from its running load to the
// SIP load to, in order; the last step is to. For each waypoint it takes the
// newest fitting load among candidates (e.g. Catalog.Available()), or the
// documented default name when candidates is empty or none fits. With no
// candidates it also follows the how-to's 8.2 and 8.6 stops; with candidates
// it stops there only if such a load is available. A plan that would take a
// phone at 5.0 or above below 5.0 fails with a *DowngradeError.
func Plan(from, to Image, candidates ...Image) ([]Step, error) {
	p := planner{optional: true}
	for _, c := range candidates {
		if c.Protocol == SIP || c.Protocol == SCCP {
			p.cands = append(p.cands, c)
		}
	}
	return p.plan(from, to)
}

// SkipsStep reports whether moving straight from one load to the other
// skips a step Cisco requires (the how-to's optional stops do not count).
// Moves that are impossible or undocumented report false; SignedDowngrade
// and Plan tell those apart.
func SkipsStep(from, to Image) bool {
	steps, err := planner{optional: false}.plan(from, to)
	return err == nil && len(steps) > 1
}

// SignedDowngrade reports whether the move goes from a signed load (5.0 and
// later, any protocol) to an unsigned one, which the phone will refuse.
func SignedDowngrade(from, to Image) bool { return from.Signed() && !to.Signed() }

func (p planner) plan(from, to Image) ([]Step, error) {
	if from.IsZero() || to.IsZero() {
		return nil, fmt.Errorf("firmware: plan: missing load name: %w", ErrNoPath)
	}
	if to.Protocol != SIP {
		return nil, fmt.Errorf("firmware: plan to %s: only SIP targets are planned: %w", to.Name, ErrNoPath)
	}
	if SignedDowngrade(from, to) {
		return nil, &DowngradeError{From: from, To: to}
	}
	var steps []Step
	cur := from
	add := func(img Image, reason string, def bool) {
		steps = append(steps, p.step(cur, img, reason, def))
		cur = img
	}

	switch from.Protocol {
	case SIP:
	case SCCP:
		switch {
		case from.EightDotThree() && to.EightDotThree():
			// direct: the target is itself fetchable by an 8.3-only image
		case from.EightDotThree():
			img, def := p.bridge()
			add(img, "how-to: an 8.3-era SCCP load (P003AM30) fetches 8.3 names only, so it first goes to an 8.3-named SIP load", def)
		case !from.Signed() && !to.Signed():
			// TN5455: "SCCP Image 3.x/Earlier to SIP Image 6.x/Earlier".
		case !from.Signed():
			img, def := p.pick(func(c Image) bool { return c.Protocol == SCCP && c.Major == 5 }, defaultSCCP5)
			add(img, "Cisco: SCCP must be at 5.x before converting to SIP", def)
			fallthrough
		case !from.UniversalLoader():
			// SCCP 5.x converts straight to SIP 5.x-7.x (TN5455, CME-INST
			// example "from SCCP 5.x to SIP 7.4"); 8.x goes through 7.x.
			if to.Major >= 8 {
				img, def := p.pick(sipBand(ver{7, 0}, ver{8, 0}), default7x)
				add(img, "Cisco: SCCP 5.x converts to SIP up to 7.x; 8.x comes after 7.x", def)
			}
		case !to.atLeast(7, 0):
			// TN5455 pairs SCCP 6.x and later with SIP 7.x and later; lower
			// signed targets are a SIP downgrade, which Cisco starts at 7.x.
			img, def := p.pick(sipBand(ver{7, 0}, ver{8, 0}), default7x)
			add(img, "Cisco: SCCP 6.x and later convert to SIP 7.x and later; downgrades start at 7.x", def)
		}
	default:
		return nil, fmt.Errorf("firmware: plan from %s (%s): %w", from.Name, from.Protocol, ErrNoPath)
	}

	rest, err := p.planSIP(cur, to)
	if err != nil {
		return nil, err
	}
	for _, s := range rest {
		add(s.img, s.reason, s.def)
	}
	if len(steps) > 0 {
		steps[len(steps)-1].Reason = "target"
	}
	markLastUnsigned(steps)
	return steps, nil
}

// hop is one planned load before notes and files are attached.
type hop struct {
	img    Image
	reason string
	def    bool
}

// planSIP plans from a SIP load up or down to a SIP target; from an SCCP
// load it is the direct conversion the rules in plan left.
func (p planner) planSIP(cur, to Image) ([]hop, error) {
	var out []hop
	switch {
	case cur.Name == to.Name:
		return nil, nil
	case cur.Protocol != SIP:
		// An SCCP phone whose conversion rules above left no waypoint
		// converts straight to the target.
		return []hop{{to, "target", false}}, nil
	}
	if cur.Compare(to) > 0 {
		switch {
		case SignedDowngrade(cur, to):
			return nil, &DowngradeError{From: cur, To: to}
		case cur.Major == 7 || to.atLeast(7, 0) || !cur.Signed():
			// CME-INST: "first upgrade to version 7.x, then ... downgrade
			// directly to the target". Unsigned moves have no Cisco path.
		default:
			img, def := p.pick(sipBand(ver{7, 0}, ver{8, 0}), default7x)
			out = append(out, hop{img, "Cisco: downgrades go to 7.x first, then straight to the target", def})
		}
		return append(out, hop{to, "target", false}), nil
	}
	if eightDotThreeOnly(cur) && !to.EightDotThree() {
		// CISCO-VOIP: SIP 2.x images limit file-name length; HOWTO's phone
		// on P0S30203 fetched P0S3-04-4-00.bin.
		img, def := p.bridge()
		if img.Compare(cur) > 0 && img.Compare(to) < 0 {
			out = append(out, hop{img, "SIP 2.x limits file names; P0S30203 is the how-to's step to long names", def})
			cur = img
		}
	}
	for _, w := range sipWaypoints {
		if cur.atLeast(w.lo.major, w.lo.minor) || !to.atLeast(w.hi.major, w.hi.minor) {
			continue
		}
		in := sipBand(w.lo, w.hi)
		if !w.mandatory && !p.optional {
			continue
		}
		if !w.mandatory && len(p.cands) > 0 && !slices.ContainsFunc(p.cands, in) {
			continue
		}
		img, def := p.pick(in, w.def)
		out = append(out, hop{img, w.reason, def})
		cur = img
	}
	return append(out, hop{to, "target", false}), nil
}

// eightDotThreeOnly reports whether a running load fetches 8.3 names only:
// 8.3-era SCCP loads (HOWTO) and SIP 8.3 loads before P0S30203, the how-to's
// load that did fetch P0S3-04-4-00.bin (CISCO-VOIP on the 2.x limit).
func eightDotThreeOnly(img Image) bool {
	return img.EightDotThree() && !(img.Protocol == SIP && img.atLeast(2, 3))
}

// sipBand matches SIP loads with lo <= version < hi.
func sipBand(lo, hi ver) func(Image) bool {
	return func(c Image) bool {
		return c.Protocol == SIP && c.atLeast(lo.major, lo.minor) && !c.atLeast(hi.major, hi.minor)
	}
}

// bridge picks the 8.3-named SIP load an 8.3-era phone goes to first.
func (p planner) bridge() (Image, bool) {
	return p.pick(func(c Image) bool {
		return c.Protocol == SIP && c.EightDotThree() && c.atLeast(2, 3)
	}, defaultBridge)
}

// pick returns the newest candidate that fits, else the default name.
func (p planner) pick(fits func(Image) bool, def string) (Image, bool) {
	var best Image
	for _, c := range p.cands {
		if fits(c) && (best.IsZero() || c.Compare(best) > 0) {
			best = c
		}
	}
	if best.IsZero() {
		return MustParse(def), true
	}
	return best, false
}

// step fills in the files and warnings of the move from prev to img.
func (p planner) step(prev, img Image, reason string, def bool) Step {
	s := Step{Image: img, Files: RequiredFiles(img), Reason: reason, Default: def}
	note := func(format string, a ...any) { s.Notes = append(s.Notes, fmt.Sprintf(format, a...)) }
	switchesLoader := img.UniversalLoader() && !prev.UniversalLoader()

	if switchesLoader {
		// Not documented which file an original-boot phone fetches; DOES
		// shows the bundle carries .bin files for it.
		s.Files = append(s.Files, OptionalFiles(img)...)
	}
	if !prev.UniversalLoader() && (prev.Protocol == SIP || prev.Protocol != img.Protocol) {
		s.OS79XX = OS79XXName(img)
	}

	switch {
	case img.Protocol == SIP && prev.Protocol == SCCP && !prev.UniversalLoader():
		// The running SCCP load reads OS79XX.TXT only (MATRIX), and
		// setup-cisco writes it from the site image: a phone's pin sits in
		// SIP<MAC>.cnf and SEP<MAC>.cnf.xml, which this load never reads.
		s.Command = fmt.Sprintf("image_version = %s in setup-cisco.conf, then setup-cisco (OS79XX.TXT follows the site image only: a pin with setup-cisco phone set MAC --image does not reach a phone still on SCCP); setup-cisco --image-version %s lasts one run only: the next plain run (cron, the FreePBX hook) writes the settings file's image again",
			img.Name, img.Name)
	case img.Protocol == SIP:
		// setup-cisco writes image_version, OS79XX.TXT and the
		// <loadInformation> of SEP<MAC>.cnf.xml / XMLDefault.cnf.xml from
		// the site image (or the phone's pin), and replaces hand edits of
		// them on its next run: the step is a command, whatever the
		// phone runs now; the lasting forms first, as --image-version
		// holds for one run only.
		s.Command = fmt.Sprintf("image_version = %s in setup-cisco.conf, then setup-cisco (every phone), or setup-cisco phone set MAC --image %s (one phone); setup-cisco --image-version %s lasts one run only: the next plain run (cron, the FreePBX hook) writes the settings file's image again",
			img.Name, img.Name, img.Name)
	}
	switch {
	case prev.Protocol == SIP:
	case prev.UniversalLoader():
		note("the phone runs SCCP on the universal loader: it takes %s from <loadInformation> of SEP<MAC>.cnf.xml / XMLDefault.cnf.xml, which setup-cisco writes from the image", img.Name)
	case prev.Protocol == img.Protocol:
		note("SCCP to SCCP: the running load takes %s from <loadInformation> of SEP<MAC>.cnf.xml / XMLDefault.cnf.xml, not from OS79XX.TXT", img.Name)
	default:
		note("the running SCCP load does not read SIPDefault.cnf: OS79XX.TXT switches it")
	}
	if eightDotThreeOnly(prev) && s.OS79XX != "" {
		note("8.3 names only: OS79XX.TXT must hold %s", s.OS79XX)
	}
	if prev.Compact() {
		note("compact SIPDefault.cnf: no comments, no blank lines (the running %s load reads it)", prev.Label())
	}
	if img.Signed() && !prev.Signed() {
		note("first signed image: from here on the phone can never load an image below 5.0")
	}
	if switchesLoader {
		note("universal loader: the phone flashes %s.sbn, reboots, then fetches %s.loads/.sb2; after that reboot it must get the TFTP server from DHCP (option 150 or 66), else \"Protocol Application Invalid\"",
			img.LoaderName(), img.Name)
	}
	if prev.Protocol == img.Protocol && prev.Compare(img) > 0 {
		note("downgrade")
	}
	if def && len(p.cands) > 0 {
		note("%s is not among the available loads: import its files first", img.Name)
	}
	return s
}

// OS79XXName is what OS79XX.TXT holds for phones going to the SIP load img:
// the SIP load name itself (P0S3-...), never the loader's (P003-...). It is
// the one rule for the file, used by upgrade-path and by every run.
//
// Why (sources in doc.go and the fact sheet §4): only phones on the original
// boot mechanism read OS79XX.TXT (from 7.4 it is obsolete: ADIS), and such a
// phone compares the name's first 4 characters with its running load: if
// they match it carries on, if the protocol letter differs it loads the
// named image (MATRIX, which lists SIP names P0S3-xx-y-zz). So
//   - an SCCP phone (P003...) needs the SIP name to switch to SIP;
//   - a SIP phone before 7.0 reads "P0S3", carries on, and takes its load
//     from image_version, which honours per-phone pins and Cisco's required
//     steps (CME-INST); this is how the how-to stepped every SIP release
//     (HOWTO: OS79XX.TXT held P0S30203, P0S3-04-4-00, P0S3-06-3-00) and how
//     a 7.3 phone reached the 7.4 loader with no OS79XX.TXT request at all
//     (IPF). The loader name in Cisco's 7.4 and 8.12 bundles (ADIS, TEO)
//     would make that phone jump to the loader at once, whatever its release:
//     from 4.x that skips the 4.4, 5.x and 6.x steps Cisco requires, and it
//     would leave an SCCP phone on SCCP (same first 4 characters).
func OS79XXName(img Image) string {
	return img.Bundle().Name
}

// markLastUnsigned warns on the last unsigned step before a signed one
// (HOWTO: make sure 4.4 works before going to 5.x).
func markLastUnsigned(steps []Step) {
	for i := 0; i+1 < len(steps); i++ {
		if !steps[i].Image.Signed() && steps[i+1].Image.Signed() {
			steps[i].Notes = append(steps[i].Notes,
				"last unsigned image; from here on no way back below 5.0: check the phone works on it before the next step")
		}
	}
}

// PathString renders a plan as "P003AM30 -> P0S30203 -> ...".
func PathString(from Image, steps []Step) string {
	names := []string{from.Name}
	for _, s := range steps {
		names = append(names, s.Image.Name)
	}
	return strings.Join(names, " -> ")
}

// ThroughOS79XX reports whether img is a SIP load that a phone on an SCCP
// load before 6.x (the original boot mechanism) may convert to, taking it
// from OS79XX.TXT alone (MATRIX): by Plan's rules an 8.3-era SCCP load
// goes to an 8.3-named SIP load, SCCP 3.x to SIP up to 4.x or, through
// SCCP 5.x, to SIP 5.x-7.x, and SCCP 5.x to SIP up to 7.x (TN5455,
// CME-INST); 8.x comes after 7.x. Such a phone never reads SIP<MAC>.cnf or
// SEP<MAC>.cnf.xml, so a per-phone pin to img does not reach it.
func ThroughOS79XX(img Image) bool { return img.Protocol == SIP && img.Major < 8 }
