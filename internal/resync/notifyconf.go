package resync

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/setup-cisco/setup-cisco/internal/safefs"
)

// notifyType is how each channel driver learns "cisco-check-cfg". FreePBX
// core defines none; its sip_notify.conf and pjsip_notify.conf include the
// _custom files, which are the admin's (fact sheet §5).
type notifyType struct {
	files  []string // every file that may define it, the custom one first
	entry  string
	reload string // CLI command that rereads the files
}

var notifyTypes = map[string]notifyType{
	"sip": {
		files: []string{"sip_notify_custom.conf", "sip_notify.conf", "sip_notify_additional.conf"},
		// As Asterisk's configs/sip_notify.conf.sample has it.
		entry:  "[cisco-check-cfg]\nEvent=>check-sync\nContent-Length=>0\n",
		reload: "sip reload",
	},
	"pjsip": {
		files: []string{"pjsip_notify_custom.conf", "pjsip_notify.conf", "pjsip_notify_additional.conf"},
		// As Asterisk's configs/samples/pjsip_notify.conf.sample has it.
		entry:  "[cisco-check-cfg]\nEvent=>check-sync\n",
		reload: "module reload res_pjsip_notify.so",
	},
}

// ensureNotifyTypes adds [cisco-check-cfg] for each tech the targets use
// where no notify file defines it, and has Asterisk reread the files.
func (a *asterisk) ensureNotifyTypes(ctx context.Context, dir string, targets []Target) error {
	techs := map[string]bool{}
	for _, t := range targets {
		if l, ok := firstLine(t); ok {
			techs[l.Tech] = true
		}
	}
	for _, tech := range []string{"sip", "pjsip"} {
		nt, ok := notifyTypes[tech]
		if !techs[tech] || !ok {
			continue
		}
		added, err := EnsureNotifyType(dir, tech)
		if err != nil {
			return err
		}
		if added {
			if _, err := a.rx(ctx, nt.reload); err != nil {
				return err
			}
		}
	}
	return nil
}

// EnsureNotifyType makes sure one of the tech's ("sip" or "pjsip") notify
// files in dir defines [cisco-check-cfg], appending it to the _custom file
// otherwise (atomically, keeping the file's mode and owner). added tells
// whether the file changed, so that Asterisk must reread it.
func EnsureNotifyType(dir, tech string) (added bool, err error) {
	nt, ok := notifyTypes[tech]
	if !ok {
		return false, fmt.Errorf("unknown tech %q", tech)
	}
	for _, name := range nt.files {
		has, err := definesSection(filepath.Join(dir, name), "cisco-check-cfg")
		if err != nil {
			return false, err
		}
		if has {
			return false, nil
		}
	}
	path := filepath.Join(dir, nt.files[0])
	// The directory belongs to asterisk on FreePBX, and this runs as root:
	// the file is read, and its mode and owner taken, through one
	// descriptor opened without following a symlink (safefs), so a link
	// left there by the asterisk user cannot make root copy another file.
	d, err := safefs.Open(dir)
	if err != nil {
		return false, err
	}
	defer d.Close()
	var old []byte
	// A new file belongs to whoever owns the directory (asterisk on FreePBX).
	perm := fs.FileMode(0o644)
	fi, err := os.Stat(dir)
	if err != nil {
		return false, err
	}
	f, err := d.OpenFile(nt.files[0])
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return false, fmt.Errorf("%w (not followed: add the [cisco-check-cfg] entry by hand, or replace it with a plain file)", err)
	default:
		fi, err = f.Stat()
		if err == nil {
			perm = fi.Mode().Perm()
			old, err = io.ReadAll(io.LimitReader(f, 16<<20))
		}
		f.Close()
		if err != nil {
			return false, fmt.Errorf("%s: %w", path, err)
		}
	}
	var b bytes.Buffer
	b.Write(old)
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		b.WriteByte('\n')
	}
	b.WriteString("\n; Added by setup-cisco: makes a Cisco 79x0 re-read its configuration.\n")
	b.WriteString(nt.entry)

	// One atomic write for the project: a new file beside the target
	// (never in $TMPDIR, which may be another file system), mode and owner
	// set on its descriptor, renamed over the old one.
	var owner *[2]int
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		owner = &[2]int{int(st.Uid), int(st.Gid)}
	}
	if err := d.WriteFile(nt.files[0], b.Bytes(), perm, safefs.WriteOptions{Owner: owner}); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

// definesSection tells whether an Asterisk config file has [name]
// (templates "[name](...)" included); a missing file does not.
func definesSection(path, name string) (bool, error) {
	d, err := safefs.Open(filepath.Dir(path))
	if err != nil {
		return false, err
	}
	defer d.Close()
	f, err := d.OpenFile(filepath.Base(path)) // never through a link (see EnsureNotifyType)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, safefs.ErrNotRegular) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "["+name+"]") {
			return true, nil
		}
	}
	return false, sc.Err()
}
