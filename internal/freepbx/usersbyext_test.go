package freepbx

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// usersByExtension finds what a map filled from the users in order finds
// (the last of a duplicate extension), whether the database's order is Go's
// or not (a collation that sorts otherwise, odd extensions).
func TestUsersByExtension(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for round := range 40 {
		var users []User
		for i := range 30 + round {
			ext := fmt.Sprint(100 + r.IntN(40+round))
			if round%3 == 1 && i%7 == 0 {
				ext = []string{"Ä1", "a1", "A1", "1a", " 1"}[r.IntN(5)]
			}
			users = append(users, User{Extension: ext, Name: fmt.Sprint("n", i)})
		}
		if round%2 == 0 {
			sortUsersForTest(users)
		}
		want := map[string]string{}
		for _, u := range users {
			want[u.Extension] = u.Name
		}
		find := usersByExtension(users)
		for _, ext := range []string{"100", "101", "139", "999", "", "Ä1", "a1", "A1", "1a", " 1"} {
			name, ok := find([]byte(ext))
			if w, wok := want[ext]; name != w || ok != wok {
				t.Fatalf("round %d, %q: %q %v, want %q %v", round, ext, name, ok, w, wok)
			}
		}
	}
}

// sortUsersForTest sorts users by extension, stable, as ORDER BY extension
// would for digits.
func sortUsersForTest(users []User) {
	for i := 1; i < len(users); i++ {
		for j := i; j > 0 && users[j].Extension < users[j-1].Extension; j-- {
			users[j], users[j-1] = users[j-1], users[j]
		}
	}
}
