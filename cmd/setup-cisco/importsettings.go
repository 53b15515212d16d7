package main

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/renameio/v2"
	"github.com/spf13/pflag"

	"github.com/setup-cisco/setup-cisco/internal/importsettings"
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
	"github.com/setup-cisco/setup-cisco/internal/syncdir"
)

type importFlags struct{ write bool }

func importSettingsCommand() *command {
	var f importFlags
	return &command{
		name:  "import-settings",
		usage: "import-settings [DIR] [--write]",
		about: "turn a hand-made SIPDefault.cnf and dialplan.xml (in DIR, default the TFTP root; their .before-setup-cisco originals first) into settings-file lines: printed, or added to the settings file with --write",
		flags: func(fs *pflag.FlagSet) {
			fs.BoolVar(&f.write, "write", false, "add the settings to the settings file (--config) instead of printing them; settings the file already has are kept and named")
		},
		run: withFlags(&f, runImport),
	}
}

// original returns DIR/NAME's hand-made version: the copy the first run
// kept, else the file itself.
func original(dir, name string) (string, []byte, error) {
	for _, p := range []string{filepath.Join(dir, name+syncdir.KeptSuffix), filepath.Join(dir, name)} {
		data, err := os.ReadFile(p)
		if err == nil {
			return p, data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return p, nil, err
		}
	}
	return "", nil, nil
}

func runImport(_ context.Context, g *globals, f *importFlags, args []string) int {
	if len(args) > 1 {
		g.errorf("import-settings: want at most one DIR")
		return exitFatal
	}
	dir := ""
	if len(args) == 1 {
		dir = args[0]
	} else {
		root, ok := g.tftpRootDir()
		if !ok {
			return exitFatal
		}
		dir = root
	}
	var settings []importsettings.Setting
	var skipped []importsettings.Skipped
	var sources []string
	cnfPath, cnf, err := original(dir, "SIPDefault.cnf")
	if err != nil {
		g.errorf("import-settings: %v", err)
		return exitFatal
	}
	if cnf != nil {
		s, sk := importsettings.FromCnf(filepath.Base(cnfPath), cnf)
		settings, skipped = append(settings, s...), append(skipped, sk...)
		sources = append(sources, cnfPath)
	}
	dpPath, dp, err := original(dir, "dialplan.xml")
	if err != nil {
		g.errorf("import-settings: %v", err)
		return exitFatal
	}
	if dp != nil {
		s, sk, err := importsettings.DialRules(filepath.Base(dpPath), dp)
		skipped = append(skipped, sk...)
		if err != nil {
			skipped = append(skipped, importsettings.Skipped{From: dpPath, Why: err.Error()})
		} else {
			settings = append(settings, s)
		}
		sources = append(sources, dpPath)
	}
	if len(sources) == 0 {
		g.errorf("import-settings: no SIPDefault.cnf or dialplan.xml in %s", dir)
		return exitFatal
	}
	settings, bad := importsettings.Check(settings)
	skipped = append(skipped, bad...)
	settings, self := importsettings.DropSelfProxies(settings, ownAddresses())
	skipped = append(skipped, self...)
	for _, s := range skipped {
		g.errorf("not imported: %s: %s", s.From, s.Why)
	}
	header := "Imported by setup-cisco import-settings from " + strings.Join(sources, " and ")
	if !f.write {
		g.stdout.Write(importsettings.Format(header, settings))
		return exitOK
	}
	return writeImported(g, header, settings)
}

// ownAddresses lists this host's IP addresses (none when they cannot be
// read: then only proxy_address counts as this PBX).
func ownAddresses() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			out = append(out, n.IP.String())
		}
	}
	return out
}

// writeImported adds the settings the settings file does not have yet,
// atomically; the file's own settings win and are named when they differ.
func writeImported(g *globals, header string, settings []importsettings.Setting) int {
	path := g.config
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		g.errorf("import-settings: %v", err)
		return exitFatal
	}
	have := siteconf.Defaults()
	if err := siteconf.Parse(&have, path, append([]byte("time_zone = GMT\n"), old...)); err != nil && old != nil {
		g.errorf("import-settings: %v (correct it first)", err)
		return exitFatal
	}
	existing := map[string]string{}
	for _, l := range strings.Split(string(old), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok && !strings.HasPrefix(strings.TrimSpace(l), "#") {
			existing[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	var add []importsettings.Setting
	for _, s := range settings {
		if v, set := existing[s.Key]; set {
			if v != s.Value {
				g.errorf("kept %s = %s of %s; %s has %s", s.Key, v, path, s.From, s.Value)
			}
			continue
		}
		add = append(add, s)
	}
	if len(add) == 0 {
		g.infof("%s already has every imported setting", path)
		return exitOK
	}
	text := append([]byte{}, old...)
	if len(text) > 0 && !strings.HasSuffix(string(text), "\n") {
		text = append(text, '\n')
	}
	if len(text) > 0 {
		text = append(text, '\n')
	}
	text = append(text, importsettings.Format(header, add)...)
	check := siteconf.Defaults()
	if err := siteconf.Parse(&check, path, text); err != nil {
		g.errorf("import-settings: the result would not load (%v); %s left as it was", err, path)
		return exitFatal
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		g.errorf("import-settings: %v", err)
		return exitFatal
	}
	if err := renameio.WriteFile(path, text, mode); err != nil {
		g.errorf("import-settings: writing %s: %v", path, err)
		return exitFatal
	}
	g.donef("added %d setting(s) to %s", len(add), path)
	return exitOK
}

// namedChanges says, after the run that replaced hand-made files (kept as
// NAME.before-setup-cisco), each of their settings the new files change:
// said once, on that first run, so that no hand setting goes back to a
// default silently.
func namedChanges(g *globals, root string, kept []string) {
	any, phones := false, false
	sipDefault, _ := os.ReadFile(filepath.Join(root, "SIPDefault.cnf"))
	for _, name := range kept {
		orig, err1 := os.ReadFile(filepath.Join(root, name+syncdir.KeptSuffix))
		now, err2 := os.ReadFile(filepath.Join(root, name))
		if err1 != nil || err2 != nil {
			continue
		}
		var diffs []importsettings.Difference
		switch name {
		case "SIPDefault.cnf":
			diffs = importsettings.CompareCnf(orig, now)
		case "dialplan.xml":
			diffs = importsettings.CompareDialPlan(orig, now)
		default:
			if strings.HasPrefix(name, "SIP") && strings.HasSuffix(name, ".cnf") {
				diffs = importsettings.ComparePhoneCnf(orig, now, sipDefault)
				phones = phones || len(diffs) > 0
			}
		}
		for _, d := range diffs {
			g.errorf("%s%s: %s", name, syncdir.KeptSuffix, d)
			any = any || name == "SIPDefault.cnf" || name == "dialplan.xml"
		}
	}
	if slices.Contains(kept, "SIPDefault.cnf") {
		orig, _ := os.ReadFile(filepath.Join(root, "SIPDefault.cnf"+syncdir.KeptSuffix))
		phones = cfgDirChanges(g, root, orig, sipDefault) || phones
	}
	if any {
		g.errorf("the settings above differ from the hand-made files setup-cisco replaced; to keep them: setup-cisco import-settings --write, then run setup-cisco again")
	}
	if phones {
		g.errorf("a phone's own SIP<MAC>.cnf settings are not imported: set the ones to keep in the settings file (e.g. phone_password = ..., for every phone), then run setup-cisco again")
	}
}

// cfgDirChanges names, when the replaced SIPDefault.cnf (orig) sent the
// phones to their own files in a subdirectory (tftp_cfg_dir "./sip_phone/",
// Cisco's sample), what each phone loses by reading its SIP<MAC>.cnf from
// the root from now on (setup-cisco writes tftp_cfg_dir ""): each hand
// setting of sip_phone/SIP<MAC>.cnf it no longer gets, and a phone with no
// file in the root, which keeps its old lines in flash. It says whether
// any phone setting was named.
func cfgDirChanges(g *globals, root string, orig, sipDefault []byte) bool {
	value, files, err := importsettings.CfgDirPhoneFiles(root, orig)
	if err != nil {
		g.errorf("warning: tftp_cfg_dir %q of SIPDefault.cnf%s: the phones' own files there not compared: %v", value, syncdir.KeptSuffix, err)
	}
	if len(files) == 0 {
		return false
	}
	named := false
	for _, f := range files {
		cnf := "SIP" + f.MAC + ".cnf"
		now, err := os.ReadFile(filepath.Join(root, cnf))
		if err != nil {
			g.errorf("%s: phone %s has no %s in the TFTP root (not in the inventory?): from its next boot it keeps the lines in its flash and goes on registering; add it (setup-cisco phone add) or factory-reset it", f.Path, f.MAC, cnf)
			continue
		}
		for _, d := range importsettings.ComparePhoneCnf(f.Data, now, sipDefault) {
			g.errorf("%s: %s", f.Path, d)
			named = true
		}
	}
	g.errorf("the phones read their own SIP<MAC>.cnf through tftp_cfg_dir %q of the replaced SIPDefault.cnf; setup-cisco writes them in the TFTP root and sets tftp_cfg_dir to \"\", so from their next boot they read those and no longer the files named above", value)
	return named
}
