package siteconf

import (
	"strings"
	"testing"

	"github.com/setup-cisco/setup-cisco/internal/fuzzcheck"
)

// FuzzParse reads the settings file (seeded with example.conf): no panic,
// no hang; an error names the file.
func FuzzParse(f *testing.F) {
	// A few lines per seed: the fuzzer is slow on inputs of kilobytes.
	fuzzcheck.Seeds(f, "example.conf", func(s string) {
		lines := strings.SplitAfter(s, "\n")
		for i := 0; i < len(lines); i += 6 {
			f.Add(strings.Join(lines[i:min(i+6, len(lines))], ""))
		}
	})
	f.Add("tftp_root = /tftpboot\ndial_plan = 9XXXXXXX*, 1XXX\nphone_password = cisco\n")
	f.Add("sip_port = 99999999999999999999\n[section]\n=\nkey\n")
	f.Fuzz(func(t *testing.T, data string) {
		s := Defaults()
		var err error
		fuzzcheck.Within(t, func() { err = Parse(&s, "fuzz.conf", []byte(data)) })
		if err != nil && !containsName(err.Error()) {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

// FuzzParseDialPlan reads a dial_plan value: no panic, no hang.
func FuzzParseDialPlan(f *testing.F) {
	f.Add("9XXXXXXX*, 1XXX, 911")
	f.Add(".T, *")
	f.Fuzz(func(t *testing.T, v string) {
		fuzzcheck.Within(t, func() { ParseDialPlan(v) })
	})
}

func containsName(msg string) bool {
	for i := 0; i+len("fuzz.conf") <= len(msg); i++ {
		if msg[i:i+len("fuzz.conf")] == "fuzz.conf" {
			return true
		}
	}
	return false
}
