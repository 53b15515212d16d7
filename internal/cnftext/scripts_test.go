package cnftext

import "testing"

func TestTextOtherScripts(t *testing.T) {
	for in, want := range map[string]string{
		"Иван Петров":      "Ivan Petrov",
		"Олена Шевчук":     "Olena Shevchuk",
		"Νίκος Παππάς":     "Nikos Pappas",
		"ЩУКИН Юрий":       "ShchUKIN Yurii",
		"Ђорђе Њего":       "Djordje Njego",
		"Θεόδωρος Ψαράς":   "Theodoros Psaras",
		"Объект":           "Obekt",
		"Müller Иван 201":  "Muller Ivan 201",
		"Жанна Ёлкина-Цой": "Zhanna Elkina-Tsoi",
	} {
		if got := Text(in, MaxDisplayName); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
