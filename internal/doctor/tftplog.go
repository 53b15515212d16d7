package doctor

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/inventory"
	"github.com/setup-cisco/setup-cisco/internal/macaddr"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
	"github.com/setup-cisco/setup-cisco/internal/tftpwatch"
)

// CheckTFTPLog reads the TFTP daemon's log and reports files phones asked
// for that are still missing from root now; files that have appeared
// since, and files phones do without, are not reported.
func CheckTFTPLog(path, root string, inv inventory.Inventory) []Finding {
	f, err := os.Open(path)
	if err != nil {
		return []Finding{unchecked(path, "give the daemon's log with --tftp-log (atftpd --logfile)", "%v", err)}
	}
	defer f.Close()
	known := map[macaddr.MAC]inventory.Phone{}
	for _, p := range inv.Phones {
		known[p.MAC] = p
	}
	bad := map[macaddr.MAC]string{} // inventory phones whose rows are bad
	for _, pr := range inv.Problems {
		if m, err := macaddr.Parse(pr.MAC); err == nil && bad[m] == "" {
			bad[m] = pr.Error()
		}
	}
	p := tftpwatch.NewParser()
	p.Root = root
	macs := map[string]macaddr.MAC{} // client address -> MAC seen in its requests
	seen := map[string]bool{}
	var cases tftpwatch.CaseIndex
	var fs []Finding
	// requests whose answer the log has not shown yet, by client and file:
	// atftpd at Debian's default --verbose=5 logs "Serving F" but not
	// "File F not found" (LOG_INFO), tftpd-hpa -v its RRQ but not the NAK
	// (-vv); what such a request asked for and is not in the root now was
	// missing for the phone as surely as a logged miss.
	type refusal struct {
		tftpwatch.Event
		rootLine string // the daemon's start line then (dnsmasq: "secure mode")
	}
	refused := map[string]refusal{} // file -> its last refusal, until it is sent
	var refusedOrder []string
	asked := map[string]tftpwatch.Event{}
	var askedOrder []string
	judge := func(e tftpwatch.Event, unanswered string) {
		base := filepath.Base(e.File)
		if optionalFile(base) {
			return
		}
		if dr := p.DaemonRoot; dr != "" && !sameDir(dr, root) {
			// The daemon looked the file up in another directory: a run
			// of setup-cisco changes nothing, the root does.
			if !seen["root\x00"+dr] {
				seen["root\x00"+dr] = true
				fs = append(fs, problem(p.Daemon, otherRootFix(p.Daemon, dr, root),
					"the log shows the daemon serving %s (%s), but setup-cisco writes to %s: phones asked for %s there (%s), which was not found",
					syncdir.Shown(dr), syncdir.Shown(p.DaemonRootLine), root, syncdir.Shown(e.File), e.Time))
			}
			return
		}
		if _, err := os.Lstat(filepath.Join(root, filepath.Clean("/"+e.File))); !errors.Is(err, os.ErrNotExist) {
			return // there now, or a permission problem CheckAccess names
		}
		who := "phone at " + e.Client.String()
		m, ok := macs[e.Client.String()]
		if !e.Client.IsValid() {
			// dnsmasq before 2.86 names no client on a miss: only a
			// per-phone file tells which phone asked.
			who = "a phone (the log names no client)"
			m, ok = tftpwatch.MACOf(e.File)
		}
		if ok {
			who = "phone " + string(m)
			if ph, ok := known[m]; ok {
				who = describe(ph)
			}
		}
		key := who + "\x00" + e.File
		if seen[key] {
			return
		}
		seen[key] = true
		if name := syncdir.Shown(e.File); name != e.File {
			// The requesting host chose the name: no phone asks for one
			// with a control character, and no file of setup-cisco's
			// has one; there is nothing to put in the root.
			fs = append(fs, note(who, "asked for %s (%s): no phone's file has such a name (it holds control characters); whatever sent it is not a phone booting", name, e.Time))
			return
		}
		if twin, ok := cases.Twin(root, e.File); ok {
			// Never "put sipdefault.cnf": a hand copy setup-cisco would
			// never update again (stale image_version and lines).
			fix := "make the TFTP daemon look up the name the phone asks for (dnsmasq: remove tftp-lowercase); do not copy " + twin
			fs = append(fs, problem(who, fix, "asked for %s (%s), which is still missing: %s", e.File, e.Time, tftpwatch.CaseAdvice(e.File, twin)))
			return
		}
		fix := "put " + e.File + " in " + root
		m, isPer := tftpwatch.MACOf(base)
		if why := bad[m]; isPer && why != "" {
			fix = "fix its inventory entry (" + why + "; setup-cisco phone list shows it); " + FixWrite
		} else if _, inInv := known[m]; isPer && strings.HasPrefix(base, "SIP") && !inInv {
			fix = fmt.Sprintf("setup-cisco phone add %s EXT --model MODEL; %s", m, FixWrite)
		} else if isPer && strings.HasPrefix(base, "SIP") {
			fix = FixWrite
		}
		fs = append(fs, problem(who, fix, "asked for %s (%s), which is still missing%s", e.File, e.Time, unanswered))
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		e, ok := p.Line(sc.Text())
		for _, d := range p.Pending() {
			delete(asked, d.Client.String()+"\x00"+d.File)
		}
		if !ok {
			continue
		}
		if m, ok := tftpwatch.MACOf(e.File); ok && e.Client.IsValid() {
			macs[e.Client.String()] = m
		}
		k := e.Client.String() + "\x00" + e.File
		if e.Kind == tftpwatch.Requested {
			if _, ok := asked[k]; !ok {
				askedOrder = append(askedOrder, k)
			}
			asked[k] = e
			continue
		}
		delete(asked, k)
		switch {
		case e.Kind == tftpwatch.NotFound:
			judge(e, "")
		case e.Kind == tftpwatch.Sent:
			delete(refused, e.File)
		case e.Kind == tftpwatch.Refused && e.File != "" && !strings.HasPrefix(e.Detail, "the transfer failed") && !optionalFile(filepath.Base(e.File)):
			// The daemon would not serve a file it has (dnsmasq
			// tftp-secure: "cannot access PATH: Permission denied";
			// tftpd-hpa's NAKs other than File not found).
			if _, ok := refused[e.File]; !ok {
				refusedOrder = append(refusedOrder, e.File)
			}
			refused[e.File] = refusal{e, p.DaemonRootLine}
		}
	}
	for _, f := range refusedOrder {
		r, ok := refused[f]
		if !ok {
			continue // served since
		}
		if name := syncdir.Shown(f); name != f {
			fs = append(fs, note("TFTP server", "refused %s (%s): %s; no phone's file has such a name (it holds control characters)", name, r.Time, syncdir.Shown(r.Detail)))
			continue
		}
		fix := "make " + f + " readable by the TFTP daemon's user; setup-cisco doctor (without --tftp-log) checks the root's permissions"
		if strings.Contains(r.rootLine, "secure mode") && strings.Contains(r.Detail, "Permission denied") {
			fix = "remove tftp-secure from dnsmasq's configuration (it serves only files its own user owns, and setup-cisco's are root's); restart dnsmasq"
		}
		fs = append(fs, problem("TFTP server", fix, "refused %s to the phones (%s): %s", f, r.Time, syncdir.Shown(r.Detail)))
	}
	for _, k := range askedOrder {
		if e, ok := asked[k]; ok {
			judge(e, "; the log shows the request but not its answer ("+quietLog(e)+")")
		}
	}
	if err := sc.Err(); err != nil {
		fs = append(fs, unchecked(path, "", "reading: %v", err))
	}
	if p.Lines > 0 && p.Known == 0 {
		fs = append(fs, unchecked(path, "give the log of the TFTP daemon serving "+root+" with --tftp-log",
			"no line is in a format doctor reads: %s", tftpwatch.Formats))
	}
	return fs
}

// otherRootFix is the fix for a daemon (Parser.Daemon) that serves dr
// while setup-cisco writes root.
func otherRootFix(daemon, dr, root string) string {
	dr = syncdir.Shown(dr)
	switch {
	case daemon == "dnsmasq" && filepath.Clean(dr) == "/":
		return "add tftp-root=" + root + " to dnsmasq's configuration (without it dnsmasq looks names up from /); restart dnsmasq"
	case daemon == "dnsmasq":
		return "set tftp_root = " + dr + " in the config file, or tftp-root=" + root + " in dnsmasq's configuration"
	}
	return "set tftp_root = " + dr + " in the config file, or make atftpd serve " + root + " (the directory operand of OPTIONS in /etc/default/atftpd); restart atftpd"
}

// quietLog says how to make the daemon that logged e log its misses.
func quietLog(e tftpwatch.Event) string {
	if e.Asked {
		return "tftpd-hpa logs its \"File not found\" NAKs with -v -v in TFTP_OPTIONS, /etc/default/tftpd-hpa"
	}
	return "atftpd logs misses from --verbose=6, OPTIONS in /etc/default/atftpd"
}

// optionalFile: files phones carry on without, and firmware files: a phone
// asks for its running load's .loads and keeps its flash image when it is
// missing; the configured loads are CheckImages' business.
func optionalFile(base string) bool {
	if _, err := firmware.Parse(base); err == nil {
		return true
	}
	return base == "RINGLIST.DAT" || base == "OS79XX.TXT" || strings.HasPrefix(base, "CTLSEP") ||
		strings.HasSuffix(base, ".cnf.xml") || strings.HasPrefix(base, "MGC") ||
		strings.HasSuffix(strings.ToLower(base), ".xml")
}
