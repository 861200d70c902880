// Package opt fills the zero fields of an options struct. Every limit,
// timeout and size in connex's options follows one rule, written here
// once: a value above zero is the caller's, zero or below takes the
// default. For "empty takes the default" on strings and pointers, use the
// standard library's cmp.Or.
package opt

// Number is what Positive accepts: the integer and float kinds limits are
// written in, time.Duration included.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~float32 | ~float64
}

// Positive returns v when it is above zero, else def.
func Positive[T Number](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
