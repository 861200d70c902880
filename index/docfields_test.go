package index

import (
	"maps"
	"testing"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/connex-dev/connex/catalog"
)

// fieldSums is a document's indexed fields as the segment builder sums
// them: per field name, the token count and each term's frequency, as
// analysed (the builder itself analyses nothing).
type fieldSums map[string]fieldSum

type fieldSum struct {
	length int
	freqs  map[string]int
}

func sumFields(d *bdoc.Document) fieldSums {
	out := fieldSums{}
	for _, f := range d.Fields {
		s := out[f.Name()]
		if s.freqs == nil {
			s.freqs = map[string]int{}
		}
		s.length += f.AnalyzedLength()
		for term, tf := range f.AnalyzedTokenFrequencies() {
			s.freqs[term] += tf.Frequency()
		}
		out[f.Name()] = s
	}
	return out
}

// mappedDocument is what bleve's mapping gives for d: the reference the
// build's own analysis must match.
func mappedDocument(t testing.TB, m *mapping.IndexMappingImpl, id string, d document) *bdoc.Document {
	t.Helper()
	doc := bdoc.NewDocument(id)
	if err := m.MapDocument(doc, d); err != nil {
		t.Fatal(err)
	}
	doc.AddIDField()
	for _, f := range doc.Fields {
		f.Analyze() // what scorch does before it builds a segment
	}
	return doc
}

// The build's analysis gives every document the fields, token counts and
// term frequencies the mapping gives: the built-in sample (with
// categories and aliases added), then the union of the shared samples
// when present.
func TestFieldsAsMapped(t *testing.T) {
	t.Run("sample", func(t *testing.T) {
		sample := catalog.Sample()
		for i, c := range sample.Connectors {
			c.Categories = append(c.Categories, "Productivity", "IT Operations")[:1+i%2]
			c.Aliases = append(c.Aliases, "fooBarV2")
		}
		checkFieldsAsMapped(t, sample)
	})
	t.Run("union", func(t *testing.T) { checkFieldsAsMapped(t, unionCatalog(t)) })
}

func checkFieldsAsMapped(t *testing.T, cat *catalog.Catalog) {
	m, err := buildMapping()
	if err != nil {
		t.Fatal(err)
	}
	fa, err := newFieldAnalyzers(m)
	if err != nil {
		t.Fatal(err)
	}
	p := newPlan(cat)
	da := fa.newDocAnalyser()
	checked := 0
	for ord, d := range p.docs {
		want := sumFields(mappedDocument(t, m, p.ids[ord], d))
		got := sumFields(da.document(p.ids[ord], d))
		if !maps.EqualFunc(got, want, func(a, b fieldSum) bool {
			return a.length == b.length && maps.Equal(a.freqs, b.freqs)
		}) {
			t.Fatalf("%s: fields %v, the mapping gives %v", p.ids[ord], got, want)
		}
		checked++
	}
	if checked != docCount(cat) || checked == 0 {
		t.Fatalf("checked %d documents of %d", checked, docCount(cat))
	}
	t.Logf("%d documents as mapped", checked)
}
