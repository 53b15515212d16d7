package spill

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"
)

// records are n records of varied sizes, some empty, some over a chunk.
func records(n int) [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([][]byte, n)
	for i := range out {
		size := r.IntN(300)
		if i%97 == 0 {
			size = chunk + r.IntN(chunk)
		}
		if i%13 == 0 {
			size = 0
		}
		b := make([]byte, size)
		for j := range b {
			b[j] = byte(i + j)
		}
		out[i] = b
	}
	return out
}

func check(t *testing.T, s *File, want [][]byte, offs []int64) {
	t.Helper()
	r, err := s.Reader()
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		got, err := r.Next()
		if err != nil || !bytes.Equal(got, w) {
			t.Fatalf("record %d: %d bytes, %v; want %d bytes", i, len(got), err, len(w))
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the last: %v, want io.EOF", err)
	}
	c, err := s.Cursor()
	if err != nil {
		t.Fatal(err)
	}
	// In order, backwards, and at random: each record where it starts.
	order := rand.New(rand.NewPCG(3, 4)).Perm(len(want))
	for pass, idx := range [][]int{nil, nil, order} {
		for k := range want {
			i := k
			switch pass {
			case 1:
				i = len(want) - 1 - k
			case 2:
				i = idx[k]
			}
			got, err := c.At(offs[i])
			if err != nil || !bytes.Equal(got, want[i]) {
				t.Fatalf("pass %d, record %d at %d: %d bytes, %v; want %d bytes", pass, i, offs[i], len(got), err, len(want[i]))
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, where := range []string{"file", "memory"} {
		t.Run(where, func(t *testing.T) {
			s := New(t.TempDir())
			if where == "memory" {
				s = InMemory()
			} else if s.f == nil {
				t.Fatal("no temporary file made")
			}
			defer s.Close()
			want := records(3000)
			var offs []int64
			for _, r := range want {
				off, err := s.Append(r)
				if err != nil {
					t.Fatal(err)
				}
				offs = append(offs, off)
			}
			if s.Len() != len(want) {
				t.Fatalf("Len %d, want %d", s.Len(), len(want))
			}
			if where == "file" && s.off == 0 {
				t.Fatal("nothing went to the file")
			}
			check(t, s, want, offs)
		})
	}
}

// The file is nameless: the temporary directory holds nothing of it.
func TestNothingLeftInTheDirectory(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	defer s.Close()
	s.Append([]byte("secret"))
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("%s holds %v", dir, ents)
	}
}

// A file that stops taking records (a full /tmp) midway loses none: what
// it holds and the rest are kept in memory, where they were.
func TestFileFailsMidway(t *testing.T) {
	s := New(t.TempDir())
	defer s.Close()
	want := records(4000)
	var offs []int64
	for i, r := range want {
		if i == 2000 {
			if s.off == 0 {
				t.Fatal("nothing went to the file")
			}
			ro, err := os.Open(fmt.Sprintf("/proc/self/fd/%d", s.f.Fd()))
			if err != nil {
				t.Skip("cannot reopen the temporary file:", err)
			}
			s.f.Close()
			s.f = ro // the next write fails
		}
		off, err := s.Append(r)
		if err != nil {
			t.Fatal(err)
		}
		offs = append(offs, off)
	}
	if s.f != nil || s.Note() == "" {
		t.Fatalf("file %v, note %q: want the records in memory, and said", s.f, s.Note())
	}
	check(t, s, want, offs)
}

// Bytes that are not a record are an error, never a record made up.
func TestDamaged(t *testing.T) {
	s := InMemory()
	s.Append([]byte("0123456789"))
	whole := append([]byte(nil), s.mem...)
	for cut := range len(whole) {
		s.mem = whole[:cut]
		r, _ := s.Reader()
		if b, err := r.Next(); !errors.Is(err, ErrDamaged) {
			t.Errorf("cut to %d bytes: %q, %v", cut, b, err)
		}
		c, _ := s.Cursor()
		if b, err := c.At(0); !errors.Is(err, ErrDamaged) {
			t.Errorf("cut to %d bytes, At: %q, %v", cut, b, err)
		}
	}
}

// Records read in another order than written (the inventory's phones by
// MAC, written in a source's order) read little more than themselves;
// read in order, they come from windows read ahead.
func TestCursorReadsLittle(t *testing.T) {
	s := New(t.TempDir())
	defer s.Close()
	var offs []int64
	for i := range 5000 {
		off, err := s.Append([]byte(fmt.Sprintf("phone %05d with a line and a secret ......................", i)))
		if err != nil {
			t.Fatal(err)
		}
		offs = append(offs, off)
	}
	c, err := s.Cursor()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range rand.New(rand.NewPCG(1, 1)).Perm(len(offs)) {
		if _, err := c.At(offs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if per := c.read / int64(len(offs)); per > 2*jumpRead {
		t.Errorf("at random: %d bytes read a record", per)
	}
	c, _ = s.Cursor()
	for _, off := range offs {
		if _, err := c.At(off); err != nil {
			t.Fatal(err)
		}
	}
	if c.read > 2*s.off {
		t.Errorf("in order: %d bytes read for a file of %d", c.read, s.off)
	}
}
