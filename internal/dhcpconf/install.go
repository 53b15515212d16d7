package dhcpconf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/google/renameio/v2"
)

// Install replaces path with content atomically. The candidate is written
// beside path and handed to check (nil: no check) under its temporary name;
// if check fails, nothing is replaced. The previous file, if any, is kept
// as path.bak. A symlinked path replaces the file the link points to.
func Install(path string, content []byte, check func(candidate string) error) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("install %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	old, err := os.ReadFile(path)
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("install %s: %w", path, err)
	}
	var oldInfo os.FileInfo
	if exists {
		if oldInfo, err = os.Stat(path); err != nil {
			return fmt.Errorf("install %s: %w", path, err)
		}
	}

	// The existing mode wins so that a dhcpd.conf kept 0640 for its
	// TSIG keys does not become world-readable.
	pf, err := renameio.NewPendingFile(path, renameio.WithTempDir(dir),
		renameio.WithPermissions(0o644), renameio.WithExistingPermissions())
	if err != nil {
		return fmt.Errorf("install %s: creating candidate: %w", path, err)
	}
	defer pf.Cleanup()
	if _, err := pf.Write(content); err != nil {
		return fmt.Errorf("install %s: writing candidate: %w", path, err)
	}
	if exists {
		if st, ok := oldInfo.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
			if err := pf.Chown(int(st.Uid), int(st.Gid)); err != nil {
				return fmt.Errorf("install %s: %w", path, err)
			}
		}
	}
	if check != nil {
		if err := check(pf.Name()); err != nil {
			return err
		}
	}
	if exists {
		if err := renameio.WriteFile(path+".bak", old, oldInfo.Mode().Perm(), renameio.WithTempDir(dir)); err != nil {
			return fmt.Errorf("install %s: keeping backup: %w", path, err)
		}
	}
	if err := pf.CloseAtomicallyReplace(); err != nil {
		return fmt.Errorf("install %s: %w", path, err)
	}
	// The rename is durable only once the directory entry is on disk.
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("install %s: %w", path, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("install %s: syncing %s: %w", path, dir, err)
	}
	return nil
}
