package mock

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/lazyre"
)

// route is one operation's path template, compiled.
type route struct {
	op     *catalog.Operation
	method string
	full   []segment // base path + operation path
	bare   []segment // operation path alone
	// normFull and normBare are full and bare without empty segments.
	normFull, normBare []segment
	lits               int // literal segments, for ranking
	chars              int // literal characters, for ranking

	once     sync.Once
	prepared *prepared
}

// segment matches one path segment: a literal, a whole-segment parameter,
// or a mix such as "Databases({id})".
type segment struct {
	lit   string
	param string // whole-segment parameter name
	re    *regexp.Regexp
	names []string // parameter names of re's groups
}

func newRoute(basePath string, op *catalog.Operation) *route {
	path := op.Path
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	rt := &route{op: op, method: strings.ToUpper(op.Method)}
	rt.bare = compile(path)
	bp := strings.Trim(basePath, "/")
	if bp != "" {
		rt.full = compile("/" + bp + "/" + strings.TrimLeft(path, "/"))
	} else {
		rt.full = rt.bare
	}
	rt.normFull, rt.normBare = dropEmpty(rt.full), dropEmpty(rt.bare)
	for _, s := range rt.full {
		switch {
		case s.param == "" && s.re == nil:
			rt.lits++
			rt.chars += len(s.lit)
		case s.re != nil:
			rt.chars += len(s.lit)
		}
	}
	return rt
}

var paramRE = lazyre.New(`\{([^{}/]*)\}`)

// compile splits a path template into segments. A trailing slash is a
// segment of its own: "/items/" and "/items/{id}" are different paths.
func compile(path string) []segment {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	out := make([]segment, 0, len(parts))
	for _, p := range parts {
		out = append(out, compileSegment(p))
	}
	return out
}

// dropEmpty removes empty literal segments, for the lenient second pass
// that ignores doubled and trailing slashes.
func dropEmpty(segs []segment) []segment {
	out := make([]segment, 0, len(segs))
	for _, s := range segs {
		if s.param == "" && s.re == nil && s.lit == "" {
			continue
		}
		out = append(out, s)
	}
	return out
}

func compileSegment(p string) segment {
	locs := paramRE.FindAllStringSubmatchIndex(p, -1)
	if len(locs) == 0 {
		return segment{lit: unescape(p)}
	}
	if len(locs) == 1 && locs[0][0] == 0 && locs[0][1] == len(p) {
		return segment{param: p[locs[0][2]:locs[0][3]]}
	}
	var expr strings.Builder
	var lit strings.Builder
	var names []string
	expr.WriteString("^")
	prev := 0
	for _, l := range locs {
		text := unescape(p[prev:l[0]])
		expr.WriteString(regexp.QuoteMeta(text))
		lit.WriteString(text)
		expr.WriteString("(.*?)")
		names = append(names, p[l[2]:l[3]])
		prev = l[1]
	}
	text := unescape(p[prev:])
	expr.WriteString(regexp.QuoteMeta(text))
	lit.WriteString(text)
	expr.WriteString("$")
	re, err := regexp.Compile(expr.String())
	if err != nil {
		return segment{lit: unescape(p)}
	}
	return segment{re: re, names: names, lit: lit.String()}
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// match returns the routes that fit the request, best first, with their
// path parameter values; or, when the path is known but not the method,
// the allowed methods. Paths are tried as sent, then without the base path
// (a base URL that already holds it), then ignoring doubled and trailing
// slashes.
func (h *handler) match(r *http.Request) ([]candidate, []string) {
	raw := r.URL.EscapedPath()
	exact, loose := splitPath(raw), dropEmptyStrings(splitPath(raw))
	passes := []struct {
		segs []string
		tmpl func(*route) []segment
	}{
		{exact, func(rt *route) []segment { return rt.full }},
		{exact, func(rt *route) []segment { return rt.bare }},
		{loose, func(rt *route) []segment { return rt.normFull }},
		{loose, func(rt *route) []segment { return rt.normBare }},
	}
	for _, pass := range passes {
		var cands []candidate
		var allowed []string
		for _, rt := range h.routes {
			params, ok := matchSegments(pass.tmpl(rt), pass.segs)
			if !ok {
				continue
			}
			// HEAD is answered like GET (net/http drops the body).
			if rt.method != r.Method && !(r.Method == http.MethodHead && rt.method == http.MethodGet) {
				allowed = appendNew(allowed, rt.method)
				continue
			}
			cands = append(cands, candidate{route: rt, params: params})
		}
		if len(cands) > 0 {
			sort.SliceStable(cands, func(i, j int) bool {
				a, b := cands[i].route, cands[j].route
				if a.lits != b.lits {
					return a.lits > b.lits
				}
				return a.chars > b.chars
			})
			// Only equally specific routes are alternatives: a request
			// for a literal path never falls back to a parameter route.
			n := 1
			for n < len(cands) && cands[n].route.lits == cands[0].route.lits && cands[n].route.chars == cands[0].route.chars {
				n++
			}
			return cands[:n], nil
		}
		if len(allowed) > 0 {
			sort.Strings(allowed)
			return nil, allowed
		}
	}
	return nil, nil
}

type candidate struct {
	route  *route
	params map[string]string
}

func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

func dropEmptyStrings(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func matchSegments(tmpl []segment, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, s := range tmpl {
		seg := unescape(segs[i])
		switch {
		case s.param != "":
			set(s.param, seg)
		case s.re != nil:
			m := s.re.FindStringSubmatch(seg)
			if m == nil {
				return nil, false
			}
			for j, name := range s.names {
				set(name, m[j+1])
			}
		default:
			if seg != s.lit {
				return nil, false
			}
		}
	}
	return params, true
}
