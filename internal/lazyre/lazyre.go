// Package lazyre is a regular expression compiled at its first use
// instead of at package initialisation.
//
// Every package linked into connex initialises before main runs, so a
// package-level regexp.MustCompile is paid by every process, `connex
// --version` included, whether or not it ever matches anything: a
// bounded repetition such as {0,199} compiles to hundreds of instructions
// (one such pattern cost 2,858 allocations at start). A package-level
// lazyre.New costs nothing until a method is called; the pattern is still
// checked, by MustCompile, at that first call (and by the package's tests,
// which exercise it).
//
// The methods are the *regexp.Regexp methods connex uses; add one when a
// caller needs it.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regexp.MustCompile deferred to its first use; safe for
// concurrent use, like *regexp.Regexp.
type Regexp struct {
	expr string
	rx   func() *regexp.Regexp
}

// New returns expr, to be compiled (regexp.MustCompile) at the first use.
func New(expr string) *Regexp {
	return &Regexp{expr: expr, rx: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// Regexp is the compiled expression (compiled now if it was not yet).
func (r *Regexp) Regexp() *regexp.Regexp { return r.rx() }

// String is the source text of the expression, without compiling it.
func (r *Regexp) String() string { return r.expr }

// MatchString is regexp.Regexp.MatchString.
func (r *Regexp) MatchString(s string) bool { return r.rx().MatchString(s) }

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.rx().FindStringSubmatch(s) }

// FindAllStringSubmatchIndex is regexp.Regexp.FindAllStringSubmatchIndex.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.rx().FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string { return r.rx().ReplaceAllString(src, repl) }
