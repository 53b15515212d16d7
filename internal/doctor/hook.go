package doctor

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/hook"
)

// CheckHook reports what the FreePBX hook recorded: a failed run after a
// reload (FreePBX itself shows nothing, the hook always exits 0) and a
// trigger nobody picks up. Without the hook there is nothing to say.
func CheckHook(p hook.Paths, now time.Time) []Finding {
	var out []Finding
	s, err := hook.ReadStatus(p.Status)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		out = append(out, unchecked(p.Status, "fix or remove it", "FreePBX hook status unreadable: %v", err))
	case !s.OK():
		out = append(out, problem(p.Status, "setup-cisco hook status; setup-cisco -v shows the error",
			"FreePBX hook: the run after the reload at %s failed (exit %d): %s", s.Time.Format(time.DateTime), s.Exit, s.Message))
	}
	if r := hook.Inspect(context.Background(), hook.FreePBX{}, p); r.Stuck(now) {
		// hook status judges the same trigger the same way.
		out = append(out, problem(p.Trigger(), r.StuckFix(),
			"FreePBX reloaded at %s and nothing picked the trigger up: the phones' files were not rewritten", r.Pending.Format(time.DateTime)))
	}
	return out
}
