package tftpwatch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// pollEvery is how often Follow looks for new lines at the end of the file.
const pollEvery = 300 * time.Millisecond

// Follow calls fn for each complete line of path: from the start or only
// new lines, until ctx ends, or until the end of the file when once is
// set. It reopens the file when logrotate replaces or truncates it.
func Follow(ctx context.Context, path string, fromStart, once bool, fn func(string)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("log: %w", err)
	}
	defer func() { f.Close() }()
	if !fromStart {
		if _, err := f.Seek(0, io.SeekEnd); err != nil {
			return fmt.Errorf("log %s: %w", path, err)
		}
	}
	r := bufio.NewReader(f)
	var partial []byte
	for {
		chunk, err := r.ReadBytes('\n')
		partial = append(partial, chunk...)
		if err == nil {
			fn(string(partial))
			partial = partial[:0]
			continue
		}
		if !errors.Is(err, io.EOF) {
			return fmt.Errorf("log %s: %w", path, err)
		}
		if once {
			if len(partial) > 0 {
				fn(string(partial))
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pollEvery):
		}
		if nf, ok := rotated(f, path); ok {
			f.Close()
			f, r, partial = nf, bufio.NewReader(nf), partial[:0]
		}
	}
}

// rotated opens path again when it is no longer the open file, or when
// the open file was truncated below the read position.
func rotated(f *os.File, path string) (*os.File, bool) {
	cur, err1 := f.Stat()
	now, err2 := os.Stat(path)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	pos, err := f.Seek(0, io.SeekCurrent)
	if os.SameFile(cur, now) && (err != nil || now.Size() >= pos) {
		return nil, false
	}
	nf, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	return nf, true
}
