package cnffile

import (
	"reflect"
	"testing"
)

func TestParseLine(t *testing.T) {
	for line, want := range map[string][3]string{
		`image_version: "P0S3-8-12-00"`:     {"image_version", "P0S3-8-12-00", "ok"},
		`preferred_codec: g729a ; thin WAN`: {"preferred_codec", "g729a", "ok"},
		"  messages_uri :\t\"*97\"  \r":     {"messages_uri", "*97", "ok"},
		`phone_label: "a;b"`:                {"phone_label", "a;b", "ok"},
		`nat_address: "unterminated ; x`:    {"nat_address", "unterminated", "ok"},
		`# sync: 3`:                         {"", "", ""},
		``:                                  {"", "", ""},
		`no colon here`:                     {"", "", ""},
		`"quoted key": 1`:                   {"", "", ""},
		`line1_name: 1001`:                  {"line1_name", "1001", "ok"},
	} {
		k, v, ok := ParseLine(line)
		if k != want[0] || v != want[1] || ok != (want[2] == "ok") {
			t.Errorf("%q: got %q %q %v", line, k, v, ok)
		}
	}
}

func TestReadValues(t *testing.T) {
	data := []byte("image_version: A\n# c\nsync: 1\n\nsync: 2\n")
	got := Read(data)
	want := []Setting{{"image_version", "A", 1}, {"sync", "1", 3}, {"sync", "2", 5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read = %+v", got)
	}
	if v, ok := Get(data, "sync"); !ok || v != "2" {
		t.Errorf("Get sync = %q %v: the phone applies the last", v, ok)
	}
	if v, ok := FirstLineImage(data); !ok || v != "A" {
		t.Errorf("FirstLineImage = %q %v", v, ok)
	}
	if _, ok := FirstLineImage([]byte("# x\nimage_version: A\n")); ok {
		t.Error("image_version not on the first line counted")
	}
}

// A SIPDefault.cnf saved with a UTF-8 byte order mark: import-settings
// reported "\ufeffimage_version" as unknown and dropped the site's image.
func TestReadSkipsBOM(t *testing.T) {
	got := Read([]byte("\ufeffimage_version: P0S3-8-12-00\r\ntime_zone: CET\r\n"))
	want := []Setting{{"image_version", "P0S3-8-12-00", 1}, {"time_zone", "CET", 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read = %+v, want %+v", got, want)
	}
}
