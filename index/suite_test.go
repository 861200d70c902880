package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/connex-dev/connex/internal/realdata"
)

// relCase is one query of the relevance suite: one of expect (a connector
// id, or connector/operation) must be among the first within hits.
type relCase struct {
	Query  string   `json:"query"`
	Expect []string `json:"expect"`
	Within int      `json:"within"`
}

// ownRelevanceCases are ours, read off the union catalogue: the connector
// named by its id, alias or short name, connector/operation, typos and
// natural phrases that match only most of their words.
var ownRelevanceCases = []relCase{
	{Query: "shared_office365", Expect: []string{"office365"}, Within: 1},
	{Query: "office365/SendEmailV2", Expect: []string{"office365/SendEmailV2"}, Within: 1},
	{Query: "teams/PostMessageToConversation", Expect: []string{"teams/PostMessageToConversation"}, Within: 1},
	{Query: "excel", Expect: []string{"excelonlinebusiness", "excelonline"}, Within: 3},
	{Query: "onedrive", Expect: []string{"onedriveforbusiness", "onedrive"}, Within: 3},
	{Query: "planner", Expect: []string{"planner"}, Within: 1},
	{Query: "twilio sms", Expect: []string{"twilio/SendMessage", "twilio"}, Within: 3},
	{Query: "sql execute", Expect: []string{"sql/ExecutePassThroughNativeQuery_V2", "sql/ExecuteProcedure_V2"}, Within: 3},
	{Query: "aproval", Expect: []string{"approvals", "approvals/StartAndWaitForAnApproval"}, Within: 3},
	{Query: "send an email outlook", Expect: []string{"office365/SendEmailV2"}, Within: 3},
	{Query: "sharepoint get items", Expect: []string{"sharepointonline/GetItems"}, Within: 3},
	{Query: "salesforce", Expect: []string{"salesforce"}, Within: 1},
	{Query: "power bi", Expect: []string{"powerbi"}, Within: 1},
	{Query: "service bus", Expect: []string{"servicebus"}, Within: 1},
	// Common queries whose obvious answer is a Microsoft first-party
	// connector's operation named (all but stop and version words) as
	// typed, checked on the union: "send email" is Office 365 Outlook's
	// "Send an email (V2)", not SendGrid's or SMTP's "Send email";
	// "excel add row" is Excel Online (Business)'s "Add a row into a
	// table", not the "Excel - add rows" of connectors that mark every
	// operation important.
	{Query: "send email", Expect: []string{"office365/SendEmailV2"}, Within: 1},
	{Query: "excel add row", Expect: []string{"excelonlinebusiness/AddRowV2"}, Within: 1},
	{Query: "get events", Expect: []string{"office365/V4CalendarGetItems"}, Within: 1},
	{Query: "get emails", Expect: []string{"office365/GetEmailsV3"}, Within: 1},
	{Query: "get rows", Expect: []string{"sql/GetItems_V2"}, Within: 1},
	{Query: "list rows", Expect: []string{"commondataserviceforapps/ListRecords"}, Within: 1},
	{Query: "when an item is created", Expect: []string{"sharepointonline/GetOnNewItems"}, Within: 1},
	{Query: "get response details", Expect: []string{"microsoftforms/GetFormResponseById"}, Within: 1},
	{Query: "get user profile", Expect: []string{"office365users/UserProfile_V2"}, Within: 1},
	{Query: "get my profile", Expect: []string{"office365users/MyProfile_V2"}, Within: 1},
	{Query: "search users", Expect: []string{"office365users/SearchUserV2"}, Within: 1},
	{Query: "get contacts", Expect: []string{"office365/ContactGetItems_V2"}, Within: 1},
	{Query: "create task", Expect: []string{"planner/CreateTask_V4", "planner/CreateTask_V3"}, Within: 1},
	{Query: "start approval", Expect: []string{"approvals/StartAndWaitForAnApproval"}, Within: 1},
	{Query: "translate text", Expect: []string{"translatorv2/Translate"}, Within: 1},
}

// loadRelevanceCases reads the shared suite (../shared/data).
func loadRelevanceCases(tb testing.TB) []relCase {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(realdata.Dir(tb), "relevance-queries.json"))
	if err != nil {
		tb.Skipf("relevance suite not found: %v", err)
	}
	var cases []relCase
	if err := json.Unmarshal(data, &cases); err != nil {
		tb.Fatalf("relevance-queries.json: %v", err)
	}
	return cases
}

// suiteID is a hit as the suite names it: a connector id, or
// connector/operation.
func suiteID(h Hit) string {
	if h.Kind == KindConnector {
		return h.ConnectorID
	}
	return h.ConnectorID + "/" + h.OperationID
}

// relOutcome is how one case fared: rank is the 1-based position of the
// first expected hit, 0 when not in the first 20.
type relOutcome struct {
	c    relCase
	rank int
	top  []string
}

// relScores are the suite's figures.
type relScores struct {
	n, hit1, hit3, within int
	mrr                   float64
}

func (s relScores) String() string {
	return fmt.Sprintf("%d queries: hit@1 %.3f, hit@3 %.3f, MRR %.3f, within rank %d/%d",
		s.n, float64(s.hit1)/float64(s.n), float64(s.hit3)/float64(s.n), s.mrr, s.within, s.n)
}

// runRelevance runs the cases as the explorer does (search as typed: the
// last word is a prefix unless the query ends with a space) and scores
// them.
func runRelevance(tb testing.TB, s searcher, cases []relCase) ([]relOutcome, relScores) {
	tb.Helper()
	var out []relOutcome
	var sc relScores
	for _, c := range cases {
		res, err := s.Search(context.Background(), Query{Text: c.Query, Limit: 20})
		if err != nil {
			tb.Fatalf("%q: %v", c.Query, err)
		}
		o := relOutcome{c: c}
		for i, h := range res.Hits {
			id := suiteID(h)
			if i < 5 {
				o.top = append(o.top, id)
			}
			if o.rank == 0 && slices.Contains(c.Expect, id) {
				o.rank = i + 1
			}
		}
		sc.n++
		if o.rank == 1 {
			sc.hit1++
		}
		if o.rank >= 1 && o.rank <= 3 {
			sc.hit3++
		}
		if o.rank >= 1 && o.rank <= c.Within {
			sc.within++
		}
		if o.rank > 0 {
			sc.mrr += 1 / float64(o.rank)
		}
		out = append(out, o)
	}
	if sc.n > 0 {
		sc.mrr /= float64(sc.n)
	}
	return out, sc
}

var (
	unionIxOnce sync.Once
	unionIx     *Index
	unionDir    string
	unionIxErr  error
)

// unionIndex is the union catalogue's index, built on disk as connex
// builds it, once per test binary (removed by TestMain).
func unionIndex(tb testing.TB) *Index {
	tb.Helper()
	cat := unionCatalog(tb)
	unionIxOnce.Do(func() {
		unionDir, unionIxErr = os.MkdirTemp("", "connex-union-index")
		if unionIxErr != nil {
			return
		}
		path := filepath.Join(unionDir, "index")
		if unionIxErr = Build(context.Background(), path, cat); unionIxErr == nil {
			unionIx, unionIxErr = Open(path)
		}
	})
	if unionIxErr != nil {
		tb.Fatal(unionIxErr)
	}
	return unionIx
}

// The relevance suite on the union of both shared samples: every query
// of relevance-queries.json and of ownRelevanceCases must find one of its
// expected answers within its rank. It prints hit@1, hit@3 and MRR.
func TestRelevanceSuite(t *testing.T) {
	ix := unionIndex(t)
	for _, set := range []struct {
		name  string
		cases []relCase
	}{{"relevance-queries.json", loadRelevanceCases(t)}, {"own cases", ownRelevanceCases}} {
		outcomes, sc := runRelevance(t, ix, set.cases)
		for _, o := range outcomes {
			if o.rank == 0 || o.rank > o.c.Within {
				t.Errorf("%q: expected %v within %d, got rank %d; first hits %s",
					o.c.Query, o.c.Expect, o.c.Within, o.rank, strings.Join(o.top, " "))
			}
		}
		t.Logf("%s: %s", set.name, sc)
	}
}

// BenchmarkRelevance reports the suite's figures on the union catalogue
// (make bench prints them beside the latency figures).
func BenchmarkRelevance(b *testing.B) {
	ix := unionIndex(b)
	cases := loadRelevanceCases(b)
	var sc relScores
	for b.Loop() {
		_, sc = runRelevance(b, ix, cases)
	}
	b.ReportMetric(float64(sc.hit1)/float64(sc.n), "hit@1")
	b.ReportMetric(float64(sc.hit3)/float64(sc.n), "hit@3")
	b.ReportMetric(sc.mrr, "MRR")
	b.ReportMetric(float64(sc.within), "within-rank")
	b.Logf("relevance-queries.json on the union: %s", sc)
	_, own := runRelevance(b, ix, ownRelevanceCases)
	b.Logf("own cases on the union: %s", own)
}

// Every expected answer exists in the union catalogue: a renamed id in
// the data would otherwise fail the suite for the wrong reason.
func TestRelevanceAnswersExist(t *testing.T) {
	cat := unionCatalog(t)
	for _, c := range append(loadRelevanceCases(t), ownRelevanceCases...) {
		for _, id := range c.Expect {
			conn, op, _ := strings.Cut(id, "/")
			if op == "" {
				if _, ok := cat.Connector(conn); !ok {
					t.Errorf("%q: no connector %s", c.Query, conn)
				}
				continue
			}
			if _, _, ok := cat.Operation(conn, op); !ok {
				t.Errorf("%q: no operation %s", c.Query, id)
			}
		}
	}
}
