package firmware

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strings"
)

// MacMetadata reports whether name (a path in a bundle, / separated) is
// macOS metadata rather than a file: an AppleDouble "._NAME" file, which
// macOS writes beside every file it copies to FAT, exFAT or SMB, or
// anything under the __MACOSX/ folder of a zip made on a Mac. They hold
// Finder attributes of a few hundred bytes, never an image.
func MacMetadata(name string) bool {
	name = strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(path.Base(name), "._") {
		return true
	}
	return slices.Contains(strings.Split(name, "/"), "__MACOSX")
}

// reOtherModel matches the file names of other Cisco phone models'
// firmware, lower case: the 7941/7961/7970/7911 family's
// term41.default.loads, SCCP41.*.loads, SIP41.*.loads and their .sbn parts
// apps41, cnu41, cvm41sccp, dsp41, jar41sccp (CME's phone firmware tars);
// the 7905/7912/7902 CP79xx loads; the 7920/7936 cmterm_ files; and
// P0xy loads whose model digit y is not 3 (3 is the 7940/7960, per Cisco's
// naming convention in the CME install guide: P0 + protocol + 3).
var reOtherModel = regexp.MustCompile(`^(term\d{2}\.|(sccp|sip|apps|cnu|cvm|dsp|jar)\d{2}|cp-?\d{4}|cmterm[_-]|p0[0-9a-z][0-24-9])`)

// OtherModel reports whether base, a file name with an image's extension,
// is named as another Cisco phone model's firmware, not a 7940/7960 one.
func OtherModel(base string) bool {
	if !LooksLikeImage(base) {
		return false
	}
	return reOtherModel.MatchString(strings.ToLower(base))
}

// reCopySuffix matches what browsers and file managers add to a second
// copy of a file, before the extension: " (1)" (Chrome, Firefox, Edge),
// " - Copy", " - Copy (2)" (Windows Explorer), " copy", " copy 2" (macOS
// Finder), "(1)" without a space.
var reCopySuffix = regexp.MustCompile(`(?i)(\s*\(\d+\)|\s*-\s*copy(\s*\(\d+\))?|\s+copy(\s+\d+)?)+$`)

// reCopyPrefix is Windows XP's "Copy of NAME" and "Copy (2) of NAME".
var reCopyPrefix = regexp.MustCompile(`(?i)^copy( \(\d+\))? of\s+`)

// SuggestName returns the load file name base seems to be a copy of
// ("P0S3-8-12-00 (1).loads" -> "P0S3-8-12-00.loads"), spelt as phones
// request it, or "" when no load name can be told from it.
func SuggestName(base string) string {
	stem, ext := splitExt(base)
	if ext == "" {
		return ""
	}
	stem = reCopyPrefix.ReplaceAllString(stem, "")
	stem = strings.TrimSpace(reCopySuffix.ReplaceAllString(stem, ""))
	img, err := Parse(stem)
	if err != nil || img.Protocol == MGCP {
		return ""
	}
	return img.Name + ext
}

// partialSuffixes are the names browsers give a download until it is
// finished (Firefox .part, Chrome .crdownload, Safari .download, wget/curl
// users' .partial).
var partialSuffixes = [...]string{".part", ".crdownload", ".download", ".partial"}

// partialDownload reports whether base is an unfinished download of an
// image file, and the image's name.
func partialDownload(base string) (string, bool) {
	lower := strings.ToLower(base)
	for _, s := range partialSuffixes {
		if strings.HasSuffix(lower, s) {
			inner := base[:len(base)-len(s)]
			if LooksLikeImage(inner) {
				return inner, true
			}
		}
	}
	return "", false
}

// notAnImage says why data, read from a file named as an image, cannot be
// one: empty (a failed download, a full disk while unzipping) or an HTML
// page (an expired download link or a login page saved under the image's
// name). "" when neither.
func notAnImage(data []byte) string {
	if len(data) == 0 {
		return "empty (0 bytes: a failed download?)"
	}
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 512)]))
	if bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) {
		return "an HTML page, not an image (a failed download?)"
	}
	return ""
}
