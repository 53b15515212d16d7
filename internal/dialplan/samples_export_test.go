package dialplan

import "math/rand/v2"

// Samples (test only) returns up to n numbers drawn from each set of numbers the plan
// was built from (route patterns, extensions, feature codes), with tails
// of one to four digits where a pattern has no fixed length. Tests type
// them into the phone's matcher to show nothing is dialled too early.
func Samples(p Plan, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	var out []string
	for _, c := range p.accepted {
		for k := 0; k < n; k++ {
			var b []byte
			for _, cl := range c.p.fixed {
				m := (cl & keypad).members()
				if len(m) == 0 {
					b = nil
					break
				}
				b = append(b, symChar(m[r.IntN(len(m))]))
			}
			if b == nil {
				continue
			}
			if c.p.tail != tailNone {
				extra := r.IntN(5)
				if c.p.tail == tailOneOrMore && extra == 0 {
					extra = 1
				}
				for i := 0; i < extra; i++ {
					b = append(b, byte('0'+r.IntN(10)))
				}
			}
			out = append(out, string(b))
		}
	}
	return out
}
