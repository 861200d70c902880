package defs

// SetPoisonFreed makes buffers given back to the pool be overwritten and
// dropped instead of reused (see poisonFreed); it returns a function that
// restores reuse.
func SetPoisonFreed() (restore func()) {
	poisonFreed = true
	return func() { poisonFreed = false }
}
