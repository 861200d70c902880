// Package limitio reads untrusted input up to a bound. Every reader of a
// reply, page, body or archive entry needs the same two answers, the bytes
// and whether there were more, and the one way to learn the second (read
// one byte past the bound) is written here once instead of at each of
// them.
package limitio

import (
	"io"
	"math"
)

// ReadAll reads r to its end, but no more than limit+1 bytes. over
// reports that r held more than limit bytes; data is then its first limit
// bytes, for a caller that keeps the cut rather than refusing the input.
// err is the read's error, with the bytes read before it. A negative
// limit is 0.
func ReadAll(r io.Reader, limit int64) (data []byte, over bool, err error) {
	limit = min(max(limit, 0), math.MaxInt64-1) // limit+1 must not overflow
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true, err
	}
	return data, false, err
}
