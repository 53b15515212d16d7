package dhcpconf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ExplainRejection makes a parser's rejection of candidate (the
// temporary file checked in place of path) name the admin's file: the
// parser quotes the temporary name, and the line it gives is the
// changed text's, where a merge may have added lines above. The file as
// it was (old; nil when there was none) is checked too, beside the
// candidate: when the parser rejects it as well, the fault is the
// file's own and its message, naming path and its own lines, is
// returned; otherwise the change is at fault and the message says the
// lines are those of the changed text. Any other error is returned as
// it is.
func ExplainRejection(ctx context.Context, f Format, err error, candidate, path string, old []byte) error {
	var rej *RejectedError
	if !errors.As(err, &rej) {
		return err
	}
	if old != nil {
		if tmp, werr := writeBeside(candidate, path, old); werr == nil {
			defer os.Remove(tmp)
			var was *RejectedError
			if errors.As(Check(ctx, f, tmp), &was) {
				return &RejectedError{Tool: was.Tool, Output: strings.ReplaceAll(was.Output, tmp, path) +
					fmt.Sprintf("\n(%s is rejected as it already is, before setup-dhcp's change: correct it, then rerun)", path)}
			}
		}
	}
	out := strings.ReplaceAll(rej.Output, candidate, path)
	if old != nil {
		out += fmt.Sprintf("\n(the line numbers are those of %s as this run would change it: --dry-run shows the change)", path)
	}
	return &RejectedError{Tool: rej.Tool, Output: out}
}

// writeBeside writes content to a new hidden file in candidate's
// directory (private to this run where others can write path's), so
// relative includes read from there as from the candidate.
func writeBeside(candidate, path string, content []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(candidate), "."+filepath.Base(path)+".orig")
	if err != nil {
		return "", err
	}
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// CheckContentFor is CheckContent for the new text of path (old: its
// text before, nil when it did not exist), a rejection explained as
// ExplainRejection does.
func CheckContentFor(ctx context.Context, f Format, content []byte, path string, old []byte) error {
	dir, err := os.MkdirTemp("", "setup-dhcp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, filepath.Base(path))
	if err := os.WriteFile(file, content, 0o600); err != nil {
		return err
	}
	return ExplainRejection(ctx, f, Check(ctx, f, file), file, path, old)
}
