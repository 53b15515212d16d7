package cnftext

import "github.com/setup-cisco/setup-cisco/internal/cnffile"

// ParseLine splits one line of a .cnf file into key and value with the
// phone's rules; see cnffile.ParseLine, the one reader of .cnf lines.
func ParseLine(line string) (key, value string, ok bool) { return cnffile.ParseLine(line) }

// FirstLineImage returns the image_version set on the first line of
// SIPDefault.cnf; see cnffile.FirstLineImage.
func FirstLineImage(data []byte) (string, bool) { return cnffile.FirstLineImage(data) }
