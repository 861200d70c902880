package schema

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// FuzzSchema feeds arbitrary text through Parse, Resolve (the text is also
// every definition, so refs loop back into it), Sample and Validate: none
// may panic or grow without bound.
func FuzzSchema(f *testing.F) {
	for _, raw := range testDefs {
		f.Add(string(raw))
	}
	for _, conn := range catalog.Sample().Connectors {
		for _, raw := range conn.Definitions {
			f.Add(string(raw))
		}
	}
	for _, seed := range []string{
		`{"$ref":"#/definitions/A"}`,
		`{"type":["null","integer"],"enum":["1",2,null,{}],"default":[1]}`,
		`{"allOf":[{"$ref":"#/definitions/A"},{"allOf":[{"$ref":"#/definitions/B"}]}]}`,
		`{"type":"object","properties":{"a":{"$ref":"#/definitions/A"}},"additionalProperties":{"$ref":"#/definitions/B"}}`,
		`{"items":[1,{"type":"string"}],"required":"x","properties":[]}`,
		`{"type":"array","items":{"type":"array","items":{"$ref":"#/definitions/A"}}}`,
		`true`, `[]`, `"x"`, `{"a":`, "\xff",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := Parse(json.RawMessage(raw))
		if err != nil || s == nil {
			return
		}
		defs := map[string]json.RawMessage{"A": json.RawMessage(raw), "B": json.RawMessage(raw)}
		r := Resolve(s, defs, 0)
		_ = r.TypeName()
		for _, opts := range []SampleOptions{{}, {RequiredOnly: true, Request: true}} {
			v := Sample(r, opts)
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("sample does not marshal: %v", err)
			}
			if len(b) > 4<<20 {
				t.Fatalf("sample of %d bytes", len(b))
			}
			var back any
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if p := Validate(r, back); len(p) > MaxProblems {
				t.Fatalf("%d problems", len(p))
			}
		}
	})
}

// FuzzDecodeMatchesEncodingJSON: the hand-written decoder accepts what
// encoding/json accepts and produces the same values.
func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a":1,"b":[true,false,null],"c":{"d":"e"}}`, `[]`, `{}`, `""`, `-0.5e+10`, `01`, `1.`, `1e`, `-`,
		`"\u00e9\ud83d\ude00\ud800x\udc00\u0041"`, `"a\"b\\c\/d\b\f\n\r\t"`, "\"\xff\xfe\"", "\"\t\"", `"\x"`,
		`{"a" 1}`, `{"a":1,}`, `[1,]`, `{"a":1}}`, ` { "a" : [ 1 , 2 ] } `, `tru`, `nul`, `{"a":{"a":1},"a":2}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := decodeOrdered([]byte(in))
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		var want any
		werr := dec.Decode(&want)
		if werr == nil {
			if _, e := dec.Token(); e != io.EOF {
				werr = errors.New("trailing data")
			}
		}
		if errors.Is(err, ErrTooDeep) {
			return
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: decodeOrdered error %v, encoding/json error %v", in, err, werr)
		}
		if err == nil && !reflect.DeepEqual(plain(got), want) {
			t.Fatalf("%q: got %#v, want %#v", in, plain(got), want)
		}
	})
}
