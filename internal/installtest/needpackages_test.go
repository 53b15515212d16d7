package installtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNeedPackagesLeavesMachineAsFound runs scripts/mariadb.sh's
// need_packages with apt-get, dpkg and systemctl replaced by recorders: an
// existing policy-rc.d comes back byte for byte with its mode, apt-get runs
// while policy-rc.d forbids starting services, and the service the new
// package's postinst enabled is disabled again (issue 15.5), while a
// package that was already there is not touched.
func TestNeedPackagesLeavesMachineAsFound(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("need_packages installs only as root")
	}
	dir := t.TempDir()
	bin, state := dir+"/bin", dir+"/enabled"
	for _, d := range []string{bin, state} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stubs := map[string]string{
		// install: record what policy-rc.d said, then play the postinst
		// that enables the package's unit.
		"apt-get": `[ "$1" = update ] && exit 0
echo "apt-get $* policy=$(tail -1 "$POLICY_RC_D")" >>"$LOG"
for a; do case $a in -*|install) ;; *) touch "$STATE/$a.service" ;; esac; done`,
		"dpkg":      `[ "$1" = -L ] && echo /lib/systemd/system/$2.service`,
		"systemctl": `case $1 in is-enabled) [ -e "$STATE/$2" ] && echo enabled || echo disabled ;; disable) echo "disable $2" >>"$LOG"; rm "$STATE/$2" ;; esac`,
	}
	for name, body := range stubs {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// admins-service: enabled by its admin; its command (sh) is there.
	if err := os.WriteFile(state+"/admins-service.service", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	policy := dir + "/policy-rc.d"
	mine := "#!/bin/sh\n# the admin's own policy\nexit 0\n"
	if err := os.WriteFile(policy, []byte(mine), 0o750); err != nil {
		t.Fatal(err)
	}
	script := `. scripts/mariadb.sh; need_packages sh:admins-service no-such-command-sc:fake-kea no-such-command-sc2:fake-kea`
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "POLICY_RC_D="+policy,
		"LOG="+dir+"/log", "STATE="+state)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("need_packages: %v\n%s", err, out)
	}
	log := read(t, dir+"/log")
	want := "apt-get install -y -qq --no-install-recommends fake-kea policy=exit 101\ndisable fake-kea.service\n"
	if log != want {
		t.Errorf("calls:\n%s\nwant:\n%s\noutput:\n%s", log, want, out)
	}
	if !strings.Contains(string(out), "disabled fake-kea.service at boot (fake-kea was installed for the tests)") {
		t.Errorf("does not say what it disabled:\n%s", out)
	}
	fi, err := os.Stat(policy)
	if err != nil || read(t, policy) != mine || fi.Mode().Perm() != 0o750 {
		t.Errorf("policy-rc.d not put back as it was: %v %v", fi.Mode(), err)
	}
	if _, err := os.Stat(state + "/admins-service.service"); err != nil {
		t.Error("a service of a package that was already installed was disabled")
	}
	if left, _ := filepath.Glob(policy + ".*"); len(left) > 0 {
		t.Errorf("left: %v", left)
	}

	// Without a policy-rc.d before, there is none after.
	os.Remove(policy)
	cmd = exec.Command("bash", "-c", script)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "POLICY_RC_D="+policy,
		"LOG="+dir+"/log", "STATE="+state)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("need_packages: %v\n%s", err, out)
	}
	if _, err := os.Lstat(policy); err == nil {
		t.Error("policy-rc.d left behind")
	}
}
