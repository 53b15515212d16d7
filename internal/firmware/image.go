package firmware

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Protocol is the call-control protocol of a load, taken from the third
// character of its name (MATRIX: "0" SCCP, "S" SIP, "M" MGCP).
type Protocol string

// Protocols. Loader is the universal application loader (P003-xx-y-zz) that
// ships inside the SIP 7.x/8.x bundles; it is never a value for image_version.
const (
	SIP    Protocol = "SIP"
	SCCP   Protocol = "SCCP"
	MGCP   Protocol = "MGCP"
	Loader Protocol = "Loader"
)

// ErrUnknownName is returned (wrapped) by Parse for names that are not a
// 7940/7960 load name.
var ErrUnknownName = errors.New("not a Cisco 7940/7960 load name")

// Image is one firmware load.
type Image struct {
	// Name is the canonical load name: upper case, no extension; the value
	// for image_version, OS79XX.TXT and loadInformation.
	Name     string
	Protocol Protocol
	Major    int
	Minor    int
	// Patch is the last dashed field of SIP/MGCP/loader names ("zz") or the
	// maintenance version of long SCCP names.
	Patch int
	// Build is the maintenance subversion of long SCCP names (ww).
	Build int
	// Code is the letter build of pre-3.x SCCP loads such as P003AM30
	// ("AM30"); Major and Minor are 0 for those.
	Code string
	// Tag is the letter maintenance field of long SCCP names in place of
	// the maintenance version: "SR" (service release) in P0030801SR02,
	// 8.1(SR.2), or "ES" (engineering special); Build is its number.
	Tag string
}

// Load name patterns, upper case, extension removed. Sources: MATRIX and
// CME-INST naming conventions; P003AM30 from HOWTO.
var (
	reDashed  = regexp.MustCompile(`^P0([S0M])3-(\d{1,2})-(\d{1,2})-(\d{2})$`) // P0S3-08-2-00, P0S3-8-12-00, P003-8-12-00, P0M3-..
	reSIP83   = regexp.MustCompile(`^P0S3(\d{2})(\d{2})$`)                     // P0S30203
	reSCCP    = regexp.MustCompile(`^P003(\d{2})(\d{2})(\d{2})(\d{2})$`)       // P00308010200
	reSCCPTag = regexp.MustCompile(`^P003(\d{2})(\d{2})([A-Z]{2})(\d{2})$`)    // P0030801SR02: 8.1(SR.2)
	reSCCP83  = regexp.MustCompile(`^P003(\d{2})(\d{2})$`)                     // P0030301
	reSCCPOld = regexp.MustCompile(`^P003([A-Z]{2}\d{2})$`)                    // P003AM30
)

// imageExts are the firmware file extensions found in Cisco's bundles.
var imageExts = [...]string{".loads", ".sb2", ".sbn", ".bin"}

// splitExt removes a firmware extension (any case) and returns it lower-cased.
func splitExt(name string) (stem, ext string) {
	lower := strings.ToLower(name)
	for _, e := range imageExts {
		if strings.HasSuffix(lower, e) {
			return name[:len(name)-len(e)], e
		}
	}
	return name, ""
}

// Parse reads a load name in any spelling seen in the field, with or without
// a .bin/.loads/.sb2/.sbn extension, in any case.
func Parse(name string) (Image, error) {
	stem, _ := splitExt(strings.TrimSpace(name))
	s := strings.ToUpper(stem)
	atoi := func(d string) int { n, _ := strconv.Atoi(d); return n } // the patterns admit digits only

	var img Image
	switch {
	case reDashed.MatchString(s):
		m := reDashed.FindStringSubmatch(s)
		img = Image{Major: atoi(m[2]), Minor: atoi(m[3]), Patch: atoi(m[4])}
		switch m[1] {
		case "S":
			img.Protocol = SIP
		case "0":
			img.Protocol = Loader
		case "M":
			img.Protocol = MGCP
		}
		if img.Major == 0 {
			return Image{}, fmt.Errorf("firmware: %q: major version 0: %w", name, ErrUnknownName)
		}
	case reSIP83.MatchString(s):
		m := reSIP83.FindStringSubmatch(s)
		img = Image{Protocol: SIP, Major: atoi(m[1]), Minor: atoi(m[2])}
	case reSCCP.MatchString(s):
		m := reSCCP.FindStringSubmatch(s)
		img = Image{Protocol: SCCP, Major: atoi(m[1]), Minor: atoi(m[2]), Patch: atoi(m[3]), Build: atoi(m[4])}
	case reSCCPTag.MatchString(s):
		// Cisco's convention P003xxyyzzww (CME-INST, MATRIX) with letters
		// for the maintenance version zz: the service releases CUCM ships
		// as the 7940/7960 default load (P0030801SR02, shown by the phone
		// and CUCM as 8.1(SR.2)).
		m := reSCCPTag.FindStringSubmatch(s)
		if m[3] != "SR" && m[3] != "ES" {
			return Image{}, fmt.Errorf("firmware: %q: maintenance field %q is neither SR (service release) nor ES (engineering special): %w", name, m[3], ErrUnknownName)
		}
		img = Image{Protocol: SCCP, Major: atoi(m[1]), Minor: atoi(m[2]), Tag: m[3], Build: atoi(m[4])}
	case reSCCP83.MatchString(s):
		m := reSCCP83.FindStringSubmatch(s)
		img = Image{Protocol: SCCP, Major: atoi(m[1]), Minor: atoi(m[2])}
	case reSCCPOld.MatchString(s):
		img = Image{Protocol: SCCP, Code: reSCCPOld.FindStringSubmatch(s)[1]}
	default:
		return Image{}, fmt.Errorf("firmware: %q: %w", name, ErrUnknownName)
	}
	img.Name = canonical(img, s)
	return img, nil
}

// MustParse is Parse for names known at compile time; it panics on error.
func MustParse(name string) Image {
	img, err := Parse(name)
	if err != nil {
		panic(err)
	}
	return img
}

// canonical spells the name the way Cisco's files are named. Dashed names pad
// the major version to two digits except from 8.12 on, where Cisco dropped
// the padding (P0S3-8-12-00, P003-8-12-00: TEO; P0S3-08-11-00: README-SIP811).
// 8.3-style names keep their own spelling.
func canonical(img Image, upper string) string {
	if !strings.Contains(upper, "-") {
		if img.Protocol == SCCP && img.Code == "" && img.Tag == "" && len(upper) == 12 {
			return fmt.Sprintf("P003%02d%02d%02d%02d", img.Major, img.Minor, img.Patch, img.Build)
		}
		return upper
	}
	return dashed(img.Protocol, img.Major, img.Minor, img.Patch)
}

func dashed(p Protocol, major, minor, patch int) string {
	prefix := "P0S3"
	switch p {
	case Loader:
		prefix = "P003"
	case MGCP:
		prefix = "P0M3"
	}
	if major > 8 || major == 8 && minor >= 12 {
		return fmt.Sprintf("%s-%d-%d-%02d", prefix, major, minor, patch)
	}
	return fmt.Sprintf("%s-%02d-%d-%02d", prefix, major, minor, patch)
}

// String returns the canonical name.
func (i Image) String() string { return i.Name }

// IsZero reports whether i is the zero Image.
func (i Image) IsZero() bool { return i.Name == "" }

// Signed reports whether the load is signed: every 7940/7960 load from 5.0
// on, SIP and SCCP alike (README-SCCP; CME-INST: "Signed load starts from SIP
// v5.x"). A phone that ran a signed load never accepts an unsigned one.
func (i Image) Signed() bool { return i.Code == "" && i.Major >= 5 }

// EightDotThree reports whether the name is an early DOS 8.3 name
// (P0S30203, P003AM30). Per HOWTO, phones on such images fetch only 8.3 file
// names, so the first SIP load for an old SCCP phone must be one of them.
func (i Image) EightDotThree() bool {
	return len(i.Name) == 8 && !strings.Contains(i.Name, "-")
}

// Compact reports whether the load is a SIP image up to 4.x. While a phone
// runs one, SIPDefault.cnf must carry no comments or blank lines (HOWTO: the
// 4.4 step only worked with a compacted file).
func (i Image) Compact() bool { return i.Protocol == SIP && i.Major <= 4 }

// UniversalLoader reports whether the load runs on the universal application
// loader (.loads/.sb2 files; OS79XX.TXT no longer read): SIP 7.x and later,
// SCCP 6.x and later (TN5455 groups "SCCP 6.x/later and SIP 7.x/later").
func (i Image) UniversalLoader() bool {
	switch i.Protocol {
	case SIP, Loader:
		return i.Major >= 7
	case SCCP:
		return i.Code == "" && i.Major >= 6
	}
	return false
}

// Bundle returns the application load a file belongs to: the SIP load for a
// universal loader name (P003-8-12-00 -> P0S3-8-12-00), else i itself.
func (i Image) Bundle() Image {
	if i.Protocol != Loader {
		return i
	}
	b := i
	b.Protocol = SIP
	b.Name = dashed(SIP, i.Major, i.Minor, i.Patch)
	return b
}

// LoaderName is the universal loader load shipped with a SIP 7.x/8.x load
// (P0S3-07-5-00 -> P003-07-5-00), or "" for other loads. Cisco's own
// OS79XX.TXT in the 7.4 and 8.12 bundles holds this name.
func (i Image) LoaderName() string {
	if (i.Protocol != SIP && i.Protocol != Loader) || i.Major < 7 {
		return ""
	}
	return dashed(Loader, i.Major, i.Minor, i.Patch)
}

// Label is the release as people write it: "8.12", "4.4", "2.3" for SIP;
// "8.1(2)" or "3.2(2.14)" for long SCCP names; the build code for P003AM30.
func (i Image) Label() string {
	switch {
	case i.Code != "":
		return i.Code
	case i.Tag != "":
		return fmt.Sprintf("%d.%d(%s.%d)", i.Major, i.Minor, i.Tag, i.Build)
	case i.Protocol == SCCP && len(i.Name) == 12:
		if i.Build != 0 {
			return fmt.Sprintf("%d.%d(%d.%d)", i.Major, i.Minor, i.Patch, i.Build)
		}
		return fmt.Sprintf("%d.%d(%d)", i.Major, i.Minor, i.Patch)
	case i.Patch != 0:
		return fmt.Sprintf("%d.%d.%d", i.Major, i.Minor, i.Patch)
	}
	return fmt.Sprintf("%d.%d", i.Major, i.Minor)
}

// Compare orders loads by version (protocol ignored): -1, 0 or +1. Letter
// builds (P003AM30) sort below every numbered load; a service release or
// engineering special (8.1(SR.2)) after the numbered maintenance releases
// of its major.minor (8.1(2)), which it follows.
func (i Image) Compare(o Image) int {
	tagged := func(im Image) int {
		if im.Tag != "" {
			return 1
		}
		return 0
	}
	return cmp.Or(
		cmp.Compare(i.Major, o.Major),
		cmp.Compare(i.Minor, o.Minor),
		cmp.Compare(tagged(i), tagged(o)),
		cmp.Compare(i.Tag, o.Tag),
		cmp.Compare(i.Patch, o.Patch),
		cmp.Compare(i.Build, o.Build),
		cmp.Compare(i.Code, o.Code),
	)
}

// atLeast reports whether the version is major.minor or later.
func (i Image) atLeast(major, minor int) bool {
	return i.Major > major || i.Major == major && i.Minor >= minor
}

// Family groups releases by what their bundles hold.
type Family string

// Families, oldest first. Family3 holds everything before 4.0 (2.x 8.3 names
// and SCCP letter builds too): one .bin, unsigned.
const (
	Family3      Family = "up to 3.x" // firmware list's heading: 2.x loads such as P0S30203 (2.3) too
	Family4      Family = "4.x"
	FamilySigned Family = "5.x-7.x"
	Family8      Family = "8.x"
)

// FamilyOrder lists the families, oldest first.
func FamilyOrder() [4]Family { return [4]Family{Family3, Family4, FamilySigned, Family8} }

// Family returns the release family of the load.
func (i Image) Family() Family {
	switch {
	case i.Major >= 8:
		return Family8
	case i.Major >= 5:
		return FamilySigned
	case i.Major == 4:
		return Family4
	}
	return Family3
}
