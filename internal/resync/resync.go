// Package resync asks Cisco 7940/7960 SIP phones to re-read their
// configuration files: a SIP NOTIFY with "Event: check-sync", sent through
// Asterisk when it runs here (it knows where each registered phone is), or
// else straight to the phone's address from the ISC dhcpd leases file.
//
// # What a phone does with check-sync
//
// On check-sync the phone waits until it has been idle for 20 seconds, then
// fetches syncinfo.xml and compares its SYNC value with the "sync" value of
// the configuration it runs. Only when they differ does it reboot, fetching
// its files again; there is no reload without a reboot (fact sheet §5).
//
// # The sync generation
//
// The write path decides each phone's sync value, once per run, in
// internal/provision (generation.go): the phones whose files change get the
// next generation G' = NextGeneration(G) in their SIP<MAC>.cnf, syncinfo.xml
// says G' (SyncInfo), and Notify then tells exactly those phones. A changed
// phone runs the old sync, sees G', reboots once and from then on matches;
// an unchanged phone that gets a check-sync anyway reboots once, harmlessly.
// This package holds the formats (SyncInfo, ParseSyncInfo, CnfSync,
// NextGeneration) and the NOTIFY.
package resync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/macaddr"
)

// Target is a phone whose files changed.
type Target struct {
	MAC   macaddr.MAC
	Lines []Line // in line key order; the first with an extension is used
}

// Line is one registered line of a phone.
type Line struct {
	Ext  string // FreePBX extension: chan_sip peer or chan_pjsip endpoint
	Tech string // "sip" or "pjsip"
}

// Via chooses how NOTIFYs are sent.
type Via int

const (
	Auto     Via = iota // Asterisk when it answers here, else direct
	Asterisk            // asterisk -rx only
	Direct              // straight to the phone only
)

// Options configure Notify. Zero values mean the defaults shown.
type Options struct {
	Via       Via
	Asterisk  string        // asterisk binary (default: from $PATH, else /usr/sbin/asterisk)
	ConfDir   string        // Asterisk's configuration (default /etc/asterisk)
	Leases    string        // ISC dhcpd leases (default /var/lib/dhcp/dhcpd.leases)
	PhonePort int           // the phones' SIP port, sip_control_port (default 5060)
	Timeout   time.Duration // per phone, for an answer to a direct NOTIFY (default 5s)
	Logger    *slog.Logger  // the SIP library's log (default: discarded)
}

func (o *Options) defaults() {
	if o.ConfDir == "" {
		o.ConfDir = "/etc/asterisk"
	}
	if o.Leases == "" {
		o.Leases = "/var/lib/dhcp/dhcpd.leases"
	}
	if o.PhonePort == 0 {
		o.PhonePort = 5060
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Result is what happened for one target.
type Result struct {
	MAC macaddr.MAC
	Via string // how the NOTIFY went, e.g. `asterisk -rx "sip notify cisco-check-cfg 1001"`
	Err error  // nil: the NOTIFY was sent (through Asterisk) or answered 2xx (direct)
}

// ErrNoAsterisk: Via is Asterisk but no Asterisk answers here.
var ErrNoAsterisk = errors.New("asterisk is not running here (asterisk -rx failed)")

// Notify sends one check-sync NOTIFY to each target and returns a result per
// target, in order. The error is for what stops every NOTIFY (a bad option,
// Asterisk missing when required); a phone that could not be reached is in
// its Result.
//
// Through Asterisk, the [cisco-check-cfg] notify type is added to
// sip_notify_custom.conf or pjsip_notify_custom.conf first when no notify
// file defines it. A phone Asterisk cannot reach (not registered: perhaps
// the very change being pushed broke its registration) gets a direct
// NOTIFY when the leases file knows its address.
func Notify(ctx context.Context, targets []Target, o Options) ([]Result, error) {
	o.defaults()
	res := make([]Result, len(targets))
	for i, t := range targets {
		res[i].MAC = t.MAC
	}
	if len(targets) == 0 {
		return res, nil
	}
	var ast *asterisk
	if o.Via != Direct {
		a, err := findAsterisk(ctx, o.Asterisk)
		switch {
		case err == nil:
			ast = a
		case o.Via == Asterisk:
			return res, err
		}
	}

	pending := make([]int, 0, len(targets))
	if ast != nil {
		if err := ast.ensureNotifyTypes(ctx, o.ConfDir, targets); err != nil {
			return res, err
		}
		for i, t := range targets {
			res[i].Via, res[i].Err = ast.notify(ctx, t)
			if res[i].Err != nil && o.Via == Auto {
				pending = append(pending, i)
			}
		}
	} else {
		for i := range targets {
			pending = append(pending, i)
		}
	}
	if len(pending) == 0 {
		return res, nil
	}

	leases, err := ReadLeases(o.Leases)
	if err != nil {
		for _, i := range pending {
			res[i].Err = errors.Join(res[i].Err, fmt.Errorf("no address for a direct NOTIFY: %w", err))
		}
		return res, nil
	}
	d, err := newDirect(o)
	if err != nil {
		return res, err
	}
	defer d.close()
	var wg sync.WaitGroup
	for _, i := range pending {
		ip, ok := leases[targets[i].MAC]
		if !ok {
			res[i].Err = errors.Join(res[i].Err, fmt.Errorf("no active lease for %s in %s", targets[i].MAC, o.Leases))
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			via, err := d.notify(ctx, ip, firstExt(targets[i]))
			if err != nil {
				res[i].Err = errors.Join(res[i].Err, err)
				if res[i].Via == "" {
					res[i].Via = via
				}
				return
			}
			res[i].Via, res[i].Err = via, nil
		}()
	}
	wg.Wait()
	return res, nil
}

func firstLine(t Target) (Line, bool) {
	for _, l := range t.Lines {
		if l.Ext != "" {
			return l, true
		}
	}
	return Line{}, false
}

func firstExt(t Target) string {
	l, _ := firstLine(t)
	return l.Ext
}

// asterisk runs CLI commands on the local Asterisk.
type asterisk struct{ bin string }

func findAsterisk(ctx context.Context, bin string) (*asterisk, error) {
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("asterisk"); err != nil {
			bin = "/usr/sbin/asterisk"
		}
	}
	a := &asterisk{bin: bin}
	out, err := a.rx(ctx, "core show version")
	if err != nil || !strings.HasPrefix(strings.TrimSpace(out), "Asterisk") {
		return nil, fmt.Errorf("%w: %v %s", ErrNoAsterisk, err, strings.TrimSpace(out))
	}
	return a, nil
}

func (a *asterisk) rx(ctx context.Context, command string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, a.bin, "-rx", command).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s -rx %q: %w", a.bin, command, err)
	}
	return string(out), nil
}

// notify sends check-sync to the phone's first line through Asterisk.
func (a *asterisk) notify(ctx context.Context, t Target) (string, error) {
	l, ok := firstLine(t)
	if !ok {
		return "", fmt.Errorf("%s has no line to notify", t.MAC)
	}
	var command string
	switch l.Tech {
	case "sip":
		command = "sip notify cisco-check-cfg " + l.Ext
	case "pjsip":
		command = "pjsip send notify cisco-check-cfg endpoint " + l.Ext
	default:
		return "", fmt.Errorf("line %s: unknown tech %q", l.Ext, l.Tech)
	}
	via := fmt.Sprintf("asterisk -rx %q", command)
	out, err := a.rx(ctx, command)
	if err != nil {
		return via, err
	}
	// The CLI exits 0 whatever happened; its words tell.
	if !strings.Contains(out, "Sending NOTIFY") || strings.Contains(out, "Unable to") ||
		strings.Contains(out, "Could not") || strings.Contains(out, "No such command") {
		return via, fmt.Errorf("%s: %s", via, strings.Join(strings.Fields(out), " "))
	}
	return via, nil
}
