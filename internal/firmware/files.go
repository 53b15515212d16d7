package firmware

import "strings"

// RequiredFiles lists the files a phone fetches from the TFTP root to load
// img, with the exact case phones ask for (Cisco's names: upper-case load,
// lower-case extension). A loader name stands for its SIP bundle.
//
//   - SIP 8.x: P0S3-08-N-00.loads, .sb2, P003-08-N-00.bin, .sbn; 8.12 is
//     spelt P0S3-8-12-00/P003-8-12-00. CME binds exactly these four for
//     8.1 (CME-PRES in the fact sheet); TEO lists them for 8.12.
//   - SIP 7.x: P0S3-07-N-00.loads, .sb2 and the signed loader
//     P003-07-N-00.sbn. IPF's 7.3->7.4 log fetched only these three; the
//     .bin files of the bundle are in OptionalFiles.
//   - SIP 5.x/6.x: the load as .bin and .sbn. From 5.0 loads are signed
//     (.sbn) and images before 5.x accept only unsigned .bin (CCME-68244),
//     so the 4.4->5.x step needs the .bin and later moves the .sbn.
//     Inferred: no bundle listing of 5.x/6.x was found.
//   - SIP up to 4.x: one .bin (P0S3-04-4-00.bin, P0S30203.bin: HOWTO;
//     P0S3-04-1-00.bin and P0S30202.bin bound alone in Cisco's SRST sample).
//   - SCCP 6.x and later: .loads, .sb2, .sbn, .bin of the load (CME-INST
//     example for P00307020300); SCCP 5.x: .bin and .sbn; older: .bin.
//   - MGCP: nil; no source describes its bundles.
func RequiredFiles(img Image) []string {
	img = img.Bundle()
	n := img.Name
	switch img.Protocol {
	case SIP:
		switch {
		case img.Major >= 8:
			l := img.LoaderName()
			return []string{n + ".loads", n + ".sb2", l + ".bin", l + ".sbn"}
		case img.Major == 7:
			return []string{n + ".loads", n + ".sb2", img.LoaderName() + ".sbn"}
		case img.Major >= 5:
			return []string{n + ".bin", n + ".sbn"}
		}
		return []string{n + ".bin"}
	case SCCP:
		switch {
		case img.UniversalLoader():
			return []string{n + ".loads", n + ".sb2", n + ".sbn", n + ".bin"}
		case img.Signed():
			return []string{n + ".bin", n + ".sbn"}
		}
		return []string{n + ".bin"}
	}
	return nil
}

// OptionalFiles lists files Cisco's bundle ships beyond RequiredFiles. Only
// SIP 7.x has some: P003-07-N-00.bin and P0S3-07-N-00.bin (DOES lists them
// for 7.5; IPF saw a loader-to-loader upgrade ignore them). Which file a
// phone still on the original boot mechanism fetches when moving to 7.x is
// not documented, so the planner asks for them on that step.
func OptionalFiles(img Image) []string {
	img = img.Bundle()
	if img.Protocol != SIP || img.Major != 7 {
		return nil
	}
	return []string{img.LoaderName() + ".bin", img.Name + ".bin"}
}

// fileImage recognises a firmware file name: the application load it belongs
// to and its canonical file name. ok is false for other files (OS79XX.TXT,
// configs, ring tones).
func fileImage(base string) (app Image, canonicalName string, ok bool) {
	stem, ext := splitExt(base)
	if ext == "" || strings.ContainsAny(stem, `/\`) {
		return Image{}, "", false
	}
	img, err := Parse(stem)
	if err != nil || img.Protocol == MGCP {
		return Image{}, "", false
	}
	return img.Bundle(), img.Name + ext, true
}
