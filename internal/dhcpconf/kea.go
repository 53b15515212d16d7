package dhcpconf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
)

type keaOptionDef struct {
	Name  string `json:"name"`
	Code  int    `json:"code"`
	Type  string `json:"type"`
	Array bool   `json:"array"`
	Space string `json:"space"`
}

type keaOption struct {
	Name string `json:"name"`
	Data string `json:"data"`
}

type keaReservation struct {
	HWAddress string `json:"hw-address"`
	IPAddress string `json:"ip-address,omitempty"`
	Hostname  string `json:"hostname"`
}

type keaPool struct {
	Pool string `json:"pool"`
}

type keaSubnet struct {
	ID           int              `json:"id"`
	Subnet       string           `json:"subnet"`
	Pools        []keaPool        `json:"pools"`
	OptionData   []keaOption      `json:"option-data,omitempty"`
	Reservations []keaReservation `json:"reservations,omitempty"`
}

type keaLeaseDB struct {
	Type    string `json:"type"`
	Persist bool   `json:"persist"`
	Name    string `json:"name"`
}

type keaDhcp4 struct {
	InterfacesConfig struct {
		Interfaces []string `json:"interfaces"`
	} `json:"interfaces-config"`
	LeaseDatabase    keaLeaseDB     `json:"lease-database"`
	ValidLifetime    int            `json:"valid-lifetime"`
	MaxValidLifetime int            `json:"max-valid-lifetime"`
	OptionDef        []keaOptionDef `json:"option-def"`
	OptionData       []keaOption    `json:"option-data"`
	Subnet4          []keaSubnet    `json:"subnet4"`
}

// GenerateKea renders a kea-dhcp4.conf for one subnet. Kea 2.2 has no
// standard definition for code 150, so it is defined in option-def.
func GenerateKea(n Network, res []Reservation) ([]byte, error) {
	var d keaDhcp4
	d.InterfacesConfig.Interfaces = []string{"*"}
	if n.Interface != "" {
		d.InterfacesConfig.Interfaces = []string{n.Interface}
	}
	d.LeaseDatabase = keaLeaseDB{Type: "memfile", Persist: true, Name: "/var/lib/kea/kea-leases4.csv"}
	d.ValidLifetime = n.DefaultLease
	d.MaxValidLifetime = n.MaxLease
	d.OptionDef = []keaOptionDef{{Name: DefaultOptionName, Code: 150, Type: "ipv4-address", Array: true, Space: "dhcp4"}}
	d.OptionData = []keaOption{
		{Name: DefaultOptionName, Data: joinAddrs(n.TFTPServers(), ", ")},
		{Name: Option66Name, Data: n.TFTPServer.String()},
	}
	s := keaSubnet{
		ID:     1,
		Subnet: n.Subnet.String(),
		Pools:  []keaPool{{Pool: fmt.Sprintf("%s - %s", n.RangeFirst, n.RangeLast)}},
	}
	if n.Router.IsValid() {
		s.OptionData = append(s.OptionData, keaOption{"routers", n.Router.String()})
	}
	if len(n.DNS) > 0 {
		s.OptionData = append(s.OptionData, keaOption{"domain-name-servers", joinAddrs(n.DNS, ", ")})
	}
	if len(n.NTP) > 0 {
		s.OptionData = append(s.OptionData, keaOption{"ntp-servers", joinAddrs(n.NTP, ", ")})
	}
	if n.Domain != "" {
		s.OptionData = append(s.OptionData, keaOption{"domain-name", n.Domain})
	}
	for _, r := range res {
		kr := keaReservation{HWAddress: r.MAC.String(), Hostname: r.HostName()}
		if r.IP.IsValid() {
			kr.IPAddress = r.IP.String()
		}
		s.Reservations = append(s.Reservations, kr)
	}
	d.Subnet4 = []keaSubnet{s}
	b, err := json.MarshalIndent(map[string]any{"Dhcp4": d}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("kea: %w", err)
	}
	// Kea allows comments; this one lets a rerun recognise its own file.
	head := "// kea-dhcp4.conf for Cisco 7940/7960 SIP phones, written by setup-dhcp.\n"
	return append(append([]byte(head), b...), '\n'), nil
}

// KeaJSON turns a Kea configuration file into plain JSON: Kea's own
// parser (src/bin/dhcp4/dhcp4_lexer.ll) also takes comments (#, // to the
// end of the line, /* ... */) and a comma before a closing } or ], and
// Debian's stock kea-dhcp4.conf has both. Comments become spaces and
// newlines are kept, so a json.SyntaxError's offset still points at the
// same line. Strings are left as they are.
func KeaJSON(src []byte) []byte {
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j, len(src)-1)
			out = append(out, src[i:j+1]...)
			i = j
		case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				out = append(out, ' ')
				i++
			}
			if i < len(src) {
				out = append(out, '\n')
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			stop := len(src)
			if end >= 0 {
				stop = i + 2 + end + 2
			}
			for ; i < stop; i++ {
				if src[i] == '\n' {
					out = append(out, '\n')
				} else {
					out = append(out, ' ')
				}
			}
			i--
		case (c == '.' || c == '0') && (len(out) == 0 || !isNumByte(out[len(out)-1])):
			// A number as Kea's lexer takes it but JSON does not: ".5"
			// and leading zeros ("0600"). Blanked to a JSON number of the
			// same length: ".5" reads as 5 (no value here is read but
			// option codes, which are whole), "0600" as 600.
			j := i
			for j+1 < len(src) && src[j] == '0' && src[j+1] >= '0' && src[j+1] <= '9' {
				j++
			}
			if src[j] == '.' && j+1 < len(src) && src[j+1] >= '0' && src[j+1] <= '9' {
				j++
			}
			for ; i < j; i++ {
				out = append(out, ' ')
			}
			out = append(out, src[i])
		case c == '}' || c == ']':
			// A comma before it, with only space between, is dropped.
			k := len(out) - 1
			for k >= 0 && (out[k] == ' ' || out[k] == '\t' || out[k] == '\n' || out[k] == '\r') {
				k--
			}
			if k >= 0 && out[k] == ',' {
				out[k] = ' '
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}

// keaInclude is Kea's file inclusion: <?include "file"?> anywhere in the
// JSON (Kea ARM, "Configuration Files Inclusion").
var keaInclude = regexp.MustCompile(`<\?include\s+"([^"]*)"\s*\?>`)

// KeaIncludes returns src with each <?include "file"?> replaced by that
// file's content, itself expanded (at most 8 deep, as a loop must end).
// Kea opens a relative name from its working directory, which a reader
// here cannot know: it is tried from this process's directory, then
// beside the including file. readFile is how files are read.
func KeaIncludes(path string, src []byte, readFile func(string) ([]byte, error)) ([]byte, error) {
	var expand func(path string, src []byte, depth int) ([]byte, error)
	var include func(path, name string, depth int, firstErr *error) []byte
	expand = func(path string, src []byte, depth int) ([]byte, error) {
		var firstErr error
		// Found where Kea sees them: not inside a comment (KeaJSON
		// blanks comments, keeping every offset).
		var out []byte
		last := 0
		for _, loc := range keaInclude.FindAllSubmatchIndex(KeaJSON(src), -1) {
			out = append(out, src[last:loc[0]]...)
			last = loc[1]
			out = append(out, include(path, string(src[loc[2]:loc[3]]), depth, &firstErr)...)
		}
		out = append(out, src[last:]...)
		return out, firstErr
	}
	include = func(path, name string, depth int, firstErr *error) []byte {
		if *firstErr != nil {
			return nil
		}
		if depth >= 8 {
			*firstErr = fmt.Errorf("%s: includes nested deeper than 8 (a loop?)", path)
			return nil
		}
		try := []string{name}
		if !filepath.IsAbs(name) {
			try = append(try, filepath.Join(filepath.Dir(path), name))
		}
		var b []byte
		var err error
		for _, p := range try {
			if b, err = readFile(p); err == nil {
				if b, err = expand(p, b, depth+1); err == nil {
					return b
				}
				break
			}
		}
		*firstErr = fmt.Errorf("%s: <?include %q?>: %w", path, name, err)
		return nil
	}
	return expand(path, src, 0)
}

// isNumByte: a byte a JSON number may hold after its first one.
func isNumByte(b byte) bool {
	return b >= '0' && b <= '9' || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-'
}
