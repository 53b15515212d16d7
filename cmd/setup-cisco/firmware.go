package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/firmware"
	"github.com/setup-cisco/setup-cisco/internal/provision"
)

func firmwareCommand() *command {
	return &command{
		name:  "firmware",
		usage: "firmware list|import ...",
		about: "see and add the Cisco firmware images in the TFTP root",
		sub: []*command{
			{
				name:  "list",
				usage: "firmware list",
				about: "list the images in the TFTP root by release, naming every missing, misnamed or unreadable file",
				run:   firmwareList,
			},
			{
				name:  "import",
				usage: "firmware import ZIP|TAR|DIR|FILE",
				about: "copy the image files of a Cisco firmware bundle (zip, tar, .tar.gz, .tar.bz2, directory) into the TFTP root, all or nothing, mode 0644; says what it imported",
				run:   firmwareImport,
			},
		},
	}
}

func upgradePathCommand() *command {
	return &command{
		name:  "upgrade-path",
		usage: "upgrade-path FROM [TO]",
		about: "print the steps from the image a phone runs (e.g. P003AM30) to TO (default: the newest complete image in the TFTP root, else " + firmware.DefaultTarget + "); refuses a step below 5.0 for a phone at 5.0 or above",
		run:   upgradePath,
	}
}

// tftpRoot resolves the TFTP root from the flags and the config file.
func (g *globals) tftpRootDir() (string, bool) {
	site, err := provision.Settings(g.provisionOptions())
	if err != nil {
		g.errorf("%v", err)
		return "", false
	}
	return site.TFTPRoot, true
}

func firmwareList(_ context.Context, g *globals, args []string) int {
	if !takesNoArgs(g, "firmware list", args) {
		return exitFatal
	}
	root, ok := g.tftpRootDir()
	if !ok {
		return exitFatal
	}
	cat, err := firmware.Scan(root)
	if err != nil {
		g.errorf("%v", err)
		return exitFatal
	}
	w := g.stdout
	for _, d := range cat.BlockedDirs {
		fmt.Fprintf(w, "problem: directory %s is not world-searchable: the TFTP daemon cannot reach any file (chmod o+x %s)\n", d, d)
	}
	if len(cat.Entries) == 0 {
		fmt.Fprintf(w, "no firmware images in %s (setup-cisco firmware import BUNDLE.zip)\n", root)
		return exitOK
	}
	for _, grp := range cat.Groups() {
		fmt.Fprintf(w, "%s:\n", grp.Family)
		for _, e := range grp.Entries {
			state := "complete"
			if !e.Complete() {
				state = "incomplete"
			}
			fmt.Fprintf(w, "  %-14s %-6s %s %s: %s\n", e.Image.Name, e.Image.Label(), e.Image.Protocol, state, strings.Join(e.Required, " "))
			for _, m := range e.Missing {
				fmt.Fprintf(w, "    missing: %s\n", m)
			}
			for _, r := range e.Misnamed {
				fmt.Fprintf(w, "    misnamed: %s (phones ask for %s; setup-cisco firmware import %s/%s fixes it)\n", r.Have, r.Want, root, r.Have)
			}
			for _, u := range e.Unreadable {
				fmt.Fprintf(w, "    unreadable by the TFTP daemon: %s (chmod 0644; never 777)\n", u)
			}
			for _, z := range e.Empty {
				fmt.Fprintf(w, "    empty (0 bytes, a failed download?): %s (setup-cisco firmware import BUNDLE again)\n", z)
			}
			for _, u := range e.Invalid {
				fmt.Fprintf(w, "    not an image: %s: %s (setup-cisco firmware import BUNDLE again)\n", u.Name, u.Why)
			}
			for _, o := range e.Foreign {
				fmt.Fprintf(w, "    another user's: %s belongs to %s, who can rewrite it at any time (setup-cisco firmware import BUNDLE replaces it)\n", o.Name, userName(o.UID))
			}
		}
	}
	return exitOK
}

func firmwareImport(_ context.Context, g *globals, args []string) int {
	if len(args) != 1 {
		g.errorf("firmware import: want one ZIP, TAR, directory or file")
		return exitFatal
	}
	root, ok := g.tftpRootDir()
	if !ok {
		return exitFatal
	}
	res, err := firmware.ImportFiles(args[0], root)
	// What was passed over is said even when nothing could be imported:
	// a source whose only image is misnamed is exactly when the hint counts.
	for _, r := range res.Misnamed {
		hint := "rename it to its load name as in Cisco's bundle, e.g. P0S3-8-12-00.loads"
		if r.Want != "" {
			hint = "rename it to " + r.Want
		}
		g.errorf("warning: %s in %s is not named as a 7940/7960 load file, so phones would never request it: not imported (%s and import again)", r.Have, args[0], hint)
	}
	if n := len(res.OtherModels); n > 0 {
		g.errorf("warning: %d file(s) in %s are firmware of other Cisco phone models, not for 7940/7960: not imported (-v names them)", n, args[0])
		for _, o := range res.OtherModels {
			g.infof("other model's firmware, not imported: %s", o)
		}
	}
	for _, u := range res.Unusable {
		g.errorf("warning: %s in %s is %s: not imported (download the bundle again)", u.Name, args[0], u.Why)
	}
	for _, u := range res.Unread {
		g.errorf("warning: %s in %s is %s", u.Name, args[0], u.Why)
	}
	if err != nil {
		g.errorf("firmware import %s: %v", args[0], err)
		return exitFatal
	}
	names := res.Written
	for _, n := range res.Replaced {
		g.errorf("warning: %s/%s was a symlink or other non-file (planted? the TFTP root is writable by others): replaced by the image, its target left alone", root, n)
	}
	for _, o := range res.Reowned {
		g.errorf("warning: %s/%s belonged to %s, who could rewrite what phones load at any time (copied in while the root was open to all? a TFTP upload?): replaced by the source's copy, owned by %s", root, o.Name, userName(o.UID), userName(os.Geteuid()))
	}
	for _, n := range names {
		g.infof("imported %s/%s", root, n)
	}
	for _, n := range res.Chmodded {
		g.infof("set mode 0644 on %s/%s (the TFTP daemon could not read it, or others could write it)", root, n)
	}
	var reowned []string
	for _, o := range res.Reowned {
		if !slices.Contains(names, o.Name) && !slices.Contains(res.Chmodded, o.Name) {
			reowned = append(reowned, o.Name) // identical but for its owner
		}
	}
	switch {
	case len(names) == 0 && len(res.Chmodded) == 0 && len(reowned) == 0:
		g.donef("nothing to import: %s already holds these files", root)
	case g.verbose:
	default:
		switch {
		case len(names) > 0:
			g.donef("imported %d file(s) into %s: %s", len(names), root, strings.Join(names, " "))
			if len(res.Chmodded) > 0 {
				g.donef("set mode 0644 on %d file(s) already there: %s", len(res.Chmodded), strings.Join(res.Chmodded, " "))
			}
		case len(res.Chmodded) > 0:
			g.donef("%s already holds these files; set mode 0644 on %d of them: %s", root, len(res.Chmodded), strings.Join(res.Chmodded, " "))
		default:
			g.donef("%s already holds these files", root)
		}
		if len(reowned) > 0 {
			g.donef("replaced %d identical file(s) another user owned: %s", len(reowned), strings.Join(reowned, " "))
		}
	}
	return exitOK
}

func upgradePath(_ context.Context, g *globals, args []string) int {
	if len(args) < 1 || len(args) > 2 {
		g.errorf("upgrade-path: want FROM [TO]")
		return exitFatal
	}
	from, err := firmware.Parse(args[0])
	if err != nil {
		g.errorf("upgrade-path: FROM: %v", err)
		return exitFatal
	}
	// Waypoints and the default target come from the images in the TFTP
	// root when there are any.
	var candidates []firmware.Image
	to, haveTo := firmware.MustParse(firmware.DefaultTarget), false
	if root, ok := g.tftpRootDir(); ok {
		if cat, err := firmware.Scan(root); err == nil {
			candidates = cat.Available()
			if newest, ok := cat.Newest(); ok {
				to, haveTo = newest, true
			}
		}
	}
	if len(args) == 2 {
		if to, err = firmware.Parse(args[1]); err != nil {
			g.errorf("upgrade-path: TO: %v", err)
			return exitFatal
		}
	} else if !haveTo {
		g.infof("no complete image in the TFTP root: planning to %s", to.Name)
	}
	steps, err := firmware.Plan(from, to, candidates...)
	var de *firmware.DowngradeError
	switch {
	case errors.As(err, &de):
		g.errorf("upgrade-path: refused: %v", err)
		return exitFatal
	case err != nil:
		g.errorf("upgrade-path: %v", err)
		return exitFatal
	}
	w := g.stdout
	fmt.Fprintln(w, firmware.PathString(from, steps))
	for i, s := range steps {
		fmt.Fprintf(w, "%d. %s (%s): %s\n", i+1, s.Image.Name, s.Image.Label(), s.Reason)
		fmt.Fprintf(w, "   files: %s\n", strings.Join(s.Files, " "))
		if s.Command != "" {
			fmt.Fprintf(w, "   command: %s\n", s.Command)
		}
		if s.OS79XX != "" {
			fmt.Fprintf(w, "   OS79XX.TXT: %s\n", s.OS79XX)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "   watch: %s\n", n)
		}
	}
	return exitOK
}

// userName is "user NAME (uid N)", or "uid N" for a user this host does
// not know.
func userName(uid int) string {
	id := strconv.Itoa(uid)
	if u, err := user.LookupId(id); err == nil {
		return "user " + u.Username + " (uid " + id + ")"
	}
	return "uid " + id
}
