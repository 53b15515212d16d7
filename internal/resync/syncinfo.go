package resync

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"github.com/setup-cisco/setup-cisco/internal/cnffile"
	"io"
	"strconv"
)

// SyncInfoFile is the file a phone fetches from the TFTP root on check-sync.
const SyncInfoFile = "syncinfo.xml"

// DefaultGeneration is the phones' own sync value before any file sets one.
const DefaultGeneration = "1"

// SyncInfo renders syncinfo.xml telling phones of every image that the
// current sync value is gen: 1 to 32 letters, digits, '.', '_' or '-'.
// The file is Cisco's documented form, a bare element with no wrapper:
// `<IMAGE VERSION="*" SYNC="gen"/>` (7960G/7940G Admin Guide 8.0 SIP,
// OL-7890-01, p.4-4; FusionPBX and sipXconfig ship the same; fact sheet §7).
func SyncInfo(gen string) ([]byte, error) {
	if err := checkGeneration(gen); err != nil {
		return nil, err
	}
	return []byte("<IMAGE VERSION=\"*\" SYNC=\"" + gen + "\"/>\n"), nil
}

func checkGeneration(gen string) error {
	if gen == "" || len(gen) > 32 {
		return fmt.Errorf("sync value %q: want 1 to 32 characters", gen)
	}
	for _, r := range gen {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("sync value %q: only letters, digits, '.', '_' and '-'", gen)
		}
	}
	return nil
}

// ParseSyncInfo returns the SYNC value for all images (VERSION="*") in a
// syncinfo.xml: Cisco's bare form, or wrapped in <SYNCINFO> as a 2004 blog
// (and setup-cisco before issue 10) wrote it.
func ParseSyncInfo(data []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return "", fmt.Errorf("syncinfo.xml: no <IMAGE VERSION=\"*\" SYNC=...>")
		}
		if err != nil {
			return "", fmt.Errorf("syncinfo.xml: %w", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "IMAGE" {
			continue
		}
		var version, sync string
		for _, at := range el.Attr {
			switch at.Name.Local {
			case "VERSION":
				version = at.Value
			case "SYNC":
				sync = at.Value
			}
		}
		if version == "*" {
			return sync, nil
		}
	}
}

// NextGeneration returns the generation after gen: gen+1 when gen is a
// number, else 2 (a syncinfo.xml written by hand or by another tool); never
// less than 2, so that phones still on their default sync of 1 differ.
func NextGeneration(gen string) string {
	n, err := strconv.ParseUint(gen, 10, 64)
	if err != nil || n < 1 || n == ^uint64(0) {
		return "2"
	}
	return strconv.FormatUint(n+1, 10)
}

// CnfSync returns the "sync:" value of a SIP<MAC>.cnf or SIPDefault.cnf
// (quotes and a trailing "; comment" removed); ok is false when there is
// none.
func CnfSync(data []byte) (value string, ok bool) {
	for _, s := range cnffile.Read(data) {
		if s.Key == "sync" {
			return s.Value, true
		}
	}
	return "", false
}
