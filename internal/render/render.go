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
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"

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
}

// Options change how files are rendered.
type Options struct {
	// Compact says whether the phones loading an image need comment-free,
	// unpadded files (images up to 4.x; see the firmware package).
	Compact func(image string) bool
}

// Load reads the built-in templates and replaces each by the file of the
// same name in overrideDir, when that directory exists. An override with
// an unknown name is an error, so a misspelt file is not silently ignored.
func Load(overrideDir string) (*Set, error) {
	s := &Set{t: map[string]*template.Template{}, sources: map[string]string{}, texts: map[string]string{}}
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
	out := make([]string, 0, len(s.t))
	for n := range s.t {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Source says where template name came from ("built-in" or a path).
func (s *Set) Source(name string) string { return s.sources[name] }

func (s *Set) parse(name, body, source string) error {
	t, err := template.New(name).Option("missingkey=error").Parse(body)
	if err != nil {
		return fmt.Errorf("template %s (%s): %w", name, source, err)
	}
	s.t[name] = t
	s.sources[name] = source
	s.texts[name] = body
	return nil
}

// PhoneData is what the per-phone template sees.
type PhoneData struct {
	*phonecfg.Config
	Phone phonecfg.Phone
}

// Render produces every file. Site-wide templates see the Config; a
// template whose name contains MAC is rendered once per phone with
// PhoneData. Output that is only white space is not written.
func (s *Set) Render(c *phonecfg.Config, o Options) ([]File, error) {
	var out []File
	for _, name := range s.Names() {
		target := strings.TrimSuffix(name, ".tmpl")
		if strings.Contains(target, "MAC") {
			files, err := s.perPhone(name, target, c, c.Phones, o)
			if err != nil {
				return nil, err
			}
			out = append(out, files...)
			continue
		}
		f, err := s.exec(name, target, c, o, c.Site.ImageVersion)
		if err != nil {
			return nil, err
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

// perPhone renders a per-phone template for every phone, on every CPU:
// templates may be executed concurrently, and the order stays the phones'.
func (s *Set) perPhone(name, target string, c *phonecfg.Config, phones []phonecfg.Phone, o Options) ([]File, error) {
	files := make([]*File, len(phones))
	errs := make([]error, len(phones))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(phones); i = int(next.Add(1) - 1) {
				p := phones[i]
				image := p.Image
				if image == "" {
					image = c.Site.ImageVersion
				}
				files[i], errs[i] = s.exec(name, strings.Replace(target, "MAC", string(p.MAC), 1), PhoneData{Config: c, Phone: p}, o, image)
				if errs[i] != nil {
					errs[i] = fmt.Errorf("phone %s: %w", p.MAC, errs[i])
				}
			}
		}()
	}
	wg.Wait()
	out := make([]File, 0, len(files))
	for i, f := range files {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if f != nil {
			out = append(out, *f)
		}
	}
	return out, nil
}

// RenderPhones renders only the per-phone files of phones (which need not
// be all of c.Phones), for a run that changed just those.
func (s *Set) RenderPhones(c *phonecfg.Config, phones []phonecfg.Phone, o Options) ([]File, error) {
	var out []File
	for _, name := range s.Names() {
		if target := strings.TrimSuffix(name, ".tmpl"); strings.Contains(target, "MAC") {
			files, err := s.perPhone(name, target, c, phones, o)
			if err != nil {
				return nil, err
			}
			out = append(out, files...)
		}
	}
	return out, nil
}

func (s *Set) exec(tmpl, target string, data any, o Options, image string) (*File, error) {
	var b bytes.Buffer
	if err := s.t[tmpl].Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s (%s): %w", tmpl, s.sources[tmpl], err)
	}
	if len(bytes.TrimSpace(b.Bytes())) == 0 {
		return nil, nil
	}
	data2 := b.Bytes()
	switch {
	case target == "OS79XX.TXT":
		// Exactly one load name: a trailing space or CR makes the phone ask
		// for a file that does not exist (Cisco bug CSCdv19260).
		data2 = bytes.TrimSpace(data2)
	case strings.HasSuffix(target, ".cnf") && o.Compact != nil && o.Compact(image):
		data2 = Compact(data2)
	}
	return &File{Name: target, Data: data2}, nil
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
