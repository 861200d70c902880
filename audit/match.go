package audit

import (
	"strings"
	"unicode/utf8"

	"github.com/connex-dev/connex/catalog"
)

// Older exports name no operation: an action gives a method and a path in
// which expressions stand for the parameters
// ("/datasets/@{encodeURIComponent('...')}/tables/@{...}/items"), and the
// operation is the definition's path template
// ("/{connectionId}/datasets/{dataset}/tables/{table}/items") that matches.
// Both sides are patterns: an expression can produce any text, and so can
// a {parameter}; they match when some text fits both, segment by segment.

// wild stands for "any text" in a segment pattern (an expression or a
// {parameter}); real paths never hold a NUL.
const wild = '\x00'

// template is one operation's path, split for matching.
type template struct {
	op       *catalog.Operation
	method   string
	segs     []string
	literals int // literal characters: more is more specific
}

func compileTemplates(conn *catalog.Connector) []template {
	var out []template
	for _, op := range conn.Operations {
		if op.Method == "" || op.Path == "" {
			continue
		}
		p := strings.TrimPrefix(op.Path, "/{connectionId}")
		segs := splitPath(replaceParams(p))
		n := 0
		for _, s := range segs {
			n += len(s) - strings.Count(s, string(wild))
		}
		out = append(out, template{op: op, method: strings.ToUpper(op.Method), segs: segs, literals: n})
	}
	return out
}

// replaceParams turns "{name}" into the wildcard.
func replaceParams(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '{' {
			if j := strings.IndexByte(p[i:], '}'); j > 0 {
				b.WriteByte(wild)
				i += j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// replaceExpressions turns each "@{...}" of a flow's path into the
// wildcard. Braces nest and quoted strings ('...', with ” as a quote)
// may hold braces or slashes, so this counts rather than uses a regexp.
// An unterminated expression swallows the rest of the path.
func replaceExpressions(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '@' && i+1 < len(p) && p[i+1] == '{' {
			depth, inStr := 0, false
			j := i + 1
			for ; j < len(p); j++ {
				c := p[j]
				if inStr {
					if c == '\'' {
						inStr = false
					}
					continue
				}
				if c == '\'' {
					inStr = true
				} else if c == '{' {
					depth++
				} else if c == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			b.WriteByte(wild)
			i = j
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// flowPathSegments prepares a flow's path: expressions become wildcards,
// the query string goes, and a leading "@" expression form
// ("@{...}/items" or "@concat(...)") is treated as one wildcard.
func flowPathSegments(p string) []string {
	p = strings.TrimSpace(p)
	if strings.HasPrefix(p, "@") && !strings.HasPrefix(p, "@{") {
		return nil // the whole path is computed: nothing to match
	}
	p = replaceExpressions(p)
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return splitPath(p)
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return []string{}
	}
	return strings.Split(p, "/")
}

// matchPath returns the operation whose template best fits the call's
// method and path: the most literal characters win. ambiguous is true
// when two operations fit equally well.
func matchPath(tmpls []template, method, p string) (best *catalog.Operation, ambiguous []*catalog.Operation) {
	segs := flowPathSegments(p)
	if segs == nil {
		return nil, nil
	}
	method = strings.ToUpper(method)
	bestScore := -1
	for _, t := range tmpls {
		if t.method != method || len(t.segs) != len(segs) {
			continue
		}
		ok := true
		for i := range segs {
			if !segmentsMatch(t.segs[i], segs[i]) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		switch {
		case t.literals > bestScore:
			best, bestScore, ambiguous = t.op, t.literals, nil
		case t.literals == bestScore:
			if ambiguous == nil {
				ambiguous = []*catalog.Operation{best}
			}
			ambiguous = append(ambiguous, t.op)
		}
	}
	return best, ambiguous
}

// segmentsMatch reports whether some text fits both segment patterns
// (letters compared without case, as the runtime's routing does).
func segmentsMatch(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	if len(ar) > 256 || len(br) > 256 {
		return a == b // hostile lengths: no quadratic work
	}
	memo := make(map[[2]int]bool)
	var fit func(i, j int) bool
	fit = func(i, j int) bool {
		if i == len(ar) && j == len(br) {
			return true
		}
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		var r bool
		switch {
		case i < len(ar) && ar[i] == wild:
			// The wildcard ends here, or eats one more rune of the
			// other side (a rune or the other's wildcard).
			r = fit(i+1, j) || (j < len(br) && fit(i, j+1))
		case j < len(br) && br[j] == wild:
			r = fit(i, j+1) || (i < len(ar) && fit(i+1, j))
		case i < len(ar) && j < len(br):
			r = equalFoldRune(ar[i], br[j]) && fit(i+1, j+1)
		}
		memo[k] = r
		return r
	}
	return fit(0, 0)
}

func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		return toLower(a) == toLower(b)
	}
	return strings.EqualFold(string(a), string(b))
}

func toLower(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}
