package dhcpsetup

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// Backup is where Install keeps the previous version of Path.
func (p *Plan) Backup() string {
	return BackupPath(p.Path, dhcpconf.BackupName(p.Format, p.Path))
}

// BackupPath is where the previous version of path is kept under name: in
// path's directory, or, where path is a symlink (an /etc/dhcp/dhcpd.conf
// that points into a config-management checkout), in the directory of the
// file it points to, which is the file dhcpconf.Install replaces.
func BackupPath(path, name string) string {
	dir := filepath.Dir(path)
	if real, err := filepath.EvalSymlinks(path); err == nil {
		dir = filepath.Dir(real)
	}
	return filepath.Join(dir, name)
}

// IncludedBackup is where Install keeps the previous version of an
// included file it changes (FILE.bak).
func IncludedBackup(path string) string {
	return BackupPath(path, filepath.Base(path)+".bak")
}

// PartialError is a failed install that left a file changed (Written).
type PartialError struct {
	Written string
	Err     error
}

func (e *PartialError) Error() string { return e.Err.Error() + "; " + e.Written + " was changed" }
func (e *PartialError) Unwrap() error { return e.Err }

// Install applies the plan: the server's own parser checks the result
// first (a missing parser is reported to unchecked, not fatal); a
// rejection is a *dhcpconf.RejectedError and changes nothing. Each file is
// replaced atomically with its previous version kept as FILE.bak. When
// included files change too, they are replaced first and put back if the
// main file cannot be.
func (p *Plan) Install(ctx context.Context, unchecked func(error)) error {
	check := func(do func() error) error {
		err := do()
		if errors.Is(err, dhcpconf.ErrNoTool) {
			unchecked(err)
			return nil
		}
		return err
	}
	if err := check(func() error { return p.DnsmasqMainCheck(ctx) }); err != nil {
		return err
	}
	if len(p.Included) == 0 {
		backup := filepath.Base(p.Backup())
		if p.KeepBackup {
			backup = ""
		}
		return dhcpconf.InstallKeeping(p.Path, p.New, func(candidate string) error {
			return check(func() error {
				return dhcpconf.ExplainRejection(ctx, p.Format, dhcpconf.Check(ctx, p.Format, candidate), candidate, p.Path, p.old())
			})
		}, backup)
	}
	if err := check(func() error { return p.Check(ctx) }); err != nil {
		return err
	}
	var done []dhcpconf.FileChange
	undo := func(cause error) error {
		for _, f := range done {
			if err := dhcpconf.PutBack(f.Path, f.Old); err != nil {
				return &PartialError{Written: f.Path, Err: fmt.Errorf("%v; putting back %s failed too: %v (its previous version is %s)", cause, f.Path, err, IncludedBackup(f.Path))}
			}
		}
		return cause
	}
	for _, f := range p.Included {
		if err := dhcpconf.Install(f.Path, f.New, nil); err != nil {
			return undo(err)
		}
		done = append(done, f)
	}
	backup := filepath.Base(p.Backup())
	if p.KeepBackup {
		backup = ""
	}
	if err := dhcpconf.InstallKeeping(p.Path, p.New, nil, backup); err != nil {
		return undo(err)
	}
	return nil
}

// old is the file's text before the run, nil when it did not exist.
func (p *Plan) old() []byte {
	if !p.Exists {
		return nil
	}
	return append([]byte{}, p.Old...)
}
