package schema

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func TestParseFields(t *testing.T) {
	s := MustParse(`{
		"type": "OBJECT", "title": "T", "description": "D", "x-ms-summary": "Sum",
		"x-ms-visibility": "Advanced", "required": ["b", "a", "b", 7],
		"properties": {
			"b": {"type": ["string", "null"], "format": "email", "readOnly": true},
			"a": {"type": "integer", "enum": [1, "2"], "default": 1, "example": 12345678901234567890},
			"skip": "not a schema",
			"c": {"type": "array", "items": [{"type": "boolean"}]},
			"d": {"$ref": "#/definitions/X", "x-nullable": true, "x-ms-dynamic-schema": {}}
		},
		"additionalProperties": {"type": "number"},
		"description2": 3, "format": 42
	}`)
	if s.Type != "object" || s.Title != "T" || s.Description != "D" || s.Summary != "Sum" || s.Visibility != "advanced" || s.Format != "" {
		t.Fatalf("scalars: %+v", s)
	}
	if got := strings.Join(s.Order, ","); got != "b,a,c,d" {
		t.Errorf("order = %q, want b,a,c,d", got)
	}
	if !reflect.DeepEqual(s.Required, []string{"b", "a"}) {
		t.Errorf("required = %q", s.Required)
	}
	b := s.Properties["b"]
	if b.Type != "string" || !b.Nullable || !b.ReadOnly || b.Format != "email" {
		t.Errorf("b = %+v", b)
	}
	if !reflect.DeepEqual(b.Types, []string{"string", "null"}) || s.Types != nil {
		t.Errorf("types = %q, %q", b.Types, s.Types)
	}
	a := s.Properties["a"]
	if got := mustJSON(t, []any{a.Enum, a.Default, a.Example}); got != `[[1,"2"],1,12345678901234567890]` {
		t.Errorf("a values = %s", got)
	}
	if c := s.Properties["c"]; c.Items == nil || c.Items.Type != "boolean" {
		t.Errorf("tuple items not read: %+v", c)
	}
	if d := s.Properties["d"]; d.Ref != "#/definitions/X" || !d.Nullable || !d.Dynamic {
		t.Errorf("d = %+v", d)
	}
	if s.AdditionalProperties == nil || s.AdditionalProperties.Type != "number" {
		t.Errorf("additionalProperties = %+v", s.AdditionalProperties)
	}
	if got := s.TypeName(); got != "object" {
		t.Errorf("TypeName = %q", got)
	}
	if got := s.Properties["c"].TypeName(); got != "array of boolean" {
		t.Errorf("TypeName = %q", got)
	}
	if got := b.TypeName(); got != "string (email)" {
		t.Errorf("TypeName = %q", got)
	}
	if got := s.Properties["d"].TypeName(); got != "X" {
		t.Errorf("TypeName = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"not json", `{"type":`, ErrInvalid},
		{"array", `[1,2]`, ErrInvalid},
		{"string", `"x"`, ErrInvalid},
		{"trailing", `{} {}`, ErrInvalid},
		{"too deep", strings.Repeat(`{"items":`, MaxJSONDepth+1) + `{}` + strings.Repeat(`}`, MaxJSONDepth+1), ErrTooDeep},
		{"too large", `{"description":"` + strings.Repeat("x", MaxBytes) + `"}`, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(json.RawMessage(tc.in))
			if !errors.Is(err, tc.want) || s != nil {
				t.Fatalf("Parse = %v, %v; want %v", s, err, tc.want)
			}
		})
	}
	for _, in := range []string{"", "  ", "null"} {
		if s, err := Parse(json.RawMessage(in)); s != nil || err != nil {
			t.Errorf("Parse(%q) = %v, %v; want nil, nil", in, s, err)
		}
	}
	if s, err := Parse(json.RawMessage(`true`)); err != nil || s == nil || s.Type != "" {
		t.Errorf("Parse(true) = %v, %v; want an empty schema", s, err)
	}
}

func TestParseDeepSchemaIsTruncated(t *testing.T) {
	depth := MaxSchemaDepth + 10
	s := MustParse(strings.Repeat(`{"type":"array","items":`, depth) + `{"type":"string"}` + strings.Repeat(`}`, depth))
	n := 0
	for ; s.Items != nil; s = s.Items {
		n++
	}
	if n != MaxSchemaDepth+1 || !s.Truncated {
		t.Fatalf("depth %d truncated=%v, want %d and true", n, s.Truncated, MaxSchemaDepth+1)
	}
}

func TestRefName(t *testing.T) {
	for in, want := range map[string]string{
		"#/definitions/Task":         "Task",
		"#/definitions/a~1b~0c":      "a/b~c",
		"#/definitions/My%20Thing":   "My Thing",
		"#/definitions/bad%2":        "bad%2",
		"#/parameters/x":             "",
		"other.json#/definitions/X":  "",
		"#/definitions/":             "",
		"#/definitions/A/properties": "",
	} {
		got, ok := RefName(in)
		if got != want || ok != (want != "") {
			t.Errorf("RefName(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

var testDefs = map[string]json.RawMessage{
	"Node":    json.RawMessage(`{"type":"object","description":"a tree node","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/definitions/Node"}}}}`),
	"A":       json.RawMessage(`{"type":"object","properties":{"b":{"$ref":"#/definitions/B"}}}`),
	"B":       json.RawMessage(`{"type":"object","properties":{"a":{"$ref":"#/definitions/A"},"n":{"type":"integer"}}}`),
	"Alias":   json.RawMessage(`{"$ref":"#/definitions/Node","description":"alias text"}`),
	"Loop":    json.RawMessage(`{"$ref":"#/definitions/Loop"}`),
	"Broken":  json.RawMessage(`{"type":`),
	"Base":    json.RawMessage(`{"type":"object","required":["id"],"properties":{"id":{"type":"integer"}}}`),
	"Derived": json.RawMessage(`{"allOf":[{"$ref":"#/definitions/Base"},{"required":["name"],"properties":{"name":{"type":"string","example":"n"}}}],"properties":{"own":{"type":"boolean"}}}`),
}

// shape renders a resolved tree compactly for exact comparisons.
func shape(s *Schema) string {
	if s == nil {
		return "nil"
	}
	var b strings.Builder
	b.WriteString(s.EffectiveType())
	if n, ok := RefName(s.Ref); ok {
		b.WriteString("@" + n)
	}
	for _, f := range []struct {
		on   bool
		mark string
	}{{s.Cycle, "!cycle"}, {s.Missing, "!missing"}, {s.Truncated, "!truncated"}} {
		if f.on {
			b.WriteString(f.mark)
		}
	}
	if len(s.Order) > 0 {
		b.WriteString("{")
		for i, name := range s.Order {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(name + ":" + shape(s.Properties[name]))
		}
		b.WriteString("}")
	}
	if s.Items != nil {
		b.WriteString("[" + shape(s.Items) + "]")
	}
	return b.String()
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		depth    int
		want     string
	}{
		{"self cycle", `{"$ref":"#/definitions/Node"}`, 0,
			`object@Node{name:string,children:array[object@Node!cycle]}`},
		{"mutual cycle", `{"$ref":"#/definitions/A"}`, 0,
			`object@A{b:object@B{a:object@A!cycle,n:integer}}`},
		{"missing target", `{"type":"object","properties":{"x":{"$ref":"#/definitions/Nope"},"y":{"$ref":"http://elsewhere/x.json"}}}`, 0,
			`object{x:@Nope!missing,y:!missing}`},
		{"unreadable target", `{"$ref":"#/definitions/Broken"}`, 0, `@Broken!missing`},
		{"alias chain", `{"$ref":"#/definitions/Alias"}`, 0,
			`object@Alias{name:string,children:array[object@Node!cycle]}`},
		{"self alias", `{"$ref":"#/definitions/Loop"}`, 0, `@Loop!cycle`},
		{"allOf", `{"$ref":"#/definitions/Derived"}`, 0, `object@Derived{own:boolean,id:integer,name:string}`},
		{"depth limit", `{"$ref":"#/definitions/A"}`, 1, `object@A{b:object@B!truncated}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := MustParse(tc.in)
			before := shape(in)
			got := Resolve(in, testDefs, tc.depth)
			if s := shape(got); s != tc.want {
				t.Errorf("resolved\n got %s\nwant %s", s, tc.want)
			}
			if shape(in) != before {
				t.Errorf("Resolve changed its input")
			}
		})
	}
	got := Resolve(MustParse(`{"$ref":"#/definitions/Derived"}`), testDefs, 0)
	if !reflect.DeepEqual(got.Required, []string{"id", "name"}) {
		t.Errorf("allOf required = %q", got.Required)
	}
	alias := Resolve(MustParse(`{"$ref":"#/definitions/Alias","description":"at the use"}`), testDefs, 0)
	if alias.Description != "at the use" {
		t.Errorf("sibling description not kept: %q", alias.Description)
	}
	// An allOf node without a type takes the first part's, list and all.
	nt := Resolve(MustParse(`{"allOf":[{"description":"d"},{"type":["integer","null"]}]}`), nil, 0)
	if nt.Type != "integer" || !reflect.DeepEqual(nt.Types, []string{"integer", "null"}) {
		t.Errorf("allOf type = %q %q", nt.Type, nt.Types)
	}
	if Resolve(nil, testDefs, 0) != nil {
		t.Error("Resolve(nil) != nil")
	}
}

func TestResolveExponentialRefsAreBounded(t *testing.T) {
	// D0 refers to D1 ten times, D1 to D2 ten times...: 10^12 nodes if
	// expanded blindly.
	defs := map[string]json.RawMessage{}
	for i := 0; i < 12; i++ {
		var props []string
		for j := 0; j < 10; j++ {
			props = append(props, `"p`+string(rune('a'+j))+`":{"$ref":"#/definitions/D`+string(rune('A'+i+1))+`"}`)
		}
		defs["D"+string(rune('A'+i))] = json.RawMessage(`{"type":"object","properties":{` + strings.Join(props, ",") + `}}`)
	}
	got := Resolve(MustParse(`{"$ref":"#/definitions/DA"}`), defs, 20)
	nodes, truncated := 0, 0
	var walk func(s *Schema)
	walk = func(s *Schema) {
		if s == nil {
			return
		}
		nodes++
		if s.Truncated {
			truncated++
		}
		for _, p := range s.Properties {
			walk(p)
		}
	}
	walk(got)
	if nodes > MaxResolvedNodes+20 || truncated == 0 {
		t.Fatalf("nodes %d, truncated %d: want at most %d nodes and some truncated", nodes, truncated, MaxResolvedNodes+20)
	}
	// Sampling the huge tree stays bounded too.
	b, _ := json.Marshal(Sample(got, SampleOptions{}))
	if len(b) > 200_000 {
		t.Fatalf("sample of %d bytes", len(b))
	}
}

// TestSampleCatalogue pins the samples of every schema in the built-in
// sample catalogue: full and as a request skeleton.
func TestSampleCatalogue(t *testing.T) {
	want := map[string][2]string{
		"sampletasks/ListTasks/200": {
			`[{"done":false,"due":"2026-01-01T00:00:00Z","id":"t-42","owner":"user@example.com","tags":["string"],"title":"Write the report"}]`,
			`[{"title":"Write the report"}]`},
		"sampletasks/GetTask/200": {
			`{"done":false,"due":"2026-01-01T00:00:00Z","id":"t-42","owner":"user@example.com","tags":["string"],"title":"Write the report"}`,
			`{"title":"Write the report"}`},
		"sampletasks/CreateTaskV2/body": {
			`{"done":false,"due":"2026-01-01T00:00:00Z","id":"t-42","owner":"user@example.com","tags":["string"],"title":"Write the report"}`,
			`{"title":"Write the report"}`},
		"sampletasks/CreateTaskV2/201": {
			`{"done":false,"due":"2026-01-01T00:00:00Z","id":"t-42","owner":"user@example.com","tags":["string"],"title":"Write the report"}`,
			`{"title":"Write the report"}`},
		"sampletasks/OnTaskDone/200": {
			`[{"done":false,"due":"2026-01-01T00:00:00Z","id":"t-42","owner":"user@example.com","tags":["string"],"title":"Write the report"}]`,
			`[{"title":"Write the report"}]`},
		"sampleweather/GetCurrentWeather/200": {
			`{"city":"Lisbon","conditions":"clear","temperature":21.5}`, `{}`},
		"sampleweather/GetForecast/200": {
			`[{"date":"2026-01-01","high":0,"low":0}]`, `[{}]`},
		"sampleorders/GetOrder/200": {
			`{"customerId":"c-7","id":1001,"lines":[{"quantity":2,"sku":"SKU-1"}],"total":0}`,
			`{"customerId":"c-7","lines":[{"quantity":2,"sku":"SKU-1"}]}`},
		"sampleorders/CreateOrder/body": {
			`{"customerId":"c-7","id":1001,"lines":[{"quantity":2,"sku":"SKU-1"}],"total":0}`,
			`{"customerId":"c-7","lines":[{"quantity":2,"sku":"SKU-1"}]}`},
		"sampleorders/CreateOrder/201": {
			`{"customerId":"c-7","id":1001,"lines":[{"quantity":2,"sku":"SKU-1"}],"total":0}`,
			`{"customerId":"c-7","lines":[{"quantity":2,"sku":"SKU-1"}]}`},
		"sampleorders/OnNewOrder/body": {`{"callbackUrl":"https://example.com"}`, `{"callbackUrl":"https://example.com"}`},
	}
	seen := 0
	for _, conn := range catalog.Sample().Connectors {
		r := NewResolver(conn.Definitions)
		for _, op := range conn.Operations {
			raws := map[string]json.RawMessage{"body": op.Body}
			for _, resp := range op.Responses {
				raws[resp.Status] = resp.Schema
			}
			for where, raw := range raws {
				s, err := r.Parse(raw, 0)
				if err != nil {
					t.Fatalf("%s/%s/%s: %v", conn.ID, op.ID, where, err)
				}
				if s == nil {
					continue
				}
				key := conn.ID + "/" + op.ID + "/" + where
				w, ok := want[key]
				if !ok {
					t.Errorf("%s: no expected sample", key)
					continue
				}
				seen++
				full := Sample(s, SampleOptions{})
				if got := mustJSON(t, full); got != w[0] {
					t.Errorf("%s full\n got %s\nwant %s", key, got, w[0])
				}
				if got := mustJSON(t, Sample(s, SampleOptions{RequiredOnly: true, Request: true})); got != w[1] {
					t.Errorf("%s skeleton\n got %s\nwant %s", key, got, w[1])
				}
				if p := Validate(s, roundTrip(t, full)); len(p) != 0 {
					t.Errorf("%s: the sample does not validate: %v", key, p)
				}
			}
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d schemas, want %d", seen, len(want))
	}
}

// roundTrip re-decodes a value the way a server would see it.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	var out any
	if err := json.Unmarshal([]byte(mustJSON(t, v)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSampleRules(t *testing.T) {
	for _, tc := range []struct {
		name, schema string
		opts         SampleOptions
		want         string
	}{
		{"example wins", `{"type":"string","example":"ex","default":"def","enum":["ex","def"]}`, SampleOptions{}, `"ex"`},
		{"default next", `{"type":"string","default":"def","enum":["a","def"]}`, SampleOptions{}, `"def"`},
		{"enum next", `{"type":"string","enum":["a","b"]}`, SampleOptions{}, `"a"`},
		{"example of wrong type skipped", `{"type":"integer","example":"ten","default":7}`, SampleOptions{}, `7`},
		{"default outside enum skipped", `{"type":"string","default":"x","enum":["a"]}`, SampleOptions{}, `"a"`},
		{"quoted enum coerced", `{"type":"integer","enum":["3","4"]}`, SampleOptions{}, `3`},
		{"quoted boolean enum", `{"type":"boolean","enum":["true"]}`, SampleOptions{}, `true`},
		{"formats", `{"type":"object","properties":{"a":{"type":"string","format":"date-time"},"b":{"type":"string","format":"date"},"c":{"type":"string","format":"email"},"d":{"type":"string","format":"uri"},"e":{"type":"string","format":"uuid"},"f":{"type":"string","format":"byte"},"g":{"type":"string","format":"GUID"},"h":{"format":"time"}}}`, SampleOptions{},
			`{"a":"2026-01-01T00:00:00Z","b":"2026-01-01","c":"user@example.com","d":"https://example.com","e":"00000000-0000-4000-8000-000000000000","f":"c3RyaW5n","g":"00000000-0000-4000-8000-000000000000","h":"12:00:00"}`},
		{"scalars", `{"type":"object","properties":{"i":{"type":"integer"},"n":{"type":"number"},"b":{"type":"boolean"},"z":{"type":"null"},"u":{},"f":{"type":"file"},"w":{"type":"weird"}}}`, SampleOptions{},
			`{"b":false,"f":"string","i":0,"n":0,"u":{},"w":"string","z":null}`},
		{"required only", `{"type":"object","required":["a","r"],"properties":{"a":{"type":"string"},"b":{"type":"string"},"r":{"type":"string","readOnly":true}}}`, SampleOptions{RequiredOnly: true, Request: true}, `{"a":"string"}`},
		{"readOnly kept in answers", `{"type":"object","properties":{"r":{"type":"string","readOnly":true}}}`, SampleOptions{}, `{"r":"string"}`},
		{"additional properties", `{"type":"object","additionalProperties":{"type":"integer"}}`, SampleOptions{}, `{"key":0}`},
		{"array without items", `{"type":"array"}`, SampleOptions{}, `[]`},
		{"depth bound", `{"type":"array","items":{"type":"array","items":{"type":"array","items":{"type":"string"}}}}`, SampleOptions{MaxDepth: 2}, `[[[]]]`},
		{"past MaxDepth only required", `{"type":"object","required":["a"],"properties":{"a":{"type":"object","required":["b"],"properties":{"b":{"type":"string"},"c":{"type":"string"}}}}}`, SampleOptions{MaxDepth: 1}, `{"a":{"b":"string"}}`},
		{"object example", `{"type":"object","required":["a"],"example":{"a":1},"properties":{"a":{"type":"integer"}}}`, SampleOptions{}, `{"a":1}`},
		{"object example missing required skipped", `{"type":"object","required":["a"],"example":{"b":1},"properties":{"a":{"type":"integer"}}}`, SampleOptions{}, `{"a":0}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustJSON(t, Sample(MustParse(tc.schema), tc.opts)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if Sample(nil, SampleOptions{}) != nil {
		t.Error("Sample(nil) != nil")
	}
}

func TestSampleIsAFreshCopy(t *testing.T) {
	s := MustParse(`{"type":"object","example":{"a":{"b":1}}}`)
	v := Sample(s, SampleOptions{}).(map[string]any)
	v["a"].(map[string]any)["b"] = 2
	if got := mustJSON(t, Sample(s, SampleOptions{})); got != `{"a":{"b":1}}` {
		t.Fatalf("changing a sample changed the schema's example: %s", got)
	}
}

func TestValidate(t *testing.T) {
	order := Resolve(MustParse(`{"$ref":"#/definitions/Order"}`), map[string]json.RawMessage{
		"Order": json.RawMessage(`{"type":"object","required":["customerId","lines"],"properties":{"id":{"type":"integer","readOnly":true},"customerId":{"type":"string"},"status":{"type":"string","enum":["new","paid"]},"lines":{"type":"array","items":{"$ref":"#/definitions/Line"}},"total":{"type":"number"},"meta":{"type":"object","additionalProperties":{"type":"boolean"}},"note":{"type":"string","x-nullable":true}}}`),
		"Line":  json.RawMessage(`{"type":"object","required":["sku","quantity"],"properties":{"sku":{"type":"string"},"quantity":{"type":"integer"}}}`),
	}, 0)
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"valid", `{"customerId":"c","lines":[{"sku":"s","quantity":2}],"total":1.5,"status":"paid","note":null,"extra":1}`, nil},
		{"integer as 2.0", `{"customerId":"c","lines":[{"sku":"s","quantity":2.0}]}`, nil},
		{"missing required", `{"lines":[]}`, []string{"customerId: missing required property"}},
		{"nested required", `{"customerId":"c","lines":[{"sku":"s"},{"quantity":1}]}`,
			[]string{"lines[0].quantity: missing required property", "lines[1].sku: missing required property"}},
		{"types", `{"customerId":5,"lines":{},"total":"1"}`,
			[]string{"customerId: must be a string, got integer", "lines: must be an array, got object", "total: must be a number, got string"}},
		{"integer", `{"customerId":"c","lines":[{"sku":"s","quantity":1.5}]}`, []string{"lines[0].quantity: must be an integer, got number"}},
		{"enum", `{"customerId":"c","lines":[],"status":"lost"}`, []string{`status: must be one of "new", "paid"; got "lost"`}},
		{"null", `{"customerId":null,"lines":[]}`, []string{"customerId: must be a string, got null"}},
		{"additional", `{"customerId":"c","lines":[],"meta":{"ok":true,"a.b":"no"}}`, []string{`meta["a.b"]: must be a boolean, got string`}},
		{"root type", `[1]`, []string{"must be an object, got array"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range Validate(order, v) {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	// json.Number input (a decoder with UseNumber) works the same.
	dec := json.NewDecoder(strings.NewReader(`{"customerId":"c","lines":[{"sku":"s","quantity":3}]}`))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if p := Validate(order, v); len(p) != 0 {
		t.Errorf("json.Number input: %v", p)
	}
	many := make([]any, 200)
	for i := range many {
		many[i] = "x"
	}
	if p := Validate(MustParse(`{"type":"array","items":{"type":"integer"}}`), many); len(p) != MaxProblems {
		t.Errorf("%d problems, want the cap %d", len(p), MaxProblems)
	}
}

func TestParams(t *testing.T) {
	for _, tc := range []struct {
		name   string
		p      catalog.Parameter
		sample string
		checks map[string]string // value -> error ("" = ok)
	}{
		{"integer", catalog.Parameter{Type: "integer", Default: "20"}, "20",
			map[string]string{"5": "", "-5": "", "1.5": `must be an integer, got "1.5"`, "abc": `must be an integer, got "abc"`, "": `must be an integer, got ""`}},
		{"bad default", catalog.Parameter{Type: "integer", Default: `"many"`}, "0", nil},
		{"number", catalog.Parameter{Type: "number"}, "0",
			map[string]string{"1.5": "", "1e3": "", "NaN": `must be a number, got "NaN"`, "x": `must be a number, got "x"`}},
		{"boolean", catalog.Parameter{Type: "boolean"}, "false",
			map[string]string{"true": "", "FALSE": "", "1": `must be true or false, got "1"`}},
		{"enum", catalog.Parameter{Type: "string", Enum: []string{"metric", "imperial"}, Default: `"metric"`}, "metric",
			map[string]string{"imperial": "", "kelvin": `must be one of "metric", "imperial"; got "kelvin"`}},
		{"enum without default", catalog.Parameter{Type: "string", Enum: []string{"a", "b"}}, "a", nil},
		{"string format", catalog.Parameter{Type: "string", Format: "date-time"}, "2026-01-01T00:00:00Z", nil},
		{"array of integer", catalog.Parameter{Type: "array of integer"}, "0",
			map[string]string{"1,2": "", "1,x": `must be an integer, got "x"`}},
		{"array with items schema", catalog.Parameter{Type: "array", Schema: json.RawMessage(`{"type":"boolean"}`)}, "false", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParamSample(&tc.p); got != tc.sample {
				t.Errorf("ParamSample = %q, want %q", got, tc.sample)
			}
			if err := CheckParam(&tc.p, ParamSample(&tc.p)); err != nil {
				t.Errorf("the sample fails its own check: %v", err)
			}
			for v, want := range tc.checks {
				err := CheckParam(&tc.p, v)
				got := ""
				if err != nil {
					got = err.Error()
					if !errors.Is(err, ErrBadValue) {
						t.Errorf("%q: error does not wrap ErrBadValue", v)
					}
				}
				if got != want {
					t.Errorf("CheckParam(%q) = %q, want %q", v, got, want)
				}
			}
		})
	}
}

// TestSampleOfCycleValidates: a sample cut at a cycle is still valid,
// because Validate does not check the required names of unexpanded nodes.
func TestSampleOfCycleValidates(t *testing.T) {
	defs := map[string]json.RawMessage{
		"Folder": json.RawMessage(`{"type":"object","required":["id"],"properties":{"id":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/definitions/Folder"}}}}`),
	}
	s := Resolve(MustParse(`{"$ref":"#/definitions/Folder"}`), defs, 0)
	v := Sample(s, SampleOptions{})
	if got := mustJSON(t, v); got != `{"children":[{}],"id":"string"}` {
		t.Fatalf("sample %s", got)
	}
	if p := Validate(s, roundTrip(t, v)); len(p) != 0 {
		t.Errorf("problems %v", p)
	}
	if p := Validate(s, map[string]any{"children": []any{"x"}}); len(p) != 2 {
		t.Errorf("type of a cycle node is still checked, and the root's required: %v", p)
	}
}
