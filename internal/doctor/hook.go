package doctor

import (
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/hook"
)

// stuckAfter is how long a FreePBX reload's trigger may wait: the consumer
// (setup-cisco.path, or cron every minute) takes it within a minute.
const stuckAfter = 5 * time.Minute

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
	if fi, err := os.Lstat(p.Trigger()); err == nil && now.Sub(fi.ModTime()) > stuckAfter {
		out = append(out, problem(p.Trigger(), "systemctl enable --now setup-cisco.path (Debian package), or scripts/install --hook (setup-cisco.path, or the cron line 'setup-cisco hook run')",
			"FreePBX reloaded at %s and nothing picked the trigger up: the phones' files were not rewritten", fi.ModTime().Format(time.DateTime)))
	}
	return out
}
