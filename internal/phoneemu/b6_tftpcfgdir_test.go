package phoneemu

import (
	"os"
	"path/filepath"
	"testing"
)

// Taking over a hand-made TFTP root whose SIPDefault.cnf set tftp_cfg_dir
// (the per-phone files in a subdirectory: "tftp_cfg_dir: ./sip_phone/",
// Cisco's sample as quoted in the fact sheet, HUGO-sample; TEO's real root
// had "./"). The phone keeps tftp_cfg_dir in flash (fact sheet §7: a key no
// file sets keeps its value), and setup-cisco's files never set it, so
// after the take-over the phone still asks for ./sip_phone/SIP<MAC>.cnf:
// it boots with the old hand-made file left in the subdirectory (its old
// line and password), never with the one setup-cisco writes and reports
// as written (exit 0). The first run does say 'SIPDefault.cnf.before-
// setup-cisco: tftp_cfg_dir: "./sip_phone/" (line 2) is no longer set ...
// to keep them: setup-cisco import-settings --write', but the key is not
// gone from the phone (flash keeps it) and import-settings does not import
// it ("no setting of setup-cisco sets it"), so the advice cannot help.
// tftp_cfg_dir is a key setup-cisco now manages by
// placing SIP<MAC>.cnf in the root: it must be set (to its reset value,
// the root) in the SIPDefault.cnf it writes, or the first run must at
// least name it.
func TestB6TakeOverKeepsTFTPCfgDir(t *testing.T) {
	const mac = "001B54796001"
	// The hand-made root, as a site had it before setup-cisco.
	root := handMadeRoot(t, "image_version: \"P0S3-8-12-00\"\ntftp_cfg_dir: \"./sip_phone/\"\nproxy1_address: \"192.0.2.10\"\nproxy1_port: \"5060\"\nproxy_register: \"1\"\ndial_template: \"dialplan\"\n")
	if err := os.Mkdir(filepath.Join(root, "sip_phone"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, root, "sip_phone/SIP"+mac+".cnf", "line1_name: \"1004\"\nline1_authname: \"1004\"\nline1_password: \"oldpass\"\n", 0o644)
	write(t, root, "dialplan.xml", "<DIALTEMPLATE/>\n", 0o644)
	c := serve(t, root)
	p := Phone{MAC: mac, Model: "7960", Running: "P0S3-8-12-00"}
	r := Boot(c, p, nil)
	if !r.OK() || len(r.Lines) != 1 || r.Lines[0].Name != "1004" {
		t.Fatalf("hand-made root: %q, lines %v", r.Failure, r.Lines)
	}
	p.Flash = r.Flash

	// setup-cisco takes the root over; the phone is in its inventory on 1001.
	takeOver(t, root, mac, filepath.Join(t.TempDir(), "none.conf"))()
	r = Boot(c, p, nil)
	if !r.OK() || len(r.Lines) != 1 || r.Lines[0].Name != "1001" {
		var asked []string
		for _, f := range r.Fetches {
			asked = append(asked, f.Name)
		}
		t.Errorf("after setup-cisco's run: %q, lines %v (want 1001 from setup-cisco's SIP%s.cnf); asked for %v", r.Failure, r.Lines, mac, asked)
	}
}
