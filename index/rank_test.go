package index

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// editDistance is the reference for near: the optimal string alignment
// distance between w and t, by the textbook table (runes), or with
// prefix between w and the nearest prefix of t; maxDist+1 when farther.
func editDistance(w, t []rune, maxDist int, prefix bool, last *[maxWordLen + 1]int) int {
	d := make([][]int, len(w)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(w); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if w[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && w[i-1] == t[j-2] && w[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	best := d[len(w)][len(t)]
	if prefix {
		for j := range t {
			best = min(best, d[len(w)][j+1])
		}
	}
	return min(best, maxDist+1)
}

func TestEditDistance(t *testing.T) {
	var last [maxWordLen + 1]int
	for _, c := range []struct {
		w, t   string
		max    int
		prefix bool
		want   int
	}{
		{"mailjet", "mailjet", 2, false, 0},
		{"mialjet", "mailjet", 2, false, 1}, // transposition: one edit
		{"maljet", "mailjet", 2, false, 1},
		{"mialjte", "mailjet", 2, false, 2},
		{"dokusgin", "docusign", 2, false, 2},
		{"xyz", "mailjet", 2, false, 3}, // gives up: maxDist+1
		{"mialj", "mailjet", 1, true, 1},
		{"postbx", "postbox", 1, true, 1},
		{"postbox", "postboxrelay", 1, true, 0},
		{"é", "e", 1, false, 1},
	} {
		if got := editDistance([]rune(c.w), []rune(c.t), c.max, c.prefix, &last); got != c.want {
			t.Errorf("editDistance(%q, %q, %d, %v) = %d, want %d", c.w, c.t, c.max, c.prefix, got, c.want)
		}
	}
}

func TestTypoDictNear(t *testing.T) {
	d := &typoDict{
		terms:  []string{"mailbox", "mailjet", "mailjets", "malt", "zebra"},
		freq:   []uint32{5, 2, 1, 9, 1},
		fields: []uint8{inName, inName | inAlias, inName, inName, inName},
	}
	var got []string
	for _, c := range d.near("mialjet", 2, false, 16) {
		got = append(got, c.term)
	}
	if want := []string{"mailjet", "mailjets"}; !slices.Equal(got, want) {
		t.Errorf("near(mialjet) = %v, want %v", got, want)
	}
	got = nil
	for _, c := range d.near("mailbx", 1, true, 16) {
		got = append(got, c.term)
	}
	if want := []string{"mailb", "mailbo", "mailbox"}; !slices.Equal(sortedIDs(got), want) {
		t.Errorf("near(mailbx, prefix) = %v, want %v", got, want)
	}
	if c := d.near("zebra", 2, false, 16); len(c) != 0 {
		t.Errorf("the word itself is not a typo: %v", c)
	}
}

// Suggestions for a query that finds nothing: the unknown word replaced
// by near terms of the index; none when something was found or nothing
// is near.
func TestSuggestions(t *testing.T) {
	ix, err := NewMemory(testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"rleya ", []string{"relay"}},                 // 5 letters, 2 edits: no typo match (1 edit below 7), a suggestion
		{"relya ", nil},                               // 1 edit (a transposition): found with the typo
		{"bravo qqqq", nil},                           // most words, nothing near qqqq
		{"zzzz", nil},                                 // nothing near
		{"poxtbox rleya ", []string{"postbox relay"}}, // most words (postbox, a typo); rleya suggested
	} {
		res := mustSearch(t, ix, Query{Text: c.text})
		if !slices.Equal(res.Suggestions, c.want) {
			t.Errorf("%q: suggestions %q (total %d), want %q", c.text, res.Suggestions, res.Total, c.want)
		}
	}
}

// connector/operation names one operation: it comes first, in any case,
// by id or alias; an unknown pair finds what its words find.
func TestConnectorOperationPin(t *testing.T) {
	cat := testCatalog()
	cat.Connectors[1].Aliases = []string{"shared_bravodocs"}
	cat.Reindex()
	forEachBackend(t, cat, func(t *testing.T, b backend) {
		for _, text := range []string{"bravodocs/getV2Items", "BRAVODOCS/getv2items", "shared_bravodocs/getV2Items", " bravodocs/getV2Items "} {
			got := hitIDs(run(t, b.s, Query{Text: text}).Hits)
			if len(got) == 0 || got[0] != "bravodocs/getV2Items" {
				t.Errorf("%q = %v, want bravodocs/getV2Items first", text, got)
			}
		}
		if res := run(t, b.s, Query{Text: "bravodocs/getV2Items", Limit: 50}); len(res.Hits) != 1 || res.Hits[0].Score != 1 {
			t.Errorf("pinned alone: %v, want one hit of score 1 (not the internal pin score)", res.Hits)
		}
		// Filters still apply to the pinned operation.
		if got := hitIDs(run(t, b.s, Query{Text: "bravodocs/getV2Items", Kinds: []string{KindTrigger}}).Hits); slices.Contains(got, "bravodocs/getV2Items") {
			t.Errorf("pinned action shown with kind=trigger: %v", got)
		}
		if got := hitIDs(run(t, b.s, Query{Text: "nosuch/getV2Items"}).Hits); len(got) > 0 && got[0] != "bravodocs/getV2Items" {
			t.Errorf("nosuch/getV2Items = %v", got)
		}
	})
}

func TestRankWordsAndFamilies(t *testing.T) {
	for _, c := range []struct{ name, drop, want string }{
		{"Send an email (V2)", "", "send email"},
		{"Microsoft Teams", "Microsoft", "teams"},
		{"Sentiment (V3.1)", "", "sentiment"},
		{"Get items [DEPRECATED]", "", "get items"},
	} {
		if got := rankWords(c.name, c.drop, false); got != c.want {
			t.Errorf("rankWords(%q, %q) = %q, want %q", c.name, c.drop, got, c.want)
		}
	}
	if got := rankWords("Send an email (V2)", "", true); got != "send an email" {
		t.Errorf("rankWords keeping stop words = %q", got)
	}
	for _, c := range []struct {
		id  string
		fam string
		v   float64
	}{{"SendEmailV2", "sendemail", 2}, {"CreateTask_V4", "createtask", 4}, {"SentimentV3_1", "sentiment", 3.1}, {"SendEmail", "sendemail", 1}, {"V4CalendarPostItem", "v4calendarpostitem", 1}} {
		if fam, v := familyVersion(c.id); fam != c.fam || v != c.v {
			t.Errorf("familyVersion(%q) = %q %v, want %q %v", c.id, fam, v, c.fam, c.v)
		}
	}
}

// The priors on an invented catalogue: the newest version first, the
// connector the query names first, a name equal to the query over one
// that merely holds its words.
func TestPriors(t *testing.T) {
	cat := &catalog.Catalog{Connectors: []*catalog.Connector{
		{ID: "widgets", Name: "Widgets", Publisher: "Acme", PublisherKind: catalog.PublisherCertified, Operations: []*catalog.Operation{
			{ID: "CreateWidget", Name: "Create widget", Kind: catalog.KindAction},
			{ID: "CreateWidgetV2", Name: "Create widget (V2)", Kind: catalog.KindAction},
			{ID: "ListWidgets", Name: "List widgets", Kind: catalog.KindAction},
			{ID: "WidgetReport", Name: "Widgets report of everything ever made", Kind: catalog.KindAction},
		}},
		{ID: "gadgets", Name: "Gadgets", Publisher: "Acme", PublisherKind: catalog.PublisherCertified, Operations: []*catalog.Operation{
			{ID: "SyncWidgets", Name: "Sync widgets with gadgets", Kind: catalog.KindAction},
			{ID: "CreateWidgetGadget", Name: "Make a gadget from a widget to create", Kind: catalog.KindAction},
		}},
	}}
	cat.Reindex()
	ix, err := NewMemory(cat)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, c := range []struct{ text, first string }{
		{"create widget ", "widgets/CreateWidgetV2"},
		{"widgets ", "c:widgets"},
		{"widgets/ListWidgets", "widgets/ListWidgets"},
	} {
		got := hitIDs(mustSearch(t, ix, Query{Text: c.text}).Hits)
		if len(got) == 0 || got[0] != c.first {
			t.Errorf("%q = %v, want %s first", c.text, got, c.first)
		}
	}
	got := hitIDs(mustSearch(t, ix, Query{Text: "create widget "}).Hits)
	if i, j := slices.Index(got, "widgets/CreateWidget"), slices.Index(got, "gadgets/CreateWidgetGadget"); i < 0 || j >= 0 && j < i {
		t.Errorf("create widget = %v: the exact name (older version) should still precede scattered words", strings.Join(got, " "))
	}
}

// near agrees with the textbook distance on every term, for words one
// and two edits away from dictionary terms, whole and being typed.
func TestTypoDictNearAgreesWithReference(t *testing.T) {
	terms := []string{"mail", "mailbox", "mailboxes", "mailjet", "mailjets", "make", "malt", "map", "mapping", "market", "marketing", "mart", "maxi", "mobile", "moon"}
	d := &typoDict{terms: terms, freq: make([]uint32, len(terms)), fields: make([]uint8, len(terms))}
	words := []string{"mial", "mailbx", "mialjte", "marktieng", "mapp", "mxai", "mbile", "mo", "mailboxse", "mrat", "makret", "mpaping"}
	for _, w := range words {
		for _, maxDist := range []int{1, 2} {
			for _, prefix := range []bool{false, true} {
				want := map[string]bool{}
				var last [maxWordLen + 1]int
				for _, term := range terms {
					if !prefix {
						if dist := editDistance([]rune(w), []rune(term), maxDist, false, &last); dist > 0 && dist <= maxDist {
							want[term] = true
						}
						continue
					}
					if strings.HasPrefix(term, w) {
						continue // the word as typed
					}
					for j := 1; j <= len(term); j++ {
						if dist := editDistance([]rune(w), []rune(term[:j]), maxDist, false, &last); dist <= maxDist && j >= len(w)-maxDist && j <= len(w)+maxDist {
							want[term[:j]] = true
						}
					}
				}
				got := map[string]bool{}
				for _, c := range d.near(w, maxDist, prefix, 1000) {
					got[c.term] = true
				}
				if len(got) != len(want) {
					t.Errorf("near(%q, %d, prefix %v) = %v, want %v", w, maxDist, prefix, got, want)
					continue
				}
				for k := range want {
					if !got[k] {
						t.Errorf("near(%q, %d, prefix %v) = %v, want %v", w, maxDist, prefix, got, want)
						break
					}
				}
			}
		}
	}
}

// hasWord finds words by searching the string; it must agree with a walk
// over the words.
func TestHasWordAgreesWithWordWalk(t *testing.T) {
	walk := func(list, w string, prefix bool) bool {
		found := false
		eachWord(list, func(x string) bool {
			found = x == w || prefix && strings.HasPrefix(x, w)
			return !found
		})
		return found
	}
	lists := []string{"", "send", "send email", "sendemail send email", "a  b", " lead", "trail ", "shared_office365 office365 outlook", "aa aaa a"}
	words := []string{"", "s", "send", "email", "mail", "sendemail", "a", "aa", "b", " ", "a b", "office", "shared_", "lead", "trail", "x"}
	n := 0
	for _, l := range lists {
		for _, w := range words {
			for _, prefix := range []bool{false, true} {
				if got, want := hasWord(l, w, prefix), walk(l, w, prefix); got != want {
					t.Errorf("hasWord(%q, %q, %v) = %v, want %v", l, w, prefix, got, want)
				}
				n++
			}
		}
	}
	if n != 288 {
		t.Errorf("%d cases", n)
	}
}

// TestNamingSkipsAPINamePrefixes: every connector of the API has an alias
// shared_<id>; "shar" being typed must not name them all (it lifted
// github, dataverse and powerbi to 2nd-4th place for "shar"), while the
// API name typed whole still names its connector.
func TestNamingSkipsAPINamePrefixes(t *testing.T) {
	t.Parallel()
	ci := newConnInfo(&catalog.Connector{ID: "github", Name: "GitHub", Aliases: []string{"shared_github"}})
	for _, c := range []struct {
		w     qword
		named bool
	}{
		{qword{whole: "shar", prefix: true}, false},
		{qword{whole: "shared", prefix: false}, false},
		{qword{whole: "shared_github", prefix: false}, true},
		{qword{whole: "git", prefix: true}, true},
		{qword{whole: "github", prefix: false}, true},
	} {
		if got := newRankQuery([]qword{c.w}).naming(&ci) > 0; got != c.named {
			t.Errorf("naming(%q, prefix %v) = %v, want %v", c.w.whole, c.w.prefix, got, c.named)
		}
	}
}

// markedConnector is a connector of n visible actions, the first marked
// of them important, and one internal and dep deprecated ones.
func markedConnector(id string, n, marked, dep int, tier catalog.Tier) *catalog.Connector {
	c := &catalog.Connector{ID: id, Name: strings.ToUpper(id[:1]) + id[1:], Publisher: "Pub " + id, PublisherKind: catalog.PublisherCertified, Tier: tier}
	for i := range n {
		op := &catalog.Operation{ID: fmt.Sprintf("MakeThing%d", i), Name: fmt.Sprintf("Make thing %d", i), Kind: catalog.KindAction}
		if i < marked {
			op.Visibility = catalog.VisibilityImportant
		}
		c.Operations = append(c.Operations, op)
	}
	c.Operations = append(c.Operations, &catalog.Operation{ID: "Hidden", Name: "Hidden", Kind: catalog.KindAction, Visibility: catalog.VisibilityInternal})
	for i := range dep {
		c.Operations = append(c.Operations, &catalog.Operation{ID: fmt.Sprintf("Old%d", i), Name: "Old", Kind: catalog.KindAction, Deprecated: true})
	}
	return c
}

func TestMarkWeight(t *testing.T) {
	for _, c := range []struct {
		visible   int32
		important float64
		want      float64
	}{
		{30, 30, 0}, // every one marked
		{30, 29, 1},
		{30, 8, 1},
		{3, 3, 0},
		{2, 2, 1}, // a small connector's marks still count
		{1, 1, 1},
		{0, 0, 1},
		{0, 3, 0}, // a deprecated connector's (none visible)
	} {
		if got := markWeight(c.visible, c.important); got != c.want {
			t.Errorf("markWeight(%d, %v) = %v, want %v", c.visible, c.important, got, c.want)
		}
	}
}

// The connector priors from its operations: a publisher's important
// marks count for nothing when it marks all of them (an operation of a
// connector marking all of its 30 operations below one of a connector
// marking 8 of 30), deprecated operations kept beside visible ones
// (history) and the standard tier weigh a connector up.
func TestConnectorPriors(t *testing.T) {
	cat := &catalog.Catalog{Connectors: []*catalog.Connector{
		markedConnector("allmarked", 30, 30, 0, catalog.TierPremium),
		markedConnector("somemarked", 30, 8, 0, catalog.TierPremium),
		markedConnector("nearlyall", 30, 28, 0, catalog.TierPremium),
		markedConnector("standardtier", 30, 8, 0, catalog.TierStandard),
		markedConnector("history", 30, 8, 9, catalog.TierPremium),
		markedConnector("mostlypast", 2, 0, 50, catalog.TierPremium),
		markedConnector("nopast", 2, 0, 0, catalog.TierPremium),
	}}
	cat.Reindex()
	tab := newPlan(cat).tab
	static := func(id string) float64 {
		t.Helper()
		for ord := range tab.entries {
			if tab.docID(ord) == id {
				return tab.staticFactor(int32(ord))
			}
		}
		t.Fatalf("no document %s", id)
		return 0
	}
	ratio := func(a, b string, want float64) {
		t.Helper()
		if got := static(a) / static(b); math.Abs(got-want) > 1e-6 {
			t.Errorf("%s / %s = %v, want %v", a, b, got, want)
		}
	}
	if a, b := static("o:allmarked/MakeThing0"), static("o:somemarked/MakeThing0"); a >= b {
		t.Errorf("an operation of the connector marking everything weighs %v, not below %v", a, b)
	}
	// The mark puts a connector's marked operations first when some
	// are not marked.
	ratio("o:allmarked/MakeThing0", "o:allmarked/MakeThing29", 1)
	ratio("o:nearlyall/MakeThing0", "o:nearlyall/MakeThing29", factorImportant)
	ratio("o:somemarked/MakeThing0", "o:somemarked/MakeThing29", factorImportant)
	// Prominence: 8 marks that single operations out; 30 that do not.
	ratio("o:somemarked/MakeThing29", "o:allmarked/MakeThing29", 1+factorProminence*math.Log1p(8))
	ratio("o:standardtier/MakeThing0", "o:somemarked/MakeThing0", factorStandard)
	// 9 deprecated beside 30 visible operations; 50 beside 2 count as 2.
	ratio("o:history/MakeThing0", "o:somemarked/MakeThing0", 1+factorHistory*math.Log1p(9))
	ratio("o:mostlypast/MakeThing0", "o:nopast/MakeThing0", 1+factorHistory*math.Log1p(2))

	ix, err := NewMemory(cat)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	got := hitIDs(mustSearch(t, ix, Query{Text: "make thing 0 ", Kinds: []string{KindAction}}).Hits)
	some, all := slices.Index(got, "somemarked/MakeThing0"), slices.Index(got, "allmarked/MakeThing0")
	if len(got) < 2 || got[0] != "history/MakeThing0" || got[1] != "standardtier/MakeThing0" || some < 0 || all < 0 || some > all {
		t.Errorf("make thing 0 = %v, want history/MakeThing0, standardtier/MakeThing0 first, somemarked/MakeThing0 before allmarked/MakeThing0", got)
	}
}

// factorStrict: a query with stop words prefers a name with the very
// same words; one without prefers neither ("send email" is typed for
// "Send an email" as much as for "Send email").
func TestStrictNeedsStopWords(t *testing.T) {
	ci := newConnInfo(&catalog.Connector{ID: "mail", Name: "Mail"})
	for _, c := range []struct {
		query, name string
		want        float64
	}{
		{"send email ", "send email", factorPhraseAll * factorStrict},
		{"send email ", "send an email", factorPhraseAll * factorStrict},
		{"send email", "send an email", factorPhraseAll * factorStrict}, // "email" being typed
		{"send an email ", "send an email", factorPhraseAll * factorStrict},
		{"send an email ", "send email", factorPhraseAll},
		{"send an email ", "send the email", factorPhraseAll},
		{"send email ", "send email to a list", factorPhraseHead},
	} {
		if got := newRankQuery(parseQuery(c.query)).phraseWeight(c.name, &ci); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("phraseWeight(%q, name %q) = %v, want %v", c.query, c.name, got, c.want)
		}
	}
}

// A query word names a connector in the plural too, so the rest of the
// query is compared with its operations' names: "user profile" is
// "Get user profile" of a connector named "Users".
func TestPhraseNamesConnectorInPlural(t *testing.T) {
	users := newConnInfo(&catalog.Connector{ID: "teamusers", Name: "Team Users"})
	other := newConnInfo(&catalog.Connector{ID: "board", Name: "Board"})
	rq := newRankQuery(parseQuery("user profile "))
	if got, want := rq.phraseWeight("get user profile", &users), factorPhrase*factorPhraseConn; math.Abs(got-want) > 1e-9 {
		t.Errorf("Team Users: %v, want %v", got, want)
	}
	if got, want := rq.phraseWeight("get user profile", &other), factorPhrase; math.Abs(got-want) > 1e-9 {
		t.Errorf("Board: %v, want %v", got, want)
	}
}

// hasPlural agrees with hasWord of the word with an s.
func TestHasPlural(t *testing.T) {
	lists := []string{"", "users", "office 365 users", "users office", "user", "usersx", "xusers", "user s", "s"}
	for _, l := range lists {
		for _, w := range []string{"user", "users", "use", "", "x"} {
			want := w != "" && hasWord(l, w+"s", false)
			if got := hasPlural(l, w); got != want {
				t.Errorf("hasPlural(%q, %q) = %v, want %v", l, w, got, want)
			}
		}
	}
	if !hasPlural("office 365 users", "user") || hasPlural("office 365 user", "user") {
		t.Error("hasPlural: user/users")
	}
}
