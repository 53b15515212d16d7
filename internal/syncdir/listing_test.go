package syncdir

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"testing"
)

// The packed listing answers as the map it replaced: each name's type,
// nothing for a name not listed or removed, every entry in name order.
func TestListingAsMap(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 5000} {
		rnd := rand.New(rand.NewPCG(uint64(n), 2))
		want := map[string]fs.FileMode{}
		var b listingBuilder
		types := []fs.FileMode{0, fs.ModeDir, fs.ModeSymlink, fs.ModeNamedPipe}
		for len(want) < n {
			name := fmt.Sprintf("SIP%012X.cnf", rnd.Uint64()>>16)
			if rnd.IntN(5) == 0 {
				name = string([]byte{byte(rnd.IntN(255) + 1), 'x', '\n', 0xff})
			}
			if _, dup := want[name]; dup {
				continue
			}
			typ := types[rnd.IntN(len(types))]
			want[name] = typ
			b.add([]byte(name), typ)
		}
		l := b.done()
		removed := 0
		for name := range want {
			if rnd.IntN(10) == 0 {
				l.remove(name)
				delete(want, name)
				removed++
			}
		}
		for name, typ := range want {
			if got, ok := l.typ(name); !ok || got != typ {
				t.Errorf("%d: %q: %v %v, want %v", n, name, got, ok, typ)
			}
		}
		for _, name := range []string{"", "SIP.cnf", "x", "SIP000000000000.cnfx"} {
			if _, ok := want[name]; !ok {
				if _, ok := l.typ(name); ok {
					t.Errorf("%d: %q listed", n, name)
				}
			}
		}
		var names []string
		for name, typ := range l.all() {
			if want[name] != typ {
				t.Errorf("%d: all: %q %v", n, name, typ)
			}
			names = append(names, name)
		}
		if len(names) != len(want) || !slices.IsSorted(names) {
			t.Errorf("%d: all gave %d names (want %d), sorted %v; %d removed", n, len(names), len(want), slices.IsSorted(names), removed)
		}
	}
}
