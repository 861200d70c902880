package clio

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestEscapeJSON(t *testing.T) {
	in := map[string]string{"s": "a\x1b[2Jb\u009b2J\u202eevil\u2066x\x7fy\u00e9\u65e5\n"}
	var buf strings.Builder
	if err := WriteJSON(&buf, in); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"s\": \"a\\u001b[2Jb\\u009b2J\\u202eevil\\u2066x\\u007fy\u00e9\u65e5\\n\"\n}\n"
	if buf.String() != want {
		t.Fatalf("WriteJSON = %q\nwant %q", buf.String(), want)
	}
	var back map[string]string
	if err := json.Unmarshal([]byte(buf.String()), &back); err != nil || back["s"] != in["s"] {
		t.Fatalf("round trip: %q, %v", back["s"], err)
	}
	// HTML characters stay readable.
	buf.Reset()
	WriteJSON(&buf, "<a&b>")
	if buf.String() != "\"<a&b>\"\n" {
		t.Fatalf("html: %q", buf.String())
	}
}

func TestCSVCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{`=HYPERLINK("http://x.invalid","click")`, `'=HYPERLINK("http://x.invalid","click")`},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"\tplain", "'\tplain"},
		{"  =1+1", "'  =1+1"},
		{"\n@x", "'\n@x"},
		{"a=1", "a=1"},
		{"Send an email (V2)", "Send an email (V2)"},
		{"", ""},
		{"  ", "  "},
		{"'quoted", "'quoted"},
	}
	for _, c := range cases {
		if got := CSVCell(c.in); got != c.want {
			t.Errorf("CSVCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTableKeepsIDsAt80Columns(t *testing.T) {
	long := "averyveryverylongconnectoridentifier/AnOperationIdThatIsLongToo_V3"
	tbl := &Table{Columns: []Column{{Header: "KIND", Keep: true}, {Header: "ID", Keep: true}, {Header: "NAME"}, {Header: "FLAGS", Keep: true}}}
	tbl.AddRow("action", long, "Create or update a record in a table with a very long display name", "premium")
	tbl.AddRow("action", "short/Op", "Short", "")
	s, out, _ := Test(true, 80)
	if err := tbl.Print(s); err != nil {
		t.Fatal(err)
	}
	want := "KIND    ID                                                                  NAME    FLAGS\n" +
		"action  averyveryverylongconnectoridentifier/AnOperationIdThatIsLongToo_V3  Creat…  premium\n" +
		"action  short/Op                                                            Short\n"
	if out.String() != want {
		t.Fatalf("table:\n%s\nwant:\n%s", out, want)
	}
	// A shorter id leaves the name the rest of the 80 columns.
	tbl = &Table{Columns: []Column{{Header: "KIND", Keep: true}, {Header: "ID", Keep: true}, {Header: "NAME"}, {Header: "FLAGS", Keep: true}}}
	tbl.AddRow("action", "sharepointonline/GetFileContentByPath", "Get file content using path, and a long tail of words", "premium")
	s, out, _ = Test(true, 80)
	tbl.Print(s)
	for i, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("line %d is %d columns: %q", i, w, line)
		}
	}
	if !strings.Contains(out.String(), "sharepointonline/GetFileContentByPath  Get file content using …  premium\n") {
		t.Errorf("name not cut to the rest of the line:\n%s", out)
	}
	// Piped: TSV, nothing cut, no header.
	s, out, _ = Test(false, 0)
	tbl.Print(s)
	if out.String() != "action\tsharepointonline/GetFileContentByPath\tGet file content using path, and a long tail of words\tpremium\n" {
		t.Errorf("tsv: %q", out)
	}
}

// In a list, the one id much longer than the others is printed whole and
// its row goes on below, in its columns: the names keep the room the
// usual ids leave them, instead of a few letters on every row.
func TestTableLongIDOverflows(t *testing.T) {
	tbl := &Table{Columns: []Column{{Header: "OPERATION ID", Keep: true}, {Header: "NAME"}, {Header: "FLAGS", Keep: true}}, Sep: " ", Rule: true, Wrap: true}
	tbl.AddRow("CreateGraphOnChangedEventPokeSubscription", "When an event is added, updated or deleted in a calendar", "internal")
	for _, id := range []string{"GetEvents", "GetEventsV2", "CreateEvent", "DeleteEvent"} {
		tbl.AddRow(id, "An operation of "+id, "")
	}
	var b strings.Builder
	tbl.Render(&b, 50)
	want := "OPERATION ID NAME                         FLAGS\n" +
		"──────────────────────────────────────────────────\n" +
		"CreateGraphOnChangedEventPokeSubscription\n" +
		"             When an event is added,      internal\n" +
		"             updated or deleted in a\n" +
		"             calendar\n" +
		"GetEvents    An operation of GetEvents\n" +
		"GetEventsV2  An operation of GetEventsV2\n" +
		"CreateEvent  An operation of CreateEvent\n" +
		"DeleteEvent  An operation of DeleteEvent\n"
	if b.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	// When it fits, nothing overflows.
	b.Reset()
	tbl.Render(&b, 120)
	if strings.Count(b.String(), "\n") != 7 {
		t.Errorf("at 120 columns:\n%s", b.String())
	}
}

func TestTableWrapKeepsKeptColumns(t *testing.T) {
	tbl := &Table{Columns: []Column{{Header: "OPERATION ID", Keep: true}, {Header: "NAME"}}, Sep: " ", Rule: true, Wrap: true}
	tbl.AddRow("GetAVeryLongOperationIdentifierThatMustNotWrap", "one two three four five six")
	var b strings.Builder
	tbl.Render(&b, 60)
	want := "OPERATION ID                                   NAME\n" +
		"────────────────────────────────────────────────────────────\n" +
		"GetAVeryLongOperationIdentifierThatMustNotWrap one two three\n" +
		"                                               four five six\n"
	if b.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func newTestCmd(out **JSONFlags) *cobra.Command {
	root := &cobra.Command{Use: "root"}
	cmd := &cobra.Command{Use: "list", Args: cobra.MaximumNArgs(1), RunE: func(*cobra.Command, []string) error { return nil }}
	*out = AddJSONFlags(cmd, []string{"id", "name", "tier"}, "hits", "{query, hits}")
	root.AddCommand(cmd)
	return root
}

func TestNormalizeArgs(t *testing.T) {
	var f *JSONFlags
	root := newTestCmd(&f)
	cases := []struct{ in, want []string }{
		{[]string{"list", "q", "--json", "id,name"}, []string{"list", "q", "--json=id,name"}},
		{[]string{"list", "--json", "tier", "q"}, []string{"list", "--json=tier", "q"}},
		{[]string{"list", "q", "--json"}, []string{"list", "q", "--json"}},
		{[]string{"list", "--json", "email"}, []string{"list", "--json", "email"}},       // a query, not a field
		{[]string{"list", "--json", "id,nosuch"}, []string{"list", "--json=id,nosuch"}},  // a typo gets "unknown JSON field"
		{[]string{"list", "--", "--json", "id"}, []string{"list", "--", "--json", "id"}}, // after --, all positional
		{[]string{"list", "--json", "--jq", ".id"}, []string{"list", "--json", "--jq", ".id"}},
	}
	for _, c := range cases {
		if got := NormalizeArgs(root, c.in); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("NormalizeArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

type hit struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Tier string `json:"tier"`
}

type result struct {
	Query string `json:"query"`
	Hits  []hit  `json:"hits"`
}

func TestJSONFlags(t *testing.T) {
	v := result{Query: "q", Hits: []hit{{"a", "A \u202e", "premium"}, {"b", "B", "standard"}}}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--json"}, "{\n  \"query\": \"q\",\n  \"hits\": [\n    {\n      \"id\": \"a\",\n      \"name\": \"A \\u202e\",\n      \"tier\": \"premium\"\n    },\n    {\n      \"id\": \"b\",\n      \"name\": \"B\",\n      \"tier\": \"standard\"\n    }\n  ]\n}\n"},
		{[]string{"--json=tier,id"}, "{\n  \"query\": \"q\",\n  \"hits\": [\n    {\n      \"tier\": \"premium\",\n      \"id\": \"a\"\n    },\n    {\n      \"tier\": \"standard\",\n      \"id\": \"b\"\n    }\n  ]\n}\n"},
		{[]string{"--jq", ".hits[] | select(.tier == \"premium\") | .id"}, "a\n"},
		{[]string{"--json=name", "--jq", ".hits[0]"}, "{\"name\":\"A \\u202e\"}\n"},
		{[]string{"--jq", ".hits | length"}, "2\n"},
	}
	for _, c := range cases {
		var f *JSONFlags
		root := newTestCmd(&f)
		root.SetArgs(append([]string{"list"}, c.args...))
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		if !f.Enabled() {
			t.Fatalf("%q: not enabled", c.args)
		}
		var b strings.Builder
		if err := f.Write(&b, v); err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		if b.String() != c.want {
			t.Errorf("%q:\n%s\nwant:\n%s", c.args, b.String(), c.want)
		}
	}
	var f *JSONFlags
	root := newTestCmd(&f)
	root.SetArgs([]string{"list", "--json=id,nosuch"})
	root.Execute()
	if err := f.Validate(); err == nil || err.Error() != `unknown JSON field "nosuch"; available fields: id, name, tier` {
		t.Fatalf("Validate: %v", err)
	}
	root = newTestCmd(&f)
	root.SetArgs([]string{"list", "--jq", ".hits["})
	root.Execute()
	if err := f.Validate(); err == nil || !strings.HasPrefix(err.Error(), `--jq ".hits[": `) {
		t.Fatalf("Validate: %v", err)
	}
	root = newTestCmd(&f)
	root.SetArgs([]string{"list"})
	root.Execute()
	if f.Enabled() {
		t.Fatal("enabled without --json")
	}
}

func TestFieldsOf(t *testing.T) {
	type inner struct {
		B string `json:"b"`
		C string `json:"c,omitempty"`
	}
	type outer struct {
		A string `json:"a"`
		*inner
		D      int `json:"-"`
		hidden int
	}
	if got := fmt.Sprint(FieldsOf(outer{})); got != "[a b c]" {
		t.Fatalf("FieldsOf = %s", got)
	}
}

func TestNotFound(t *testing.T) {
	err := fmt.Errorf("show: %w", NotFound("no connector %q", "x"))
	if !errors.Is(err, ErrNotFound) || err.Error() != `show: no connector "x"` {
		t.Fatalf("%v", err)
	}
}

func TestTestStreams(t *testing.T) {
	s, out, _ := Test(true, 0)
	if !s.IsStdoutTTY() || s.TerminalWidth() != DefaultWidth || !IsTerminal(s.Out) || Width(s.Out) != DefaultWidth {
		t.Fatal("terminal streams do not say so")
	}
	s.Out.Write([]byte("\x1b]52;c;ZXZpbA==\x07 ok\xc3"))
	s.Flush()
	if out.String() != "\u241b]52;c;ZXZpbA==\u2407 ok\uFFFD" {
		t.Fatalf("terminal got %q", out)
	}
	s, out, _ = Test(false, 0)
	if s.IsStdoutTTY() || s.TerminalWidth() != 0 || IsTerminal(s.Out) {
		t.Fatal("piped streams claim a terminal")
	}
	s.Out.Write([]byte("\x1b[2J"))
	if out.String() != "\x1b[2J" {
		t.Fatalf("pipe got %q, want the exact bytes", out)
	}
}

func TestTableLeavesOutEmptyColumns(t *testing.T) {
	tbl := &Table{Columns: []Column{{Header: "ID", Keep: true}, {Header: "NAME"}, {Header: "FLAGS", Keep: true}}}
	tbl.AddRow("a/LongOperationId", "A name that needs the room", "")
	var b strings.Builder
	tbl.Render(&b, 40)
	if want := "ID                 NAME\na/LongOperationId  A name that needs th…\n"; b.String() != want {
		t.Fatalf("got:\n%q\nwant:\n%q", b.String(), want)
	}
	b.Reset()
	tbl.WriteTSV(&b)
	if b.String() != "a/LongOperationId\tA name that needs the room\t\n" {
		t.Fatalf("TSV keeps every column: %q", b.String())
	}
}
