package index

import (
	"fmt"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// Filter bits: which filter a document fails. A facet's counts ignore the
// facet's own filter (see Result.Facets).
const (
	failKind uint8 = 1 << iota
	failTier
	failProduct
	failPublisher
	failPreview
	failDeprecated
)

// filters is a Query's filters, compiled against the table.
type filters struct {
	kinds         uint8 // bit per kind code; 0: any
	tier          uint8 // tier code + 1; 0: any
	products      uint8
	pubKinds      uint8 // bit per publisher kind code
	pubConns      []bool
	pubActive     bool
	pubFacetOwned bool // the publisher filter is a publisher kind only
	preview       int8 // -1 any, 0 no, 1 yes
	deprecated    DeprecatedMode
	internal      bool
	connector     int64 // -1 any, -2 unknown connector (nothing)
}

func compileFilters(t *table, q Query) (*filters, error) {
	f := &filters{preview: -1, connector: -1, internal: q.Internal}
	for _, k := range q.Kinds {
		found := false
		for code, name := range kindNames {
			if strings.EqualFold(strings.TrimSpace(k), name) {
				f.kinds |= 1 << code
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("kind %q: %w (want connector, action or trigger)", k, ErrInvalidQuery)
		}
	}
	switch strings.ToLower(strings.TrimSpace(q.Tier)) {
	case "":
	case string(catalog.TierStandard):
		f.tier = tierStandard + 1
	case string(catalog.TierPremium):
		f.tier = tierPremium + 1
	default:
		return nil, fmt.Errorf("tier %q: %w (want standard or premium)", q.Tier, ErrInvalidQuery)
	}
	for _, p := range q.Products {
		i := productIndex(p)
		if i < 0 {
			return nil, fmt.Errorf("product %q: %w (want one of %s)", p, ErrInvalidQuery, strings.Join(catalog.Products, ", "))
		}
		f.products |= 1 << i
	}
	if pub := strings.ToLower(strings.TrimSpace(q.Publisher)); pub != "" {
		f.pubActive = true
		words := strings.Fields(pub)
		isKind := false
		for code, name := range pubNames {
			if code > 0 && (pub == name || catalog.FoldName(pub) == catalog.FoldName(name+" publisher") || catalog.FoldName(pub) == catalog.FoldName(name+" partner")) {
				f.pubKinds |= 1 << code
				isKind = true
			}
		}
		f.pubConns = make([]bool, len(t.conns))
		nameHits := 0
		for i, c := range t.conns {
			if publisherMatches(c.publisher, words) {
				f.pubConns[i] = true
				nameHits++
			}
		}
		// "microsoft" is both a kind and a name: either matches. A kind
		// alone lets the publisher_kind facet show the other kinds.
		f.pubFacetOwned = isKind && nameHits == 0
	}
	if q.Preview != nil {
		f.preview = 0
		if *q.Preview {
			f.preview = 1
		}
	}
	switch q.Deprecated {
	case "", DeprecatedExclude:
		f.deprecated = DeprecatedExclude
	case DeprecatedInclude, DeprecatedOnly:
		f.deprecated = q.Deprecated
	default:
		return nil, fmt.Errorf("deprecated %q: %w (want exclude, include or only)", q.Deprecated, ErrInvalidQuery)
	}
	if id := strings.TrimSpace(q.Connector); id != "" {
		f.connector = -2
		for i, c := range t.conns {
			if c.id == id {
				f.connector = int64(i)
				break
			}
		}
		if f.connector == -2 {
			for i, c := range t.conns {
				if strings.EqualFold(c.id, id) {
					f.connector = int64(i)
					break
				}
			}
		}
	}
	return f, nil
}

// publisherMatches reports whether every query word starts a word of the
// publisher's name.
func publisherMatches(publisher string, words []string) bool {
	if publisher == "" {
		return false
	}
	pw := strings.FieldsFunc(publisher, func(r rune) bool { return !isWordRune(r) })
	for _, w := range words {
		ok := false
		for _, p := range pw {
			if strings.HasPrefix(p, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	return r == '.' || r == '&' || r == '\'' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127
}
