package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/unique"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion is the version of the mapping, the analysis and the side
// table. Bump it whenever any of them changes: an index built with another
// version is rebuilt by OpenOrBuild.
const MappingVersion = 4

// docType is the one document type of the index.
const docType = "entry"

// Index field names. Text fields hold words for ranking; name_ng holds the
// prefixes (edge n-grams) of the name words, so that the word being typed
// is one term lookup whatever its length. Kind, tier, products, publisher
// kind, preview, deprecated and internal are not indexed at all: the side
// table (table.go) answers filters and facets from memory, which is faster
// and keeps the build small (indexing them as keywords cost ~30% of it).
const (
	fName        = "name"        // connector name, or the operation's summary
	fOperation   = "operation"   // operation id
	fConnector   = "connector"   // the connector's name, on operation documents
	fDescription = "description" // connector or operation description
	fPublisher   = "publisher"
	fCategories  = "categories"
	fNameNg      = "name_ng"
	// fAlias holds a connector's id and aliases (folder name, shared_
	// API name) on connector documents; their prefixes go to name_ng.
	fAlias = "alias"
)

// document is what gets indexed; its json names are the mapping's
// property names.
type document struct {
	Name        string   `json:"name"`
	Alias       string   `json:"alias,omitempty"`
	Operation   string   `json:"operation,omitempty"`
	Connector   string   `json:"connector,omitempty"`
	Description string   `json:"description,omitempty"`
	Publisher   string   `json:"publisher,omitempty"`
	Categories  []string `json:"categories,omitempty"`
}

// Type names the document type for bleve's mapping.
func (document) Type() string { return docType }

// buildMapping is the whole index mapping: one explicit document type,
// dynamic and default mappings off, nothing stored, no doc values or term
// vectors (the side table answers filters, facets and ids).
func buildMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.DefaultType = docType
	im.DefaultAnalyzer = textAnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	im.DefaultMapping.Enabled = false
	im.DefaultMapping.Dynamic = false

	if err := im.AddCustomTokenFilter(uniqueFilterName, map[string]interface{}{
		"type": unique.Name,
	}); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	if err := im.AddCustomAnalyzer(textAnalyzerName, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{CamelFilterName, lowercase.Name},
	}); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	if err := im.AddCustomAnalyzer(prefixAnalyzerName, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{PartsFilterName, lowercase.Name, EdgeFilterName, uniqueFilterName},
	}); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}

	// A text field that is indexed and nothing else: not stored, not in
	// _all, no term vectors, no doc values (NewTextFieldMapping turns all
	// of those on).
	text := func(name, analyzer string) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Name: name, Analyzer: analyzer, Index: true}
	}
	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fName, text(fName, textAnalyzerName), text(fNameNg, prefixAnalyzerName))
	dm.AddFieldMappingsAt(fAlias, text(fAlias, textAnalyzerName), text(fNameNg, prefixAnalyzerName))
	dm.AddFieldMappingsAt(fOperation, text(fOperation, textAnalyzerName))
	dm.AddFieldMappingsAt(fConnector, text(fConnector, textAnalyzerName))
	dm.AddFieldMappingsAt(fDescription, text(fDescription, textAnalyzerName))
	dm.AddFieldMappingsAt(fPublisher, text(fPublisher, textAnalyzerName))
	dm.AddFieldMappingsAt(fCategories, text(fCategories, textAnalyzerName))
	// No "_all" composite field: every query names its fields, and the
	// composite would re-index every token.
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	im.AddDocumentMapping(docType, dm)

	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return im, nil
}
