package audit

import (
	"errors"
	"fmt"

	"github.com/connex-dev/connex/internal/opt"
	"github.com/connex-dev/connex/scraper/defs"
)

// Limits bound what reading one input may cost. Flows and solutions come
// from other people: an archive can be a zip bomb, name entries outside
// itself, or hold JSON nested deep enough to exhaust the stack.
type Limits struct {
	// MaxArchiveSize is the largest .zip read, in bytes on disk. A flow
	// export is kilobytes; a solution with apps a few MiB.
	MaxArchiveSize int64
	// MaxEntries caps the entries an archive may list (checked before the
	// central directory is loaded, so listing costs no memory).
	MaxEntries int
	// MaxEntrySize caps one decompressed entry, and one plain JSON file.
	MaxEntrySize int64
	// MaxTotalSize caps the bytes decompressed from one archive.
	MaxTotalSize int64
	// MaxRatio caps an entry's decompressed/compressed ratio once it is
	// larger than RatioFloor: real JSON compresses 5 to 30 times, a bomb
	// hundreds or thousands of times.
	MaxRatio   int64
	RatioFloor int64
	// MaxJSONDepth caps the nesting of objects and arrays in one document.
	MaxJSONDepth int
	// MaxActionDepth caps nested scopes, conditions, switches and loops.
	MaxActionDepth int
	// MaxFiles caps the files a folder walk looks at.
	MaxFiles int
}

// DefaultLimits are the limits of `connex audit`. Per-entry and entry-count
// caps reuse the definitions import's (a flow definition is JSON of the
// same order of size as a connector definition).
func DefaultLimits() Limits {
	return Limits{
		MaxArchiveSize: 100 << 20,
		MaxEntries:     10_000,
		MaxEntrySize:   defs.MaxFileSize,
		MaxTotalSize:   128 << 20,
		MaxRatio:       200,
		RatioFloor:     1 << 20,
		MaxJSONDepth:   512,
		MaxActionDepth: 128,
		MaxFiles:       defs.MaxArchiveEntries,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	l.MaxArchiveSize = opt.Positive(l.MaxArchiveSize, d.MaxArchiveSize)
	l.MaxEntries = opt.Positive(l.MaxEntries, d.MaxEntries)
	l.MaxEntrySize = opt.Positive(l.MaxEntrySize, d.MaxEntrySize)
	l.MaxTotalSize = opt.Positive(l.MaxTotalSize, d.MaxTotalSize)
	l.MaxRatio = opt.Positive(l.MaxRatio, d.MaxRatio)
	l.RatioFloor = opt.Positive(l.RatioFloor, d.RatioFloor)
	l.MaxJSONDepth = opt.Positive(l.MaxJSONDepth, d.MaxJSONDepth)
	l.MaxActionDepth = opt.Positive(l.MaxActionDepth, d.MaxActionDepth)
	l.MaxFiles = opt.Positive(l.MaxFiles, d.MaxFiles)
	return l
}

// Sentinel errors, matched with errors.Is.
var (
	// ErrTooLarge: an archive, entry or file is over a size or count limit.
	ErrTooLarge = errors.New("too large")
	// ErrZipBomb: an entry decompresses far more than real JSON does.
	ErrZipBomb = errors.New("suspicious compression ratio (zip bomb?)")
	// ErrUnsafePath: an archive entry names a path outside the archive.
	ErrUnsafePath = errors.New("unsafe entry name")
	// ErrTooDeep: JSON or action nesting is over the limit.
	ErrTooDeep = errors.New("nested too deeply")
	// ErrNotFlow: the input holds no flow definition.
	ErrNotFlow = errors.New("no flow definition found")
)

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
