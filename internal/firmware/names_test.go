package firmware

import "testing"

func TestSuggestName(t *testing.T) {
	for in, want := range map[string]string{
		"P0S3-8-12-00 (1).loads":      "P0S3-8-12-00.loads",
		"P003-8-12-00(2).sbn":         "P003-8-12-00.sbn",
		"P003-8-12-00 - Copy.bin":     "P003-8-12-00.bin",
		"P0S3-8-12-00 - Copy (2).SB2": "P0S3-8-12-00.sb2",
		"p0s3-08-11-00 copy 2.loads":  "P0S3-08-11-00.loads",
		"Copy of P0S30203.bin":        "P0S30203.bin",
		"firmware (1).bin":            "",
		"P0M3-8-12-00 (1).sbn":        "", // MGCP: not imported at all
	} {
		if got := SuggestName(in); got != want {
			t.Errorf("SuggestName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOtherModel(t *testing.T) {
	for _, n := range []string{"term41.default.loads", "term06.default.loads", "SCCP41.9-2-1S.loads",
		"SIP70.8-5-4S.loads", "apps41.9-2-1TH1-13.sbn", "jar41sccp.9-2-1TH1-13.sbn", "CP7912080003SIP060111A.sbin.bin",
		"cmterm_7920.4.0-03-02.bin", "P00403020214.bin"} {
		if !OtherModel(n) {
			t.Errorf("OtherModel(%q) = false", n)
		}
	}
	for _, n := range []string{"P0S3-8-12-00 (1).loads", "P003-8-12-00.sbn", "P00308010200.bin", "firmware.bin", "term41.txt"} {
		if OtherModel(n) {
			t.Errorf("OtherModel(%q) = true", n)
		}
	}
}

func TestMacMetadata(t *testing.T) {
	for n, want := range map[string]bool{
		"._P003-8-12-00.sbn":                   true,
		"bundle/._P0S3-8-12-00.loads":          true,
		"__MACOSX/bundle/._P0S3-8-12-00.loads": true,
		"__MACOSX/P0S3-8-12-00.loads":          true,
		"bundle/P0S3-8-12-00.loads":            false,
		"bundle._x/P0S3-8-12-00.loads":         false,
	} {
		if got := MacMetadata(n); got != want {
			t.Errorf("MacMetadata(%q) = %v", n, got)
		}
	}
}

func TestNotAnImage(t *testing.T) {
	if notAnImage(nil) == "" || notAnImage([]byte("\n <!DOCTYPE html><html>")) == "" || notAnImage([]byte("<HTML><body>")) == "" {
		t.Error("empty file or HTML page taken for an image")
	}
	if w := notAnImage([]byte("\x00\x01loads")); w != "" {
		t.Errorf("image refused: %s", w)
	}
	if inner, ok := partialDownload("P003-8-12-00.sbn.crdownload"); !ok || inner != "P003-8-12-00.sbn" {
		t.Errorf("partialDownload = %q %v", inner, ok)
	}
	if _, ok := partialDownload("notes.part"); ok {
		t.Error("notes.part taken for an image download")
	}
}
