package firmware

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func names(steps []Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Image.Name)
	}
	return out
}

func TestPlanToDefaultTarget(t *testing.T) {
	// After 7.5 the default plan follows the how-to (8.2, 8.6), then 8.12.
	tail := []string{"P0S3-08-2-00", "P0S3-08-6-00", "P0S3-8-12-00"}
	from7 := append([]string{"P0S3-07-5-00"}, tail...)
	tests := []struct {
		from string
		want []string
	}{
		{"P003AM30", append([]string{"P0S30203", "P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00"}, from7...)},
		{"P0030301", append([]string{"P0S30203", "P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00"}, from7...)},
		{"P0S30202", append([]string{"P0S30203", "P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00"}, from7...)},
		{"P0S30203", append([]string{"P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00"}, from7...)},
		{"P0S3-03-1-00", append([]string{"P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00"}, from7...)},
		{"P0S3-04-1-00", append([]string{"P0S3-04-4-00", "P0S3-05-1-00", "P0S3-06-3-00"}, from7...)},
		{"P0S3-04-4-00", append([]string{"P0S3-05-1-00", "P0S3-06-3-00"}, from7...)},
		{"P0S3-05-1-00", append([]string{"P0S3-06-3-00"}, from7...)},
		{"P0S3-06-3-00", from7},
		{"P0S3-07-5-00", tail},
		{"P0S3-08-2-00", tail[1:]},
		{"P0S3-08-6-00", tail[2:]},
		{"P0S3-08-11-00", tail[2:]},
		{"P0S3-8-12-00", nil},
		{"P0S3-08-12-00", nil},
		// SCCP: 3.x must reach SCCP 5.x first; 5.x converts up to SIP 7.x;
		// 6.x and later convert straight to SIP 7.x and later.
		{"P00303030300", append([]string{"P00305000200"}, from7...)},
		{"P00305000200", from7},
		{"P00306000100", []string{"P0S3-8-12-00"}},
		{"P00308010200", []string{"P0S3-8-12-00"}},
	}
	to := MustParse(DefaultTarget)
	for _, tt := range tests {
		steps, err := Plan(MustParse(tt.from), to)
		if err != nil {
			t.Errorf("Plan(%s): %v", tt.from, err)
			continue
		}
		if got := names(steps); !slices.Equal(got, tt.want) {
			t.Errorf("Plan(%s)\n got %v\nwant %v", tt.from, got, tt.want)
		}
		if len(steps) > 0 && steps[len(steps)-1].Reason != "target" {
			t.Errorf("Plan(%s): last step reason %q", tt.from, steps[len(steps)-1].Reason)
		}
	}
}

func TestPlanHowToPath(t *testing.T) {
	steps, err := Plan(MustParse("P003AM30"), MustParse(DefaultTarget))
	if err != nil {
		t.Fatal(err)
	}
	want := "P003AM30 -> P0S30203 -> P0S3-04-4-00 -> P0S3-05-1-00 -> P0S3-06-3-00 -> P0S3-07-5-00 -> P0S3-08-2-00 -> P0S3-08-6-00 -> P0S3-8-12-00"
	if got := PathString(MustParse("P003AM30"), steps); got != want {
		t.Fatalf("path\n got %s\nwant %s", got, want)
	}
	hasNote := func(s Step, sub string) bool {
		return slices.ContainsFunc(s.Notes, func(n string) bool { return strings.Contains(n, sub) })
	}
	checks := []struct {
		i      int
		os79xx string
		files  []string
		notes  []string
	}{
		{0, "P0S30203", []string{"P0S30203.bin"}, []string{"8.3 names only: OS79XX.TXT must hold P0S30203", "does not read SIPDefault.cnf"}},
		{1, "P0S3-04-4-00", []string{"P0S3-04-4-00.bin"}, []string{"compact SIPDefault.cnf", "last unsigned image"}},
		{2, "P0S3-05-1-00", []string{"P0S3-05-1-00.bin", "P0S3-05-1-00.sbn"}, []string{"compact SIPDefault.cnf", "first signed image"}},
		{3, "P0S3-06-3-00", []string{"P0S3-06-3-00.bin", "P0S3-06-3-00.sbn"}, nil},
		{4, "P0S3-07-5-00", []string{"P0S3-07-5-00.loads", "P0S3-07-5-00.sb2", "P003-07-5-00.sbn", "P003-07-5-00.bin", "P0S3-07-5-00.bin"}, []string{"universal loader", "Protocol Application Invalid"}},
		{5, "", []string{"P0S3-08-2-00.loads", "P0S3-08-2-00.sb2", "P003-08-2-00.bin", "P003-08-2-00.sbn"}, nil},
		{7, "", []string{"P0S3-8-12-00.loads", "P0S3-8-12-00.sb2", "P003-8-12-00.bin", "P003-8-12-00.sbn"}, nil},
	}
	for _, c := range checks {
		s := steps[c.i]
		if s.OS79XX != c.os79xx {
			t.Errorf("step %d %s: OS79XX %q, want %q", c.i, s.Image, s.OS79XX, c.os79xx)
		}
		if !slices.Equal(s.Files, c.files) {
			t.Errorf("step %d %s: files %v, want %v", c.i, s.Image, s.Files, c.files)
		}
		for _, n := range c.notes {
			if !hasNote(s, n) {
				t.Errorf("step %d %s: no note %q in %q", c.i, s.Image, n, s.Notes)
			}
		}
	}
	// Steps from a SIP load name the command, not a hand edit (issue 10.7).
	if c := steps[3].Command; !strings.HasPrefix(c, "image_version = P0S3-06-3-00 in setup-cisco.conf") || !strings.Contains(c, "phone set MAC --image P0S3-06-3-00") {
		t.Errorf("step 3 command %q", c)
	}
	// From SCCP too: the SCCP load reads OS79XX.TXT, which setup-cisco
	// writes from the image (breaker round 9: no command named before).
	if c := steps[0].Command; !strings.HasPrefix(c, "image_version = P0S30203 in setup-cisco.conf") || !hasNote(steps[0], "OS79XX.TXT switches it") {
		t.Errorf("step 0 from SCCP: command %q, notes %q", c, steps[0].Notes)
	}
	for i, s := range steps {
		if hasNote(s, "SIPDefault.cnf (or") || hasNote(s, "set image_version") {
			t.Errorf("step %d: tells to edit SIPDefault.cnf: %q", i, s.Notes)
		}
		if i != 1 && hasNote(s, "last unsigned") || i != 2 && hasNote(s, "first signed") {
			t.Errorf("step %d %s: misplaced signing note %q", i, s.Image, s.Notes)
		}
		if i > 2 && hasNote(s, "compact") {
			t.Errorf("step %d %s: compact note after the phone left 4.x", i, s.Image)
		}
	}
}

func TestPlanOtherTargets(t *testing.T) {
	tests := []struct {
		from, to string
		want     []string
	}{
		// Downgrades: 7.x first, then straight to the target.
		{"P0S3-8-12-00", "P0S3-06-3-00", []string{"P0S3-07-5-00", "P0S3-06-3-00"}},
		{"P0S3-06-3-00", "P0S3-05-1-00", []string{"P0S3-07-5-00", "P0S3-05-1-00"}},
		{"P0S3-07-5-00", "P0S3-05-1-00", []string{"P0S3-05-1-00"}},
		{"P0S3-8-12-00", "P0S3-07-4-00", []string{"P0S3-07-4-00"}},
		{"P0S3-8-12-00", "P0S3-08-2-00", []string{"P0S3-08-2-00"}},
		{"P0S3-04-4-00", "P0S30203", []string{"P0S30203"}},
		// Short upgrades.
		{"P0S30202", "P0S30203", []string{"P0S30203"}},
		{"P0S30203", "P0S3-04-1-00", []string{"P0S3-04-1-00"}},
		{"P0S3-03-1-00", "P0S3-05-3-00", []string{"P0S3-04-4-00", "P0S3-05-3-00"}},
		{"P0S3-07-5-00", "P0S3-08-4-00", []string{"P0S3-08-2-00", "P0S3-08-4-00"}},
		// SCCP conversions to other SIP targets.
		{"P003AM30", "P0S30203", []string{"P0S30203"}},
		{"P00303030300", "P0S3-04-4-00", []string{"P0S3-04-4-00"}},
		{"P00303030300", "P0S3-06-3-00", []string{"P00305000200", "P0S3-06-3-00"}},
		{"P00305000200", "P0S3-06-3-00", []string{"P0S3-06-3-00"}},
		{"P00305000200", "P0S3-07-4-00", []string{"P0S3-07-4-00"}},
		{"P00308010200", "P0S3-06-3-00", []string{"P0S3-07-5-00", "P0S3-06-3-00"}},
		{"P00308010200", "P0S3-07-5-00", []string{"P0S3-07-5-00"}},
	}
	for _, tt := range tests {
		steps, err := Plan(MustParse(tt.from), MustParse(tt.to))
		if err != nil {
			t.Errorf("Plan(%s, %s): %v", tt.from, tt.to, err)
			continue
		}
		if got := names(steps); !slices.Equal(got, tt.want) {
			t.Errorf("Plan(%s, %s)\n got %v\nwant %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestPlanOS79XXForConversions(t *testing.T) {
	// One rule (OS79XXName): the SIP load name. By the first-4-characters
	// rule an SCCP phone switches on it, and a SIP phone before 7.0 carries
	// on and takes its load from image_version (it reaches the 7.x loader
	// that way, IPF), so no step Cisco requires is skipped.
	tests := []struct{ from, to, os79xx string }{
		{"P00305000200", "P0S3-07-5-00", "P0S3-07-5-00"},
		{"P0S3-06-3-00", "P0S3-07-5-00", "P0S3-07-5-00"},
		{"P0S3-04-4-00", "P0S3-05-1-00", "P0S3-05-1-00"},
		{"P00308010200", "P0S3-8-12-00", ""},
		{"P0S3-07-5-00", "P0S3-08-2-00", ""},
		{"P00303030300", "P00305000200", ""}, // SCCP to SCCP: XML config
	}
	for _, tt := range tests {
		s := (planner{}).step(MustParse(tt.from), MustParse(tt.to), "", false)
		if s.OS79XX != tt.os79xx {
			t.Errorf("step %s -> %s: OS79XX %q, want %q", tt.from, tt.to, s.OS79XX, tt.os79xx)
		}
	}
}

func TestPlanRefusesSignedDowngrade(t *testing.T) {
	tests := [][2]string{
		{"P0S3-05-1-00", "P0S3-04-4-00"},
		{"P0S3-8-12-00", "P0S30203"},
		{"P0S3-07-5-00", "P0S3-03-1-00"},
		{"P00305000200", "P0S3-04-4-00"},
		{"P00308010200", "P0S30203"},
	}
	for _, tt := range tests {
		from, to := MustParse(tt[0]), MustParse(tt[1])
		if !SignedDowngrade(from, to) {
			t.Errorf("SignedDowngrade(%s, %s) = false", from, to)
		}
		steps, err := Plan(from, to)
		if !errors.Is(err, ErrSignedDowngrade) || steps != nil {
			t.Errorf("Plan(%s, %s) = %v, %v; want ErrSignedDowngrade", from, to, names(steps), err)
			continue
		}
		var de *DowngradeError
		if !errors.As(err, &de) || de.From != from || de.To != to {
			t.Errorf("Plan(%s, %s): error %v is not a *DowngradeError for the move", from, to, err)
		}
		if !strings.Contains(err.Error(), "signed") || !strings.Contains(err.Error(), "never load an unsigned image") {
			t.Errorf("message %q does not say why", err)
		}
	}
	for _, ok := range [][2]string{{"P0S3-04-4-00", "P0S30203"}, {"P0S3-04-4-00", "P0S3-05-1-00"}, {"P0S3-8-12-00", "P0S3-05-1-00"}} {
		if SignedDowngrade(MustParse(ok[0]), MustParse(ok[1])) {
			t.Errorf("SignedDowngrade(%s, %s) = true", ok[0], ok[1])
		}
	}
}

func TestPlanNoPath(t *testing.T) {
	tests := [][2]string{
		{"P0M3-07-1-00", "P0S3-8-12-00"},
		{"P0S3-8-12-00", "P00308010200"},
		{"P003-8-12-00", "P0S3-8-12-00"},
		{"P0S3-07-5-00", "P003-8-12-00"},
	}
	for _, tt := range tests {
		if _, err := Plan(MustParse(tt[0]), MustParse(tt[1])); !errors.Is(err, ErrNoPath) {
			t.Errorf("Plan(%s, %s): %v, want ErrNoPath", tt[0], tt[1], err)
		}
	}
	if _, err := Plan(Image{}, MustParse(DefaultTarget)); !errors.Is(err, ErrNoPath) {
		t.Errorf("Plan(zero): %v, want ErrNoPath", err)
	}
}

func TestPlanWithCandidates(t *testing.T) {
	var cands []Image
	for _, n := range []string{"P0S3-04-4-00", "P0S3-05-2-00", "P0S3-05-3-00", "P0S3-06-0-00", "P0S3-07-4-00", "P0S3-8-12-00", "P00308010200", "P003-8-12-00"} {
		cands = append(cands, MustParse(n))
	}
	steps, err := Plan(MustParse("P0S3-04-1-00"), MustParse(DefaultTarget), cands...)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"P0S3-04-4-00", "P0S3-05-3-00", "P0S3-06-0-00", "P0S3-07-4-00", "P0S3-8-12-00"}
	if got := names(steps); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v (newest per band, no optional 8.x stops)", got, want)
	}
	for _, s := range steps {
		if s.Default {
			t.Errorf("%s marked default though it is a candidate", s.Image)
		}
	}

	// An optional stop is taken when it is available.
	steps, err = Plan(MustParse("P0S3-07-4-00"), MustParse(DefaultTarget), append(cands, MustParse("P0S3-08-2-00"))...)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(steps); !slices.Equal(got, []string{"P0S3-08-2-00", "P0S3-8-12-00"}) {
		t.Errorf("with 8.2 available: %v", got)
	}

	// A mandatory stop with no candidate falls back to the default name.
	steps, err = Plan(MustParse("P0S3-05-3-00"), MustParse(DefaultTarget), MustParse("P0S3-07-4-00"), MustParse("P0S3-8-12-00"))
	if err != nil {
		t.Fatal(err)
	}
	if got := names(steps); !slices.Equal(got, []string{"P0S3-06-3-00", "P0S3-07-4-00", "P0S3-8-12-00"}) {
		t.Fatalf("got %v", got)
	}
	if !steps[0].Default || !slices.ContainsFunc(steps[0].Notes, func(n string) bool { return strings.Contains(n, "not among the available loads") }) {
		t.Errorf("fallback step not flagged: %+v", steps[0])
	}
}

func TestSkipsStep(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"P0S3-04-4-00", "P0S3-07-5-00", true},
		{"P0S30203", "P0S3-05-1-00", true},
		{"P0S3-04-4-00", "P0S3-05-1-00", false},
		{"P0S3-06-3-00", "P0S3-07-5-00", false},
		{"P0S3-07-5-00", "P0S3-8-12-00", false}, // 8.2/8.6 are the how-to's, not Cisco's
		{"P0S3-06-3-00", "P0S3-8-12-00", true},
		{"P003AM30", "P0S3-04-4-00", true},
		{"P003AM30", "P0S30203", false},
		{"P00303030300", "P0S3-8-12-00", true},
		{"P00308010200", "P0S3-8-12-00", false},
		{"P0S3-8-12-00", "P0S3-06-3-00", true},
		{"P0S3-8-12-00", "P0S3-04-4-00", false}, // impossible, not a skip: SignedDowngrade
	}
	for _, tt := range tests {
		if got := SkipsStep(MustParse(tt.from), MustParse(tt.to)); got != tt.want {
			t.Errorf("SkipsStep(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}
