// Package render turns a phonecfg.Config into file contents with the
// built-in templates or the admin's overrides. It does no I/O besides
// reading override templates.
package render

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/template"

	"github.com/setup-cisco/setup-cisco/internal/cnffile"
	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
	"github.com/setup-cisco/setup-cisco/templates"
)

// aliases are other spellings phones request of the same file: some SCCP
// releases ask for xmlDefault.CNF.XML, and atftpd matches case (fact sheet
// §1: ADIS, DOES-WIKI).
var aliases = map[string][]string{"XMLDefault.cnf.xml": {"xmlDefault.CNF.XML"}}

// File is one file to place in the TFTP root.
type File struct {
	Name string
	Data []byte
}

// Set is the loaded templates, by output name pattern (MAC for the phone).
type Set struct {
	t       map[string]*template.Template
	sources map[string]string // template -> where it came from, for -v
	texts   map[string]string // template -> its text, for Fingerprint
	order   []string          // sorted names, once known
	// direct: per-phone templates written without text/template (direct.go).
	direct map[string]func(*bytes.Buffer, *phonecfg.Config, *phonecfg.Phone)
}

// Load reads the built-in templates and replaces each by the file of the
// same name in overrideDir, when that directory exists. An override with
// an unknown name is an error, so a misspelt file is not silently ignored.
func Load(overrideDir string) (*Set, error) {
	s := &Set{t: map[string]*template.Template{}, sources: map[string]string{}, texts: map[string]string{},
		direct: map[string]func(*bytes.Buffer, *phonecfg.Config, *phonecfg.Phone){}}
	names, err := fs.Glob(templates.FS, "*.tmpl")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		body, err := templates.FS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		if err := s.parse(n, string(body), "built-in"); err != nil {
			return nil, err
		}
	}
	if overrideDir == "" {
		return s, nil
	}
	entries, err := os.ReadDir(overrideDir)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, ok := s.t[e.Name()]; !ok {
			return nil, fmt.Errorf("templates: %s: no built-in template of that name (known: %s)",
				filepath.Join(overrideDir, e.Name()), strings.Join(s.Names(), ", "))
		}
		path := filepath.Join(overrideDir, e.Name())
		body, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if err := s.parse(e.Name(), string(body), path); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Fingerprint identifies the templates in use (names and texts, built-in or
// overrides), so that a run can tell the output would be the same.
func (s *Set) Fingerprint() [32]byte {
	h := sha256.New()
	for _, n := range s.Names() {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", n, len(s.texts[n]), s.texts[n])
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Names lists the template file names.
func (s *Set) Names() []string {
	if s.order != nil {
		return s.order
	}
	out := make([]string, 0, len(s.t))
	for n := range s.t {
		out = append(out, n)
	}
	sort.Strings(out)
	s.order = out
	return out
}

func (s *Set) parse(name, body, source string) error {
	t, err := template.New(name).Option("missingkey=error").Parse(body)
	if err != nil {
		return fmt.Errorf("template %s (%s): %w", name, source, err)
	}
	s.t[name] = t
	s.order = nil
	s.sources[name] = source
	s.texts[name] = body
	if w := direct(name, body); w != nil {
		s.direct[name] = w
	} else {
		delete(s.direct, name)
	}
	return nil
}

// PhoneData is what the per-phone template sees.
type PhoneData struct {
	*phonecfg.Config
	Phone phonecfg.Phone
}

// Render produces every file: RenderShared, then RenderPhone for each of
// c.Phones. Output that is only white space is not written.
func (s *Set) Render(c *phonecfg.Config) ([]File, error) {
	out, err := s.RenderShared(c)
	if err != nil {
		return nil, err
	}
	for _, p := range c.Phones {
		files, err := s.RenderPhone(c, p)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// perPhone says whether template name is rendered once per phone: its
// output name contains MAC.
func perPhone(name string) bool { return strings.Contains(strings.TrimSuffix(name, ".tmpl"), "MAC") }

// SharedNames lists the site-wide files (with their aliases) in the order
// RenderShared produces them; a template whose output is only white space
// produces no file.
func (s *Set) SharedNames() []string {
	var out []string
	for _, name := range s.Names() {
		if perPhone(name) {
			continue
		}
		target := strings.TrimSuffix(name, ".tmpl")
		out = append(out, target)
		out = append(out, aliases[target]...)
	}
	return out
}

// PhoneNames lists the per-phone files of the phone with MAC mac
// (SIP<MAC>.cnf, SEP<MAC>.cnf.xml), in the order RenderPhone produces them.
func (s *Set) PhoneNames(mac string) []string {
	var out []string
	for _, name := range s.Names() {
		if perPhone(name) {
			out = append(out, strings.Replace(strings.TrimSuffix(name, ".tmpl"), "MAC", mac, 1))
		}
	}
	return out
}

// RenderShared renders the site-wide templates, which see the Config. An
// override whose SIPDefault.cnf does not begin with the site's
// image_version, or leaves out a key setup-cisco manages, is an error
// (checkCnf).
func (s *Set) RenderShared(c *phonecfg.Config) ([]File, error) {
	var out []File
	for _, name := range s.Names() {
		if perPhone(name) {
			continue
		}
		target := strings.TrimSuffix(name, ".tmpl")
		f, err := s.exec(name, target, c)
		if err != nil {
			return nil, err
		}
		if f != nil && target == DefaultCnf {
			if err := s.checkCnf(name, f, c.Site.ImageVersion, c.DefaultSettings()); err != nil {
				return nil, err
			}
		}
		if f != nil {
			out = append(out, *f)
			for _, alias := range aliases[target] {
				out = append(out, File{Name: alias, Data: f.Data})
			}
		}
	}
	return out, nil
}

// RenderPhone renders the per-phone templates for phone p (which need not
// be one of c.Phones: the write path renders a phone again with another
// sync value), each with PhoneData. An override whose SIP<MAC>.cnf leaves
// out a key setup-cisco manages is an error (checkCnf).
func (s *Set) RenderPhone(c *phonecfg.Config, p phonecfg.Phone) ([]File, error) {
	var out []File
	err := s.EachPhoneFile(c, p, func(f File) error {
		f.Data = bytes.Clone(f.Data)
		out = append(out, f)
		return nil
	})
	return out, err
}

// EachPhoneFile is RenderPhone handing each file to fn as it is made; the
// data is only valid until fn returns (a buffer reused across phones: a
// caller that writes the file at once need not copy it). An error from fn
// stops it.
func (s *Set) EachPhoneFile(c *phonecfg.Config, p phonecfg.Phone, fn func(File) error) error {
	for _, name := range s.Names() {
		if !perPhone(name) {
			continue
		}
		target := strings.Replace(strings.TrimSuffix(name, ".tmpl"), "MAC", string(p.MAC), 1)
		if w := s.direct[name]; w != nil {
			// Written in a buffer reused across phones: growing a new
			// buffer for each file was an eighth of a full run's
			// allocations.
			b := bufPool.Get().(*bytes.Buffer)
			b.Reset()
			w(b, c, &p)
			f := s.finish(target, b)
			var err error
			if f != nil {
				err = fn(*f)
			}
			bufPool.Put(b)
			if err != nil {
				return err
			}
			continue
		}
		f, err := s.exec(name, target, PhoneData{Config: c, Phone: p})
		if err != nil {
			return fmt.Errorf("phone %s: %w", p.MAC, err)
		}
		if f != nil && target == "SIP"+string(p.MAC)+".cnf" {
			if err := s.checkCnf(name, f, "", c.PhoneSettings(p)); err != nil {
				return fmt.Errorf("phone %s: %w", p.MAC, err)
			}
		}
		if f != nil {
			if err := fn(*f); err != nil {
				return err
			}
		}
	}
	return nil
}

// bufPool holds the buffers the direct writers write in.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ReadsPhoneList says whether a template may depend on the whole phone
// list (.Phones) rather than only on the site and its own phone: then a
// change to any phone can change every file. The built-in templates do not.
func (s *Set) ReadsPhoneList() bool {
	for _, t := range s.texts {
		if strings.Contains(t, "Phones") {
			return true
		}
	}
	return false
}

func (s *Set) exec(tmpl, target string, data any) (*File, error) {
	var b bytes.Buffer
	if err := s.t[tmpl].Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s (%s): %w", tmpl, s.sources[tmpl], err)
	}
	return s.finish(target, &b), nil
}

// finish applies the rules every rendered file follows: only white space
// is no file; OS79XX.TXT trimmed; every .cnf file compact, whatever the
// image: a phone on SIP 3.x/4.x fails on padded files (the how-to), and
// such a phone may read any of them (the site's SIPDefault.cnf on its way
// through the steps, a pin it has not reached yet, a second-hand phone
// plugged in on an old load).
func (s *Set) finish(target string, b *bytes.Buffer) *File {
	if len(bytes.TrimSpace(b.Bytes())) == 0 {
		return nil
	}
	data2 := b.Bytes()
	switch {
	case target == "OS79XX.TXT":
		// Exactly one load name: a trailing space or CR makes the phone ask
		// for a file that does not exist (Cisco bug CSCdv19260).
		data2 = bytes.TrimSpace(data2)
	case strings.HasSuffix(target, ".cnf") && !compact(data2):
		data2 = Compact(data2)
	}
	return &File{Name: target, Data: data2}
}

// compact reports whether Compact(b) is b: no blank or comment line, no
// white space around a line, a final newline. The built-in templates'
// output is, so it is not copied.
func compact(b []byte) bool {
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return false
	}
	start := 0
	for i, c := range b {
		if c != '\n' {
			continue
		}
		line := b[start:i]
		start = i + 1
		if len(line) == 0 || line[0] == '#' || isSpace(line[0]) || isSpace(line[len(line)-1]) {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// DefaultCnf is the site-wide .cnf file.
const DefaultCnf = "SIPDefault.cnf"

// checkCnf checks a rendered .cnf file of an override against the rules
// the built-in templates keep by construction:
//   - with image set (SIPDefault.cnf), its first line is image_version with
//     the site image: phones on old loads read the load name from the first
//     line (the how-to), and every guard of the run (firmware checks,
//     OS79XX.TXT, the XML files) goes by the site image;
//   - it sets every key of want, to a value or its reset value: a phone
//     keeps in flash every value no file sets (fact sheet §7; ADM40-p2-4),
//     so a line or setting left out would live on after it was removed.
//
// The error names the template, where it came from, and what is missing.
func (s *Set) checkCnf(tmpl string, f *File, image string, want []phonecfg.Setting) error {
	if s.sources[tmpl] == "built-in" {
		return nil // written from the key table itself (keys_test.go)
	}
	where := fmt.Sprintf("template %s (%s): %s", tmpl, s.sources[tmpl], f.Name)
	if image != "" {
		first, _, _ := bytes.Cut(f.Data, []byte("\n"))
		if got, ok := cnffile.FirstLineImage(f.Data); !ok || got != image {
			return fmt.Errorf("%s: the first line must be image_version: \"%s\" (the site image; phones on old loads read the load name from the first line), not %q",
				where, image, first)
		}
	}
	have := make(map[string]bool, len(want))
	for _, st := range cnffile.Read(f.Data) {
		have[st.Key] = true
	}
	var missing []string
	for _, st := range want {
		if !have[st.Key] {
			missing = append(missing, st.Key)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s leaves out %s: a phone keeps in flash every value no file sets, so a removed line or setting would live on; write every setting, empty ones too ({{range .PhoneSettings .Phone}}{{.}}\n{{end}} / {{range .DefaultSettings}}{{.}}\n{{end}})",
			where, strings.Join(missing, ", "))
	}
	return nil
}

// Compact drops comment and blank lines and trailing white space: early
// images (up to 4.x) fail on comment-padded config files (the how-to).
func Compact(b []byte) []byte {
	var out bytes.Buffer
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, " \t\r")
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		out.WriteString(t)
		out.WriteByte('\n')
	}
	return out.Bytes()
}
