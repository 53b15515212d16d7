package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/hook"
)

func TestCheckHook(t *testing.T) {
	p := hook.DefaultPaths(t.TempDir())
	now := time.Now()
	if got := CheckHook(p, now); len(got) != 0 {
		t.Fatalf("no hook: %v", got)
	}
	if err := hook.WriteStatus(p.Status, hook.Status{Time: now, Exit: 0}); err != nil {
		t.Fatal(err)
	}
	if got := CheckHook(p, now); len(got) != 0 {
		t.Fatalf("good run: %v", got)
	}
	hook.WriteStatus(p.Status, hook.Status{Time: now, Exit: 2, Message: "database unreachable"})
	got := CheckHook(p, now)
	if len(got) != 1 || got[0].Severity != Problem || !strings.Contains(got[0].String(), "failed (exit 2): database unreachable") {
		t.Fatalf("failed run: %v", got)
	}
	hook.WriteStatus(p.Status, hook.Status{Time: now, Exit: 0})
	os.MkdirAll(p.Spool, 0o755)
	os.WriteFile(p.Trigger(), nil, 0o660)
	if got := CheckHook(p, now); len(got) != 0 {
		t.Fatalf("fresh trigger: %v", got)
	}
	if got := CheckHook(p, now.Add(10*time.Minute)); len(got) != 1 || !strings.Contains(got[0].String(), "nothing picked the trigger up") {
		t.Fatalf("stuck trigger: %v", got)
	}
	os.WriteFile(p.Status, []byte("{not json"), 0o644)
	if got := CheckHook(p, now); len(got) != 1 || got[0].Severity != Unchecked || !strings.Contains(got[0].Subject, filepath.Base(p.Status)) {
		t.Fatalf("unreadable status: %v", got)
	}
}
