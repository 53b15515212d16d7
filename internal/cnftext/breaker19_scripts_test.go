package cnftext

import "testing"

// TestB19NamesInOtherScripts: Text promises a name "transliterated to
// printable ASCII", and does so for Latin letters (Müller -> Muller,
// Łukasz -> Lukasz), but a name written in Cyrillic or Greek, as FreePBX
// sites in Russia, Ukraine, Bulgaria, Serbia or Greece type them into
// users.name, comes out empty: every letter is dropped. The phone then
// shows the bare extension as the line's display name and short name, the
// label reads "201 201", and the company directory lists numbers sorted
// under "0-9" instead of people. These alphabets have standard Latin
// transliterations (ISO 9 / BGN-PCGN for Cyrillic, ELOT 743 for Greek) that
// a 7940/7960 can show; an admin expects "Ivan Petrov" as for "Jürgen".
func TestB19NamesInOtherScripts(t *testing.T) {
	for in, want := range map[string]string{
		"Иван Петров":  "Ivan Petrov",
		"Олена Шевчук": "Olena Shevchuk",
		"Νίκος Παππάς": "Nikos Pappas",
	} {
		if got := Text(in, MaxDisplayName); got == "" {
			t.Errorf("Text(%q) = %q: the whole name is lost; want a Latin transliteration such as %q", in, got, want)
		}
	}
}
