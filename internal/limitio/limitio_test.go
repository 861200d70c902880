package limitio

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadAll(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		limit int64
		want  string
		over  bool
	}{
		{"", 3, "", false},
		{"ab", 3, "ab", false},
		{"abc", 3, "abc", false}, // exactly at the bound is not over
		{"abcd", 3, "abc", true},
		{"abcdefgh", 3, "abc", true},
		{"a", 0, "", true},
		{"", 0, "", false},
		{"a", -5, "", true},
	} {
		got, over, err := ReadAll(strings.NewReader(tc.in), tc.limit)
		if err != nil || string(got) != tc.want || over != tc.over {
			t.Errorf("ReadAll(%q, %d) = %q, %v, %v; want %q, %v, nil", tc.in, tc.limit, got, over, err, tc.want, tc.over)
		}
	}
}

// ReadAll stops one byte past the limit: a reader that never ends is
// read no further.
func TestReadAllStopsPastLimit(t *testing.T) {
	t.Parallel()
	r := &countingReader{}
	got, over, err := ReadAll(r, 10)
	if err != nil || !over || len(got) != 10 || r.n != 11 {
		t.Fatalf("got %d bytes, over %v, err %v, %d bytes read; want 10, true, nil, 11", len(got), over, err, r.n)
	}
}

func TestReadAllError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	got, over, err := ReadAll(io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(boom)), 10)
	if !errors.Is(err, boom) || string(got) != "ab" || over {
		t.Fatalf("got %q, over %v, err %v; want \"ab\", false, boom", got, over, err)
	}
}

// countingReader is an endless stream of 'x' that counts what was read.
type countingReader struct{ n int }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	c.n += len(p)
	return len(p), nil
}
