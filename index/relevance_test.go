package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
)

var (
	fullOnce sync.Once
	fullIx   *Index
	fullDir  string
	fullErr  error
)

// fullIndex builds the real catalogue's index on disk once per test
// binary (removed by TestMain).
func fullIndex(t *testing.T) (*Index, *catalog.Catalog) {
	t.Helper()
	cat := realdata.Catalog(t)
	fullOnce.Do(func() {
		fullDir, fullErr = os.MkdirTemp("", "connex-index-test")
		if fullErr != nil {
			return
		}
		path := filepath.Join(fullDir, "index")
		if fullErr = Build(context.Background(), path, cat); fullErr != nil {
			return
		}
		fullIx, fullErr = Open(path)
	})
	if fullErr != nil {
		t.Fatal(fullErr)
	}
	return fullIx, cat
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fullIx != nil {
		fullIx.Close()
	}
	if fullDir != "" {
		os.RemoveAll(fullDir)
	}
	if unionIx != nil {
		unionIx.Close()
	}
	if unionDir != "" {
		os.RemoveAll(unionDir)
	}
	os.Exit(code)
}

// Relevance on the full imported catalogue: exact ids expected at the top.
func TestRelevanceFullData(t *testing.T) {
	ix, _ := fullIndex(t)
	tests := []struct {
		name  string
		q     Query
		first []string // the first hits, in this order
		inTop []string // also somewhere in the first 10
	}{
		// camelCase operation ids, typed in any case or as words. The
		// three ids that are the query match alike; the connector
		// that keeps 53 deprecated operations beside its 25 visible
		// ones (factorHistory) comes first.
		{"camel exact", Query{Text: "SendEmailV3"}, []string{"documentscorepack/SendEmailV3", "mailjet/SendEmailv3", "mailjet/SendEmailv3-1"}, nil},
		{"camel lower", Query{Text: "sendemailv3"}, []string{"documentscorepack/SendEmailV3", "mailjet/SendEmailv3", "mailjet/SendEmailv3-1"}, nil},
		{"camel joined words", Query{Text: "sendemail"}, []string{"enate/SendEmailCommunication"}, []string{"documentscorepack/SendEmailV3", "iaconnectmicrosoftof/MSOutlookSendEmail"}},
		{"camel long id", Query{Text: "MSOutlookSendEmail"}, []string{"iaconnectmicrosoftof/MSOutlookSendEmail"}, nil},
		{"camel reversed parts", Query{Text: "EmailSend"}, []string{"pdfco/EmailSend"}, nil},
		// words
		// Names that are the query first, then the same words
		// elsewhere; of the names that are the query, Azure
		// Communication Services' (published by Microsoft, keeping its
		// deprecated preview) first.
		{"send email", Query{Text: "send email"}, []string{"azurecommunicationem/SendEmailGAVersion"}, []string{"resend/EmailPost", "documentscorepack/SendEmailV3"}},
		{"snake case", Query{Text: "send_email"}, []string{"azurecommunicationem/SendEmailGAVersion"}, []string{"resend/EmailPost", "documentscorepack/SendEmailV3"}},
		{"connector name", Query{Text: "mailjet"}, []string{"c:mailjet", "mailjet/CreateContact", "mailjet/CreateCampaignDraft"}, nil},
		// search as you type
		{"prefix", Query{Text: "mailj"}, []string{"c:mailjet"}, nil},
		{"prefix of second word", Query{Text: "zoho ma"}, nil, []string{"c:zohomail"}},
		// typos
		{"typo transposed", Query{Text: "mialjet"}, []string{"c:mailjet"}, nil},
		{"typo missing letter", Query{Text: "maljet"}, []string{"c:mailjet"}, nil},
		{"typo while typing", Query{Text: "mailjte"}, []string{"c:mailjet"}, nil},
		{"two typos in a word", Query{Text: "dokusgin"}, []string{"c:docusign"}, nil},
		{"a typo in each word", Query{Text: "sned emial"}, nil, []string{"azurecommunicationem/SendEmailGAVersion"}},
		// filters
		{"kind trigger", Query{Text: "mail", Kinds: []string{KindTrigger}}, []string{"zohomail/New_Mail_Trigger"}, nil},
		{"publisher kind", Query{Text: "mail", Kinds: []string{KindConnector}, Publisher: "independent"}, nil, []string{"c:mailjet", "c:mailinator"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, ix, tt.q)
			got := hitIDs(res.Hits)
			if len(got) < len(tt.first) || !slices.Equal(got[:len(tt.first)], tt.first) {
				t.Errorf("%q: got %v, want first %v", tt.q.Text, got, tt.first)
			}
			top := got[:min(10, len(got))]
			for _, id := range tt.inTop {
				if !slices.Contains(top, id) {
					t.Errorf("%q: %s not in the first 10: %v", tt.q.Text, id, top)
				}
			}
		})
	}
}

// Every prefix of a connector's name from 3 letters on finds it (among
// the first 10 connectors), and once the prefix is distinctive it comes
// first of all hits.
func TestRelevanceEveryPrefix(t *testing.T) {
	ix, _ := fullIndex(t)
	for _, word := range []struct {
		name, id    string
		distinctive int // prefix length from which it ranks first
	}{{"mailjet", "c:mailjet", 5}, {"docusign", "c:docusign", 5}, {"mailinator", "c:mailinator", 7}} {
		for _, p := range prefixesOf(word.name)[2:] {
			conns := hitIDs(mustSearch(t, ix, Query{Text: p, Kinds: []string{KindConnector}, Limit: 10}).Hits)
			if !slices.Contains(conns, word.id) {
				t.Errorf("%q: %s not in the first 10 connectors: %v", p, word.id, conns)
			}
			if len(p) >= word.distinctive {
				got := hitIDs(mustSearch(t, ix, Query{Text: p}).Hits)
				if len(got) == 0 || got[0] != word.id {
					t.Errorf("%q: %v, want %s first", p, got[:min(5, len(got))], word.id)
				}
			}
		}
	}
}

// Filter totals on the full data, checked against counts computed from
// the catalogue independently of the index.
func TestFiltersFullData(t *testing.T) {
	ix, cat := fullIndex(t)
	var triggers, visible, certified, deprecated int
	for _, c := range cat.Connectors {
		if !c.Deprecated {
			visible++
			if c.PublisherKind == catalog.PublisherCertified {
				certified++
			}
		} else {
			deprecated++
		}
		for _, op := range c.Operations {
			if op.Visibility == catalog.VisibilityInternal {
				continue
			}
			dep := op.Deprecated || c.Deprecated
			if dep {
				deprecated++
				continue
			}
			visible++
			if op.Kind == catalog.KindTrigger {
				triggers++
			}
			if c.PublisherKind == catalog.PublisherCertified {
				certified++
			}
		}
	}
	check := func(name string, q Query, want int) {
		t.Helper()
		res := mustSearch(t, ix, q)
		if res.Total != uint64(want) {
			t.Errorf("%s: total %d, want %d", name, res.Total, want)
		}
	}
	check("default", Query{}, visible)
	check("kind trigger", Query{Kinds: []string{KindTrigger}}, triggers)
	check("publisher kind certified", Query{Publisher: "certified"}, certified)
	check("deprecated only", Query{Deprecated: DeprecatedOnly}, deprecated)
	// The definitions carry no tier: every document is of unknown tier.
	check("tier standard", Query{Tier: "standard"}, 0)
	res := mustSearch(t, ix, Query{Facets: true})
	tiers := res.Facets[FacetTier]
	if len(tiers) != 3 || tiers[2].Value != "unknown" || tiers[2].Count != visible {
		t.Errorf("tier facet = %v, want unknown: %d", tiers, visible)
	}
	kinds := res.Facets[FacetKind]
	if kinds[2].Value != KindTrigger || kinds[2].Count != triggers {
		t.Errorf("kind facet = %v, want trigger: %d", kinds, triggers)
	}
}

// Deprecated operations are hidden unless asked for.
func TestDeprecatedHiddenFullData(t *testing.T) {
	ix, cat := fullIndex(t)
	_, op, ok := cat.Operation("documentscorepack", "SendEmailV2")
	if !ok || !op.Deprecated {
		t.Fatalf("expected documentscorepack/SendEmailV2 to be a deprecated operation in the data")
	}
	if got := hitIDs(mustSearch(t, ix, Query{Text: "SendEmailV2"}).Hits); slices.Contains(got, "documentscorepack/SendEmailV2") {
		t.Errorf("deprecated operation shown by default: %v", got)
	}
	got := hitIDs(mustSearch(t, ix, Query{Text: "SendEmailV2", Deprecated: DeprecatedInclude}).Hits)
	if len(got) == 0 || got[0] != "documentscorepack/SendEmailV2" {
		t.Errorf("with deprecated included: %v, want documentscorepack/SendEmailV2 first", got)
	}
}
