package phoneemu

// What a booted phone does with a SIP NOTIFY (fact sheet §5): it answers
// 200 OK; on "Event: check-sync" it waits until it has been idle for 20 s,
// fetches syncinfo.xml (and its dial plan), takes the SYNC of the IMAGE
// entry naming its load, else of VERSION="*", and compares it with the
// "sync" value of the configuration it runs. Only when they differ does it
// reboot and fetch its files again; there is no reload without a reboot.

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// SyncInfoFile is what the phone fetches on check-sync.
const SyncInfoFile = "syncinfo.xml"

// DefaultSync is the phone's sync value when no .cnf file sets one.
const DefaultSync = "1"

// SyncFor returns the SYNC value syncinfo.xml gives a phone running load
// image, as Cisco describes the decision (7960G/7940G Admin Guide 8.0 SIP,
// OL-7890-01, p.4-4, "During a remote reboot"): (a) an IMAGE entry whose
// VERSION is the current image counts; (b) else one whose VERSION is the
// wildcard "*"; (c) that entry's SYNC is compared with the phone's sync;
// (d) with neither entry the phone does nothing. Entries are Cisco's
// `<IMAGE VERSION=".." SYNC=".."/>`, spelt as Cisco documents them (upper
// case); anything else in the file is ignored, a <SYNCINFO> wrapper too.
// ok is false for (d); step tells which rule applied ("a", "b" or "d").
func SyncFor(data []byte, image string) (sync string, ok bool, err error) {
	v, step, err := syncStep(data, image)
	return v, step != "d", err
}

func syncStep(data []byte, image string) (sync, step string, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var star string
	var haveStar bool
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if haveStar {
				return star, "b", nil
			}
			return "", "d", nil
		}
		if err != nil {
			return "", "d", fmt.Errorf("%s: %w", SyncInfoFile, err)
		}
		el, isStart := tok.(xml.StartElement)
		if !isStart || el.Name.Local != "IMAGE" {
			continue
		}
		var version, value string
		var haveSync bool
		for _, at := range el.Attr {
			switch at.Name.Local {
			case "VERSION":
				version = at.Value
			case "SYNC":
				value, haveSync = at.Value, true
			}
		}
		switch {
		case !haveSync:
		case version == image && image != "":
			return value, "a", nil
		case version == "*" && !haveStar:
			star, haveStar = value, true
		}
	}
}

// Booted is a phone that booted and runs: its load and the sync value of
// its configuration. CheckSync changes it; it is not safe for concurrent
// use (Listener calls it from one goroutine).
type Booted struct {
	Client   *Client
	Phone    Phone // Running: the load it runs now
	Sync     string
	SyncFrom string
	DialPlan string
}

// NewBooted returns the phone as it runs after the boot res, which must be
// OK: on the load res chose, with res's sync value.
func NewBooted(c *Client, p Phone, res Result) *Booted {
	p.Running = res.Image
	p.Flash = res.Flash
	return &Booted{Client: c, Phone: p, Sync: res.Sync, SyncFrom: res.SyncFrom, DialPlan: res.DialPlan}
}

// CheckSync is what the phone did on one check-sync.
type CheckSync struct {
	Fetches  []Fetch // syncinfo.xml and the dial plan
	Image    string  // the load whose entry counted
	Old      string  // the sync value it ran
	OldFrom  string  // the file that set Old
	SyncInfo string  // SYNC from syncinfo.xml; empty when it gives none
	Reboot   bool
	Reason   string  // why it did not reboot
	Boot     *Result // the reboot (CheckSync only); nil without one
}

func (c CheckSync) String() string {
	if c.SyncInfo == "" && !c.Reboot {
		return fmt.Sprintf("running sync %s (from %s): no reboot: %s", c.Old, c.OldFrom, c.Reason)
	}
	verb := "no reboot"
	if c.Reboot {
		verb = "reboot"
	}
	return fmt.Sprintf("%s SYNC %s, running sync %s (from %s): %s", SyncInfoFile, c.SyncInfo, c.Old, c.OldFrom, verb)
}

// CheckSync does what the phone does on check-sync: Check, then Reboot
// when the sync values differ. progress, if not nil, sees each TFTP
// request, the reboot's too.
func (b *Booted) CheckSync(progress func(Fetch)) CheckSync {
	cs := b.Check(progress)
	if cs.Reboot {
		res := b.Reboot(progress)
		cs.Boot = &res
	}
	return cs
}

// Check fetches syncinfo.xml and the dial plan and decides whether the
// phone reboots: when syncinfo.xml's SYNC for its load differs from the
// sync value it runs.
func (b *Booted) Check(progress func(Fetch)) CheckSync {
	cs := CheckSync{Image: b.Phone.Running, Old: b.Sync, OldFrom: b.SyncFrom}
	get := func(name string, optional bool) ([]byte, error) {
		data, err := b.Client.Get(name)
		f := Fetch{Name: name, Size: len(data), Err: err, Optional: optional}
		cs.Fetches = append(cs.Fetches, f)
		if progress != nil {
			progress(f)
		}
		return data, err
	}
	data, err := get(SyncInfoFile, false)
	if b.DialPlan != "" {
		get(b.DialPlan, true)
	}
	if err != nil {
		cs.Reason = fmt.Sprintf("no %s: %v", SyncInfoFile, err)
		return cs
	}
	value, step, err := syncStep(data, cs.Image)
	switch {
	case err != nil:
		cs.Reason = err.Error()
		return cs
	case step == "d":
		cs.Reason = fmt.Sprintf(`%s has no IMAGE entry with a SYNC for %s nor for VERSION="*" (Cisco's step 2d: nothing to do)`, SyncInfoFile, cs.Image)
		return cs
	}
	cs.SyncInfo = value
	if value == b.Sync {
		cs.Reason = "the sync values match"
		return cs
	}
	cs.Reboot = true
	return cs
}

// Reboot boots the phone again on the load it runs, fetching its files as
// at boot. When that boot is OK, b runs the new configuration.
func (b *Booted) Reboot(progress func(Fetch)) Result {
	res := Boot(b.Client, b.Phone, progress)
	if res.Flash != nil {
		b.Phone.Flash = res.Flash // flash keeps what the boot read, booted or not
	}
	if res.OK() {
		b.Phone.Running = res.Image
		b.Sync, b.SyncFrom, b.DialPlan = res.Sync, res.SyncFrom, res.DialPlan
	}
	return res
}

// Notify is one SIP NOTIFY the phone received.
type Notify struct {
	From      string // source address:port
	Event     string // the Event header's event type, without parameters
	CheckSync bool   // Event is check-sync: the phone acts on it
	Status    int    // the answer: 200
}

func (n Notify) String() string {
	s := fmt.Sprintf("NOTIFY from %s, Event: %s: answers %d", n.From, n.Event, n.Status)
	if !n.CheckSync {
		s += ", ignored"
	}
	return s
}

// eventOf returns the event type of a request's Event header ("o" in
// compact form), lower case, parameters removed.
func eventOf(req *sip.Request) string {
	h := req.GetHeader("Event")
	if h == nil {
		h = req.GetHeader("o")
	}
	if h == nil {
		return ""
	}
	ev, _, _ := strings.Cut(h.Value(), ";")
	return strings.ToLower(strings.TrimSpace(ev))
}

// Listener is the phone's SIP side for NOTIFY, as a sipgo server.
type Listener struct {
	Phone *Booted
	// Idle is how long the phone waits before acting on check-sync (a
	// real phone: until it has been idle for 20 s). Default 0.
	Idle time.Duration
	// OnNotify, if not nil, sees each NOTIFY just before it is answered.
	OnNotify func(Notify)
	// OnCheckSync, if not nil, sees what the phone decided on each
	// check-sync, before it reboots.
	OnCheckSync func(CheckSync)
	// OnReboot, if not nil, sees each reboot's outcome.
	OnReboot func(Result)
	// Progress, if not nil, sees each TFTP request check-sync and the
	// reboot make, in order.
	Progress func(Fetch)
	// Logger is the SIP library's log (default: discarded).
	Logger *slog.Logger
}

// Serve answers SIP on conn (the phone's address, port sip_control_port)
// until ctx ends, then closes conn. NOTIFY gets 200 OK, other methods 405.
// The phone acts on each check-sync in turn, after answering it; Serve
// returns once the one in progress, if any, is done.
func (l *Listener) Serve(ctx context.Context, conn net.PacketConn) error {
	log := l.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ua, err := sipgo.NewUA(
		sipgo.WithUserAgent("Cisco-CP"+l.Phone.Phone.Model+"G/emulated"),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(log)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(log)),
	)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SIP: %w", err)
	}
	srv, err := sipgo.NewServer(ua, sipgo.WithServerLogger(log))
	if err != nil {
		ua.Close()
		conn.Close()
		return fmt.Errorf("SIP: %w", err)
	}

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	queue := make(chan struct{}, 64)
	var mu sync.Mutex // one OnNotify at a time
	srv.OnNotify(func(req *sip.Request, tx sip.ServerTransaction) {
		n := Notify{From: req.Source(), Event: eventOf(req), Status: 200}
		n.CheckSync = n.Event == "check-sync"
		if l.OnNotify != nil {
			mu.Lock()
			l.OnNotify(n)
			mu.Unlock()
		}
		if err := tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil)); err != nil {
			log.Error("answering NOTIFY", "error", err)
		}
		if n.CheckSync {
			select {
			case queue <- struct{}{}:
			default: // 64 pending: they come to the same
			}
		}
	})

	work := make(chan struct{})
	go func() {
		defer close(work)
		for {
			select {
			case <-ctx.Done():
				return
			case <-queue:
			}
			if l.Idle > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(l.Idle):
				}
			}
			cs := l.Phone.Check(l.Progress)
			if l.OnCheckSync != nil {
				l.OnCheckSync(cs)
			}
			if cs.Reboot {
				res := l.Phone.Reboot(l.Progress)
				if l.OnReboot != nil {
					l.OnReboot(res)
				}
			}
		}
	}()

	served := make(chan error, 1)
	go func() { served <- srv.ServeUDP(conn) }()
	select {
	case <-ctx.Done():
		err = nil
	case err = <-served:
		if err != nil {
			err = fmt.Errorf("SIP on %s: %w", conn.LocalAddr(), err)
		}
	}
	stop() // the worker too, when serving stopped on its own
	conn.Close()
	ua.Close()
	<-work
	return err
}
