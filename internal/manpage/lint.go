package manpage

import (
	"bytes"
	"fmt"
	"os/exec"
)

// Lint formats page with groff, every warning on, and returns what groff
// said; an empty string means the page is clean. A missing groff is an
// error wrapping exec.ErrNotFound (Debian: apt-get install groff-base).
func Lint(page []byte) (string, error) {
	groff, err := exec.LookPath("groff")
	if err != nil {
		return "", fmt.Errorf("groff: %w", err)
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = bytes.NewReader(page)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("groff -man -Tutf8 -ww: %w", err)
	}
	return string(out), nil
}
