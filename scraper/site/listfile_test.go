package site

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// TestParseListFileMatchesListPage: the list as data (testdata/list.json)
// and the list page (testdata/list.html) describe the same invented
// connectors; both readers give the same entries, but for what the data
// does not hold (the page address, "By:").
func TestParseListFileMatchesListPage(t *testing.T) {
	data, err := os.ReadFile("testdata/list.json")
	if err != nil {
		t.Fatal(err)
	}
	got, probs, err := ParseListFile(data, "list.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/list.html")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, _ := ParseListPage(f, mustURL(t, "https://learn.microsoft.com/en-us/connectors/connector-reference/"))
	for i := range want {
		want[i].URL, want[i].Publisher = "", ""
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("from the data:\n%+v\nfrom the page:\n%+v", got, want)
	}
	wantProbs := []string{
		`connector "nameless" has no display name in the list; using its id`,
		`connector "acmetasks" listed twice; keeping the first`,
	}
	if p := problemTexts(probs); !reflect.DeepEqual(p, wantProbs) {
		t.Fatalf("problems: %q", p)
	}
}

// TestListEntryConnector: a connector known from the list alone has what
// the list says and nothing else.
func TestListEntryConnector(t *testing.T) {
	e := ListEntry{ID: "brightdocs", Name: "Bright Docs", IconURL: "https://icons.example.test/b.png", Premium: true, Preview: true,
		Products: []string{catalog.ProductPowerAutomate, catalog.ProductCopilotStudio}}
	got := e.Connector()
	want := &catalog.Connector{ID: "brightdocs", Name: "Bright Docs", IconURL: "https://icons.example.test/b.png",
		Tier: catalog.TierPremium, Preview: true, Sources: map[string]catalog.Source{},
		Products: []catalog.Product{{Name: catalog.ProductPowerAutomate, Class: catalog.TierPremium}, {Name: catalog.ProductCopilotStudio, Class: catalog.TierPremium}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	std := (&ListEntry{ID: "x", Name: "X"}).Connector()
	if std.Tier != catalog.TierStandard || std.Publisher != "" || len(std.Operations) != 0 || len(std.AuthTypes) != 0 || std.DocsURL != "" {
		t.Fatalf("without badges: %+v", std)
	}
}

func TestParseListFileRejectsOtherDocuments(t *testing.T) {
	for name, doc := range map[string]string{
		"api reply":    `{"name":"shared_x","id":"/providers/Microsoft.PowerApps/apis/shared_x","properties":{"displayName":"X"}}`,
		"swagger":      `{"swagger":"2.0","info":{"title":"X"},"paths":{}}`,
		"array":        `[{"Name":"x"}]`,
		"string":       `"data"`,
		"not json":     `<html><body>list</body></html>`,
		"broken":       `{"data":[{"Name":"x",}`,
		"data object":  `{"data":{"Name":"x"}}`,
		"other arrays": `{"data":[{"id":1},{"id":2}]}`,
		"empty":        ``,
	} {
		t.Run(name, func(t *testing.T) {
			entries, probs, err := ParseListFile([]byte(doc), name)
			if !errors.Is(err, ErrNotList) || entries != nil || probs != nil {
				t.Fatalf("entries %v, problems %v, err %v", entries, probs, err)
			}
		})
	}
}

func TestParseListFileHostile(t *testing.T) {
	entry := func(fields string) string { return `{"Name":"ok","DisplayName":"OK"},` + fields }
	cases := []struct {
		name  string
		doc   string
		ids   []string
		probs []string
	}{
		{"bad ids", `{"data":[` + entry(`{"Name":"../etc","DisplayName":"x"},{"Name":"a b"},{"Name":"a/b"},{"Name":" "},{"Name":"..","DisplayName":"x"},{"DisplayName":"no id"}`) + `]}`,
			[]string{"ok"}, []string{
				`entry 2 skipped: "../etc" is not a connector id (letters, digits, '-', '_' and '.' only)`,
				`entry 3 skipped: "a b" is not a connector id (letters, digits, '-', '_' and '.' only)`,
				`entry 4 skipped: "a/b" is not a connector id (letters, digits, '-', '_' and '.' only)`,
				`entry 5 skipped: no "Name" (connector id)`,
				`entry 6 skipped: ".." is not a connector id (letters, digits, '-', '_' and '.' only)`,
				`entry 7 skipped: no "Name" (connector id)`,
			}},
		{"wrong types", `{"data":[` + entry(`{"Name":"p","Premium":"yes"},{"Name":7},"text",null,{"Name":"q","Logic Apps":{"a":[1]}}`) + `]}`,
			// null decodes to an empty entry: no id.
			[]string{"ok"}, []string{
				`entry 2 skipped: json: cannot unmarshal string into Go struct field listFileEntry.Premium of type bool`,
				`entry 3 skipped: json: cannot unmarshal number into Go struct field listFileEntry.Name of type string`,
				`entry 4 skipped: json: cannot unmarshal string into Go value of type site.listFileEntry`,
				`entry 5 skipped: no "Name" (connector id)`,
				`entry 6 skipped: json: cannot unmarshal object into Go struct field listFileEntry.Logic Apps of type bool`,
			}},
		{"long strings", `{"data":[` + entry(fmt.Sprintf(`{"Name":"%s"},{"Name":"n","DisplayName":"%s"},{"Name":"i","Icon":"%s"},{"Name":"fine","DisplayName":"%s","SearchTerms":"%s"}`,
			strings.Repeat("a", maxListID+1), strings.Repeat("n", maxListText+1), strings.Repeat("i", maxListText+1), strings.Repeat("f", maxListText), strings.Repeat("s", 100000))) + `]}`,
			[]string{"ok", "fine"}, []string{
				fmt.Sprintf(`entry 2 skipped: connector id of %d bytes (limit %d)`, maxListID+1, maxListID),
				fmt.Sprintf(`entry 3 skipped: n: display name of %d bytes (limit %d)`, maxListText+1, maxListText),
				fmt.Sprintf(`entry 4 skipped: i: icon address of %d bytes (limit %d)`, maxListText+1, maxListText),
			}},
		{"not utf-8", "{\"data\":[" + entry("{\"Name\":\"l\",\"DisplayName\":\"caf\xe9\"}") + "]}",
			// encoding/json replaces the byte with U+FFFD: kept as text.
			[]string{"ok", "l"}, nil},
		{"no usable entry", `{"data":[{"Name":"x/y"}]}`, nil, []string{
			`entry 1 skipped: "x/y" is not a connector id (letters, digits, '-', '_' and '.' only)`, "no connector in the list"}},
		{"empty list", `{"data":[]}`, nil, []string{"no connector in the list"}},
		{"byte order mark", "\ufeff{\"data\":[{\"Name\":\"ok\"}]}", []string{"ok"}, []string{`connector "ok" has no display name in the list; using its id`}},
		{"case-folded duplicate", `{"data":[{"Name":"Dup","DisplayName":"A"},{"Name":"dup","DisplayName":"B"}]}`, []string{"Dup"},
			[]string{`connector "dup" listed twice; keeping the first`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			entries, probs, err := ParseListFile([]byte(tc.doc), "l.json")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range entries {
				ids = append(ids, e.ID)
			}
			if !reflect.DeepEqual(ids, tc.ids) {
				t.Errorf("ids %q, want %q", ids, tc.ids)
			}
			if p := problemTexts(probs); (len(p) > 0 || len(tc.probs) > 0) && !reflect.DeepEqual(p, tc.probs) {
				t.Errorf("problems:\n%q\nwant\n%q", p, tc.probs)
			}
		})
	}
}

func TestParseListFileLimits(t *testing.T) {
	many := `{"data":[` + strings.Repeat(`{"Name":"x"},`, MaxListEntries) + `{"Name":"y"}]}`
	if _, _, err := ParseListFile([]byte(many), "many.json"); !errors.Is(err, ErrListTooLarge) {
		t.Errorf("%d entries: %v", MaxListEntries+1, err)
	}
	big := []byte(`{"data":[{"Name":"x","SearchTerms":"` + strings.Repeat("s", MaxListBytes) + `"}]}`)
	if _, _, err := ParseListFile(big, "big.json"); !errors.Is(err, ErrListTooLarge) {
		t.Errorf("%d bytes: %v", len(big), err)
	}
	// At the entry limit, still read.
	atLimit := `{"data":[{"Name":"y"}` + strings.Repeat(`,{"Name":"x"}`, MaxListEntries-1) + `]}`
	entries, _, err := ParseListFile([]byte(atLimit), "limit.json")
	if err != nil || len(entries) != 2 {
		t.Errorf("%d entries: %d read, %v", MaxListEntries, len(entries), err)
	}
}

func TestLooksLikeList(t *testing.T) {
	for doc, want := range map[string]bool{
		`{"data":[`:                   true,
		" \ufeff{\"data\": [":         false, // the mark comes first or not at all
		"\ufeff{\n  \"data\" : [ {":   true,
		`{"name":"shared_x","data":[`: false,
		`{"data":{`:                   false,
		`[{"data":[`:                  false,
		`{"dat`:                       false,
		``:                            false,
	} {
		if got := LooksLikeList([]byte(doc)); got != want {
			t.Errorf("LooksLikeList(%q) = %v", doc, got)
		}
	}
}
