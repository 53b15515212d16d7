package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/setup-cisco/setup-cisco/internal/phonecfg"
)

// A directWriter writes what one built-in per-phone template produces,
// without text/template: at 10,000 phones template execution (reflection,
// fmt for every key) was a third of a full run's CPU. Each is tied to the
// exact text it replaces (its SHA-256): a changed built-in template or an
// override is executed by text/template as before, so output never depends
// on which path ran (TestDirectWritersMatchTemplates compares both).
type directWriter struct {
	sum   string // hex SHA-256 of the template text it stands for
	write func(b *bytes.Buffer, c *phonecfg.Config, p *phonecfg.Phone)
}

var directWriters = map[string]directWriter{
	// {{range .PhoneSettings .Phone}}{{.}}\n{{end -}}: each setting's
	// String and a newline.
	"SIPMAC.cnf.tmpl": {
		sum: "b61f4dcca9dec192ef7da38aa09f279e2f1077543e31354af228681597987d85",
		write: func(b *bytes.Buffer, c *phonecfg.Config, p *phonecfg.Phone) {
			sp := settingsPool.Get().(*[]phonecfg.Setting)
			*sp = c.AppendPhoneSettings((*sp)[:0], p)
			for _, s := range *sp {
				s.WriteLine(b) // s.String() without a string per line
			}
			clear(*sp) // let the values go
			settingsPool.Put(sp)
		},
	},
	"SEPMAC.cnf.xml.tmpl": {
		sum: "086bd033995ba02f5b4d84df9e4a44804e3bfe968f27a3974d396018a1fe07ec",
		write: func(b *bytes.Buffer, c *phonecfg.Config, p *phonecfg.Phone) {
			image := p.Image
			if image == "" { // {{or .Phone.Image .Site.ImageVersion}}
				image = c.Site.ImageVersion
			}
			b.WriteString("<device>\n<deviceProtocol>SIP</deviceProtocol>\n<loadInformation model=\"IP Phone ")
			b.WriteString(p.Model)
			b.WriteString("\">")
			b.WriteString(image)
			b.WriteString("</loadInformation>\n</device>\n")
		},
	},
}

// settingsPool holds the slices the SIPMAC writer builds each phone's
// settings in (about 60, 3 KiB a phone otherwise), one per concurrent
// renderer.
var settingsPool = sync.Pool{New: func() any { return new([]phonecfg.Setting) }}

// direct returns the writer standing for template name with text body, or
// nil when there is none for exactly that text.
func direct(name, body string) func(*bytes.Buffer, *phonecfg.Config, *phonecfg.Phone) {
	w, ok := directWriters[name]
	if !ok {
		return nil
	}
	sum := sha256.Sum256([]byte(body))
	if hex.EncodeToString(sum[:]) != w.sum {
		return nil
	}
	return w.write
}
