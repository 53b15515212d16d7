// Package version tells which build is running, for --version: the value
// set at link time (-ldflags "-X .../internal/version.Version=1.2.3", as
// scripts/install does), else the module version or VCS revision Go
// recorded in the binary.
package version

import "runtime/debug"

// Version is set by the linker; empty means "ask the build info".
var Version string

// String returns the version of this build.
func String() string {
	if Version != "" {
		return Version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		return "devel-" + rev + dirty
	}
	return "devel"
}
