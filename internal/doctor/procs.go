package doctor

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Proc is a running process as /proc shows it.
type Proc struct {
	PID     int
	Comm    string
	Args    []string
	Exe     string // the program run (/proc/PID/exe), "" when unknown
	UID     int    // effective
	GID     int
	Groups  []int
	NetNS   string    // e.g. "net:[4026531840]"
	Start   time.Time // zero when unknown
	UDPPort []int     // local UDP ports of its sockets, in its own network namespace
	// From, for a TFTP server not running now but started on demand by
	// the process PID (systemd, xinetd, inetd), names the configuration
	// its command line and user were read from; "" for a running process.
	From string
}

// Processes reads every process under proc (normally "/proc"). Processes
// that vanish or cannot be read (not root) are skipped; their sockets then
// stay unknown. The UDP table is read per network namespace through
// /proc/PID/net/udp, so daemons in other namespaces are seen too.
func Processes(proc string) ([]Proc, error) {
	des, err := os.ReadDir(proc)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", proc, err)
	}
	boot := bootTime(proc)
	tables := map[string]map[string]int{} // netns -> socket inode -> port
	var out []Proc
	for _, de := range des {
		pid, err := strconv.Atoi(de.Name())
		if err != nil {
			continue
		}
		dir := filepath.Join(proc, de.Name())
		comm, err := os.ReadFile(filepath.Join(dir, "comm"))
		if err != nil {
			continue
		}
		p := Proc{PID: pid, Comm: strings.TrimSpace(string(comm)), UID: -1, GID: -1}
		if b, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil {
			p.Args = strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		}
		p.Exe, _ = os.Readlink(filepath.Join(dir, "exe"))
		readStatus(filepath.Join(dir, "status"), &p)
		p.Start = startTime(filepath.Join(dir, "stat"), boot)
		p.NetNS, _ = os.Readlink(filepath.Join(dir, "ns", "net"))
		inodes := socketInodes(filepath.Join(dir, "fd"))
		if len(inodes) > 0 {
			t, ok := tables[p.NetNS]
			if !ok {
				t = udpTable(filepath.Join(dir, "net", "udp"))
				tables[p.NetNS] = t
			}
			for _, ino := range inodes {
				if port, ok := t[ino]; ok {
					p.UDPPort = append(p.UDPPort, port)
				}
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func readStatus(path string, p *Proc) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(v)
		switch {
		case k == "Uid" && len(fields) > 1:
			p.UID, _ = strconv.Atoi(fields[1])
		case k == "Gid" && len(fields) > 1:
			p.GID, _ = strconv.Atoi(fields[1])
		case k == "Groups":
			for _, g := range fields {
				if n, err := strconv.Atoi(g); err == nil {
					p.Groups = append(p.Groups, n)
				}
			}
		}
	}
}

// clockTicks is USER_HZ, 100 on every Linux architecture Debian ships.
const clockTicks = 100

func bootTime(proc string) time.Time {
	b, err := os.ReadFile(filepath.Join(proc, "stat"))
	if err != nil {
		return time.Time{}
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "btime "); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				return time.Unix(n, 0)
			}
		}
	}
	return time.Time{}
}

func startTime(path string, boot time.Time) time.Time {
	b, err := os.ReadFile(path)
	if err != nil || boot.IsZero() {
		return time.Time{}
	}
	// Fields after the parenthesised command name; starttime is field 22.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return time.Time{}
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return time.Time{}
	}
	ticks, err := strconv.ParseInt(f[19], 10, 64)
	if err != nil {
		return time.Time{}
	}
	return boot.Add(time.Duration(ticks) * time.Second / clockTicks)
}

func socketInodes(fdDir string) []string {
	des, err := os.ReadDir(fdDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range des {
		l, err := os.Readlink(filepath.Join(fdDir, de.Name()))
		if ino, ok := strings.CutPrefix(l, "socket:["); err == nil && ok {
			out = append(out, strings.TrimSuffix(ino, "]"))
		}
	}
	return out
}

// udpTable maps socket inodes to local ports from a /proc/net/udp file.
func udpTable(path string) map[string]int {
	t := map[string]int{}
	b, err := os.ReadFile(path)
	if err != nil {
		return t
	}
	for _, l := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(l)
		if len(f) < 10 {
			continue
		}
		_, portHex, ok := strings.Cut(f[1], ":")
		port, err := strconv.ParseUint(portHex, 16, 16)
		if !ok || err != nil {
			continue
		}
		t[f[9]] = int(port)
	}
	return t
}

// Listening returns the processes with a UDP socket on port.
func Listening(procs []Proc, port int) []Proc {
	var out []Proc
	for _, p := range procs {
		for _, q := range p.UDPPort {
			if q == port {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// Named returns the processes whose command name is one of names.
func Named(procs []Proc, names ...string) []Proc {
	var out []Proc
	for _, p := range procs {
		for _, n := range names {
			if p.Comm == n {
				out = append(out, p)
				break
			}
		}
	}
	return out
}
