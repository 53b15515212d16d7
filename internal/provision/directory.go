package provision

import (
	"fmt"

	"github.com/setup-cisco/setup-cisco/internal/directory"
)

// writeDirectory writes the company directory into directory_web_root
// (package directory) when it is set; its changes are reported as
// "<kind> <path>". It runs before the TFTP root changes, so the phones are
// never told about pages that are not there, and a failure changes nothing.
func writeDirectory(in *inputs, rep *Report) error {
	site := in.site
	if site.DirectoryRoot == "" {
		return nil
	}
	entries, skipped := directory.Entries(in.dial.Users)
	for _, s := range skipped {
		rep.Notes = append(rep.Notes, "directory: "+s+"; left out")
	}
	files := directory.Pages(entries, site.DirectoryBase)
	changes, err := directory.Write(site.DirectoryRoot, files, in.dry)
	for _, c := range changes {
		rep.Directory = append(rep.Directory, DirectoryChange{Kind: c.Kind, Path: site.DirectoryRoot + "/" + c.Name})
	}
	if err != nil {
		return fmt.Errorf("company directory: %w", err)
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("directory: %d entries in %d file(s) at %s", len(entries), len(files), site.DirectoryURL))
	return nil
}

// DirectoryChange is one company directory file a run added, changed or
// removed (Kind), or would with DryRun.
type DirectoryChange struct{ Kind, Path string }
