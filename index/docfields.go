package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The offline build analyses documents itself instead of through bleve's
// mapping (MapDocument walks each document by reflection, a field per
// mapped property, and each field is then analysed on its own): it builds
// the same fields with the same analyzers (TestFieldsAsMapped checks
// that every field's length and term frequencies are what the mapping
// gives), and analyses the texts an operation document repeats from its
// connector (connector name and id, publisher, categories) once per
// worker instead of once per operation, a quarter of the analysis.

// fieldAnalyzers are the two analyzers of the mapping.
type fieldAnalyzers struct {
	text, prefix analysis.Analyzer
}

func newFieldAnalyzers(m *mapping.IndexMappingImpl) (fieldAnalyzers, error) {
	fa := fieldAnalyzers{text: m.AnalyzerNamed(textAnalyzerName), prefix: m.AnalyzerNamed(prefixAnalyzerName)}
	if fa.text == nil || fa.prefix == nil {
		return fa, fmt.Errorf("index mapping: analyzers %s and %s not found", textAnalyzerName, prefixAnalyzerName)
	}
	return fa, nil
}

// analysedText is one field's analysis: its token count and term
// frequencies. The frequencies of a shared analysis are never written: a
// field that occurs once in a document is only read by the segment
// builder (which merges into the first occurrence of a field that occurs
// twice: newText gives every such field its own map).
type analysedText struct {
	length int
	freqs  bindex.TokenFrequencies
}

func analyse(a analysis.Analyzer, text string) analysedText {
	toks := a.Analyze([]byte(text))
	return analysedText{length: len(toks), freqs: analysis.TokenFrequency(toks, nil, bindex.IndexField)}
}

// merge adds o's tokens to t (t's map must be its own).
func (t *analysedText) merge(field string, o analysedText) {
	t.length += o.length
	t.freqs.MergeAll(field, o.freqs)
}

// docAnalyser analyses the documents of one worker.
type docAnalyser struct {
	fieldAnalyzers
	// shared caches the analysis of the texts repeated on every
	// operation of a connector, by field and text.
	shared map[[2]string]analysedText
}

func (fa fieldAnalyzers) newDocAnalyser() *docAnalyser {
	return &docAnalyser{fieldAnalyzers: fa, shared: map[[2]string]analysedText{}}
}

// cached is the text analysis of a repeated text of field.
func (da *docAnalyser) cached(field, text string) analysedText {
	k := [2]string{field, text}
	t, ok := da.shared[k]
	if !ok {
		t = da.analyse(da.text, text)
		da.shared[k] = t
	}
	return t
}

// document builds the analysed bleve document of d, with its _id field:
// the fields MapDocument and Analyze give for the mapping, one per
// property and field mapping (an empty text too: the segment builder
// records the field for the document, and the index is then the same
// byte for byte), name_ng once for both the name and the alias, and one
// categories field for all of them.
func (da *docAnalyser) document(id string, d document) *bdoc.Document {
	doc := bdoc.NewDocument(id)
	add := func(field string, t analysedText) {
		doc.AddField(&analysedField{name: field, analysedText: t})
	}
	ng := da.analyse(da.prefix, d.Name)
	ng.merge(fNameNg, da.analyse(da.prefix, d.Alias))
	add(fName, da.analyse(da.text, d.Name))
	add(fNameNg, ng)
	add(fAlias, da.analyse(da.text, d.Alias))
	add(fOperation, da.analyse(da.text, d.Operation))
	add(fConnector, da.cached(fConnector, d.Connector))
	add(fDescription, da.analyse(da.text, d.Description))
	add(fPublisher, da.cached(fPublisher, d.Publisher))
	if len(d.Categories) > 0 {
		add(fCategories, da.categories(d.Categories))
	}
	// The segment builder analyses nothing: the _id field (indexed as
	// one term, and stored) is analysed here like the others.
	doc.AddIDField()
	doc.Fields[len(doc.Fields)-1].Analyze()
	return doc
}

// analyse is the analysis of text by a; an empty text has no token.
func (da *docAnalyser) analyse(a analysis.Analyzer, text string) analysedText {
	if text == "" {
		return analysedText{freqs: bindex.TokenFrequencies{}}
	}
	return analyse(a, text)
}

// categories is the analysis of all the categories as one field (the
// segment builder merges a field given once per category the same way).
func (da *docAnalyser) categories(cats []string) analysedText {
	k := [2]string{fCategories, strings.Join(cats, "\x00")}
	t, ok := da.shared[k]
	if !ok {
		for i, c := range cats {
			if i == 0 {
				t = da.analyse(da.text, c)
			} else {
				t.merge(fCategories, da.analyse(da.text, c))
			}
		}
		da.shared[k] = t
	}
	return t
}

// analysedField is an indexed text field analysed ahead (not stored, no term
// vectors, no doc values: what the mapping's text fields are).
type analysedField struct {
	name string
	analysedText
}

func (f *analysedField) Name() string                                      { return f.name }
func (f *analysedField) ArrayPositions() []uint64                          { return nil }
func (f *analysedField) Options() bindex.FieldIndexingOptions              { return bindex.IndexField }
func (f *analysedField) Analyze()                                          {}
func (f *analysedField) Value() []byte                                     { return nil }
func (f *analysedField) NumPlainTextBytes() uint64                         { return 0 }
func (f *analysedField) Size() int                                         { return 64 + f.freqs.Size() }
func (f *analysedField) EncodedFieldType() byte                            { return 't' }
func (f *analysedField) AnalyzedLength() int                               { return f.length }
func (f *analysedField) AnalyzedTokenFrequencies() bindex.TokenFrequencies { return f.freqs }
