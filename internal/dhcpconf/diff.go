package dhcpconf

import "github.com/setup-cisco/setup-cisco/internal/udiff"

// UnifiedDiff is udiff.Unified over byte slices: the change from a to b,
// or "" when they are equal.
func UnifiedDiff(aName, bName string, a, b []byte) string {
	return udiff.Unified(aName, bName, string(a), string(b))
}
