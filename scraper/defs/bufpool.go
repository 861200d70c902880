package defs

import (
	"math/bits"
	"sync"
)

// Buffers for file contents and their cleaned text are reused from one
// file to the next: an import reads ~160 MB of definition files and
// writes as much cleaned text, all of it garbage once a file is parsed
// (what the catalogue keeps is copied out, see packRaw). Reusing them
// takes two thirds of the import's allocations, and so of its garbage
// collections, away.
//
// Buffers are pooled by power-of-two capacity, from 4 KiB to MaxFileSize
// (plus the cleaner's 16 bytes of slack); smaller and larger ones are
// left to the garbage collector. sync.Pool drops what stays unused over
// two collections, so the pool does not hold memory after an import.
const (
	minPoolShift = 12
	maxPoolShift = 25 // 32 MiB > MaxFileSize+16
)

var bufPools [maxPoolShift + 1]sync.Pool

// poisonFreed is set by tests: a buffer given back is overwritten and
// dropped instead of reused, so anything still pointing into it shows.
var poisonFreed bool

// getBuf returns a buffer of length n whose capacity is n rounded up to
// a power of two (so it also fits the cleaned text: see cleanBuf).
func getBuf(n int) []byte {
	shift := max(minPoolShift, bits.Len(uint(n+16-1)))
	if shift > maxPoolShift {
		return make([]byte, n)
	}
	if p, ok := bufPools[shift].Get().(*[]byte); ok {
		return (*p)[:n]
	}
	return make([]byte, n, 1<<shift)
}

// cleanBuf returns a buffer for the cleaned text of data (its capacity
// is what jsonx.CompactInto needs).
func cleanBuf(data []byte) []byte { return getBuf(len(data))[:0] }

// putBuf gives a buffer from getBuf back once nothing refers to it.
// Other buffers (nil, or made elsewhere) are ignored.
func putBuf(b []byte) {
	c := cap(b)
	if c == 0 || c&(c-1) != 0 {
		return
	}
	shift := bits.Len(uint(c)) - 1
	if shift < minPoolShift || shift > maxPoolShift {
		return
	}
	b = b[:c]
	if poisonFreed {
		for i := range b {
			b[i] = 0xAA
		}
		return
	}
	bufPools[shift].Put(&b)
}
